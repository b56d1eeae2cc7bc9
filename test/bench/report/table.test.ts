import { describe, expect, it } from 'vitest';
import {
  buildTable,
  CONTENDED_FOOTNOTE,
  renderMarkdown,
  tableFootnotes,
} from '../../../bench/report/table';
import { benchResult, phase, target } from '../fixtures';

function row(table: ReturnType<typeof buildTable>, metric: string): string[] {
  const found = table.rows.find((candidate) => candidate[0] === metric);
  if (!found) throw new Error(`no row "${metric}" in ${table.rows.map((r) => r[0]).join('\n')}`);
  return found;
}

describe('the results table', () => {
  const result = benchResult([target('base', 1), target('slow', 2)]);
  result.targets.push({ name: 'broken', label: 'label of broken', sessions: [], failures: ['no'] });
  const table = buildTable(result);

  it('has a column per target and the baseline without a ratio', () => {
    expect(table.headers).toEqual([
      'measurement',
      'label of base',
      'label of slow',
      'label of broken',
    ]);
    expect(row(table, 'C=1,000, 100 msg/s: server CPU per delivery (µs)')).toEqual([
      'C=1,000, 100 msg/s: server CPU per delivery (µs)',
      '2.00',
      '4.00 (×2.00)',
      '—',
    ]);
  });

  it('covers throughput, latency, loss, CPU, memory, ramp, light load and hold', () => {
    expect(row(table, 'C=1,000, 100 msg/s: deliveries/s').slice(1, 3)).toEqual([
      '100,000',
      '50,000 (×0.50)',
    ]);
    expect(row(table, 'C=1,000, light 10 msg/s: p99 latency (ms)').slice(1, 3)).toEqual([
      '3.00',
      '6.00 (×2.00)',
    ]);
    expect(row(table, 'C=1,000, 100 msg/s: deliveries lost').slice(1, 3)).toEqual(['0', '0']);
    expect(
      row(table, 'C=1,000, ramp: highest msg/s with p99 < 100 ms and 0 lost').slice(1, 3),
    ).toEqual(['400', '200 (×0.50)']);
    expect(row(table, 'C=1,000: server RSS per idle connection (KiB)').slice(1, 3)).toEqual([
      '10.0',
      '20.0 (×2.00)',
    ]);
    expect(row(table, 'hold 10,000: server RSS per idle connection (KiB)').slice(1, 3)).toEqual([
      '8.0',
      '16.0 (×2.00)',
    ]);
    expect(row(table, 'hold 10,000: connections open').slice(1)).toEqual(['10,000', '10,000', '—']);
    expect(
      row(table, 'waiting for a CPU, worst phase (server / generator, share of window)').slice(1),
    ).toEqual(['2% / 1%', '2% / 1%', '—']);
  });

  it('reports what each connection adds between the biggest room and the hold, one-off costs left out', () => {
    // base: 10 KiB each at 1,000 and 8 KiB each at 10,000 is 70,000 KiB for 9,000 more.
    expect(
      row(table, 'C=1,000 → hold 10,000: server RSS per added connection (KiB)').slice(1),
    ).toEqual(['7.8', '15.6 (×2.00)', '—']);
  });

  it('says so when no ramp step passed', () => {
    const failing = target('slow', 2);
    failing.sessions[0]!.ramp = { steps: [], best: undefined, stoppedBecause: 'x' };
    const ramped = buildTable(benchResult([target('base', 1), failing]));
    expect(row(ramped, 'C=1,000, ramp: highest msg/s with p99 < 100 ms and 0 lost')[2]).toBe(
      'none passed',
    );
  });

  it('marks numbers measured while other processes shared the pinned cores', () => {
    const contended = target('slow', 2);
    contended.sessions[0]!.load!.serverCpuWait = 0.4;
    const marked = buildTable(benchResult([target('base', 1), contended]));
    expect(row(marked, 'C=1,000, 100 msg/s: p99 latency (ms)')[2]).toBe('8.00 † (×1.00)');
    expect(row(marked, 'C=1,000, light 10 msg/s: p99 latency (ms)')[2]).toBe('6.00 (×2.00)');
    expect(tableFootnotes(marked)).toEqual([CONTENDED_FOOTNOTE]);
    expect(tableFootnotes(table)).toEqual([]);
  });

  it('marks a ramp result when any of its steps was contended', () => {
    const contended = target('slow', 2);
    contended.sessions[0]!.ramp!.steps.push(phase({ offeredRate: 400, generatorCpuWait: 0.5 }));
    const marked = buildTable(benchResult([target('base', 1), contended]));
    const metric = 'C=1,000, ramp: highest msg/s with p99 < 100 ms and 0 lost';
    expect(row(marked, metric)[2]).toBe('200 † (×0.50)');
    expect(row(marked, metric)[1]).toBe('400');
  });

  it('renders as a markdown table with one line per row', () => {
    const markdown = renderMarkdown(table).split('\n');
    expect(markdown).toHaveLength(table.rows.length + 2);
    expect(markdown[0]).toBe('| measurement | label of base | label of slow | label of broken |');
    expect(markdown[1]).toBe('| --- | ---: | ---: | ---: |');
    expect(markdown.every((line) => line.startsWith('| ') && line.endsWith(' |'))).toBe(true);
  });
});
