/**
 * The durable-ack table (bench/acks.ts): each measurement against its baseline from the same run,
 * as the goals of issue 16 ask, and the plain `ws` floors beside them, so that the table itself
 * says how much of a goal this machine leaves to reach.
 */
import type { AckResult } from '../acks';
import { renderMarkdown } from './table';

const ACK_TABLE_HEADERS = ['measurement', 'measured', 'baseline', 'ratio'];

const ms = (value: number) => value.toFixed(2);
const rate = (value: number) => Math.round(value).toLocaleString('en-US');
const times = (measured: number, baseline: number) => `×${(measured / baseline).toFixed(2)}`;

/** A row whose ratio is measured / baseline, with the goal it answers to if any. */
function ratioRow(
  label: string,
  measured: number,
  baseline: number,
  format: (value: number) => string,
  goal = '',
): string[] {
  const ratio = times(measured, baseline);
  return [label, format(measured), format(baseline), goal ? `${ratio} (${goal})` : ratio];
}

function ackRows(result: AckResult): string[][] {
  const { fsync, plainWs, plainWsFsync, plainWsFsyncBusy, memory, sqlite } = result;
  const memoryPerMessageMs = 1000 / memory.oneInFlightPerSecond;
  const steady = `${result.senders} senders, ${rate(result.steadyPerSecond)} msg/s in all`;
  const bound = '1/(fdatasync p50 + memory time)';
  const ceiling = '2 fdatasyncs + 1 ms';
  const plainFsync = 'plain `ws` + fdatasync';
  const busyFsync = `${plainFsync} + ${ms(result.busyMsPerSay)} ms busy a message`;
  const cpu = (value: number) => Math.round(value).toString();
  return [
    ['disk fdatasync p50 / p99 (ms)', `${ms(fsync.p50Ms)} / ${ms(fsync.p99Ms)}`, '', ''],
    ['memory store: time per acked message, one in flight (ms)', ms(memoryPerMessageMs), '', ''],
    ratioRow(
      `acked msg/s, one in flight: SQLite vs ${bound}`,
      sqlite.oneInFlightPerSecond,
      result.diskBoundPerSecond,
      rate,
      'goal ≥ 0.8',
    ),
    ratioRow(
      `acked msg/s, one in flight: ${plainFsync} vs ${bound}`,
      plainWsFsync.oneInFlightPerSecond,
      result.diskBoundPerSecond,
      rate,
    ),
    ratioRow(
      `acked msg/s, one in flight: ${busyFsync} vs ${bound}`,
      plainWsFsyncBusy.oneInFlightPerSecond,
      result.diskBoundPerSecond,
      rate,
    ),
    ratioRow(
      `acked msg/s, one in flight: SQLite vs ${busyFsync}`,
      sqlite.oneInFlightPerSecond,
      plainWsFsyncBusy.oneInFlightPerSecond,
      rate,
    ),
    ratioRow(
      `acked msg/s, one in flight: SQLite vs ${plainFsync}`,
      sqlite.oneInFlightPerSecond,
      plainWsFsync.oneInFlightPerSecond,
      rate,
    ),
    ratioRow(
      'acked msg/s, one in flight: SQLite vs memory store',
      sqlite.oneInFlightPerSecond,
      memory.oneInFlightPerSecond,
      rate,
    ),
    ratioRow(
      `p99 ack latency, ${steady} (ms): SQLite vs ${ceiling}`,
      sqlite.steadySenders.p99Ms,
      result.p99CeilingMs,
      ms,
      'goal ≤ 1',
    ),
    ratioRow(
      `p99 ack latency, ${steady} (ms): ${plainFsync} vs ${ceiling}`,
      plainWsFsync.steadySenders.p99Ms,
      result.p99CeilingMs,
      ms,
    ),
    ratioRow(
      `p99 ack latency, ${steady} (ms): plain \`ws\`, no disk vs ${ceiling}`,
      plainWs.steadySenders.p99Ms,
      result.p99CeilingMs,
      ms,
    ),
    ratioRow(
      `p99 ack latency, ${steady} (ms): SQLite vs ${plainFsync}`,
      sqlite.steadySenders.p99Ms,
      plainWsFsync.steadySenders.p99Ms,
      ms,
    ),
    ratioRow(
      `p99 ack latency, ${steady} (ms): SQLite vs memory store`,
      sqlite.steadySenders.p99Ms,
      memory.steadySenders.p99Ms,
      ms,
    ),
    ratioRow(
      `acked msg/s, ${result.senders} senders at full speed: SQLite vs memory store`,
      sqlite.manySendersPerSecond,
      memory.manySendersPerSecond,
      rate,
    ),
    ratioRow(
      `p99 ack latency, ${result.senders} senders at full speed (ms): SQLite vs memory store`,
      sqlite.manySenders.p99Ms,
      memory.manySenders.p99Ms,
      ms,
    ),
    ratioRow(
      'host CPU per acked message, one in flight (µs): SQLite vs memory store',
      sqlite.oneInFlightCpuUs,
      memory.oneInFlightCpuUs,
      cpu,
    ),
    ratioRow(
      `host CPU per acked message, ${result.senders} senders at full speed (µs): SQLite vs memory store`,
      sqlite.manySendersCpuUs,
      memory.manySendersCpuUs,
      cpu,
    ),
  ];
}

export function renderAckTable(result: AckResult): string {
  return renderMarkdown({ headers: ACK_TABLE_HEADERS, rows: ackRows(result) });
}
