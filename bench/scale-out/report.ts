/**
 * The scale-out case's table: the main table's rows (bench/report/table.ts, ratios to one Parley
 * host), then what only this case has (Redis's CPU, deliveries per host core), then the issue's
 * two targets checked in words.
 */
import type { BenchResult, MeasuredPhase, TargetResult } from '../results';
import { buildTable, type Table } from '../report/table';
import { THROUGHPUT_PAIR, SCALE_OUT_BASELINE } from './targets';

/** What the JSON of a scale-out run holds beside a main run's numbers. */
export interface ScaleOutResult extends BenchResult {
  redis: { version: string; appendfsync: string };
  /** Redis's share of a core per phase window, by target and phase number. */
  redisCpu: Record<string, Record<number, number>>;
}

export const THROUGHPUT_TARGET = 10;
export const LIGHT_P99_TARGET = 2;

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

const bestOf = (target: TargetResult | undefined) => target?.sessions[0]?.ramp?.best;
const lightOf = (target: TargetResult | undefined) => target?.sessions[0]?.light;

/** Deliveries one core of host CPU makes per second, from a window's CPU per delivery. */
export function deliveriesPerHostCore(phase: MeasuredPhase | undefined): number | undefined {
  return phase && phase.serverCpuPerDeliveryUs > 0 ? 1e6 / phase.serverCpuPerDeliveryUs : undefined;
}

export function buildScaleOutTable(result: ScaleOutResult): Table {
  const table = buildTable(result);
  const clients = integer.format(result.targets[0]?.sessions[0]?.clients ?? 0);
  const redisShare = (target: TargetResult) => {
    const best = bestOf(target);
    const share = best && result.redisCpu[target.name]?.[best.phase];
    return share === undefined ? '—' : `${Math.round(share * 100)}%`;
  };
  const perCore = (target: TargetResult) => {
    const value = deliveriesPerHostCore(bestOf(target));
    return value === undefined ? '—' : integer.format(value);
  };
  table.rows.push(
    [
      `C=${clients}, ramp: servers' deliveries/s per core of their CPU at that rate`,
      ...result.targets.map(perCore),
    ],
    [
      `C=${clients}, ramp: Redis CPU at that rate (share of a core)`,
      ...result.targets.map(redisShare),
    ],
  );
  return table;
}

/** The two targets, each as a sentence with its figure and whether it was met. */
export function targetLines(result: ScaleOutResult): string[] {
  const find = (name: string) => result.targets.find((target) => target.name === name);
  const lines: string[] = [];
  const ours = bestOf(find(THROUGHPUT_PAIR.ours));
  const theirs = bestOf(find(THROUGHPUT_PAIR.theirs));
  if (ours && theirs) {
    const ratio = ours.deliveriesPerSecond / theirs.deliveriesPerSecond;
    lines.push(
      `Throughput: ${THROUGHPUT_PAIR.ours} ${integer.format(ours.deliveriesPerSecond)} deliveries/s ÷ ` +
        `${THROUGHPUT_PAIR.theirs} ${integer.format(theirs.deliveriesPerSecond)} = ×${ratio.toFixed(1)} ` +
        `(target ≥ ×${THROUGHPUT_TARGET}: ${ratio >= THROUGHPUT_TARGET ? 'met' : 'NOT met'}).`,
    );
  } else {
    lines.push('Throughput: no ramp step passed for one of the pair; no ratio.');
  }
  const shared = lightOf(find(THROUGHPUT_PAIR.ours));
  const single = lightOf(find(SCALE_OUT_BASELINE));
  if (shared && single && single.latency.p99Ms > 0) {
    const ratio = shared.latency.p99Ms / single.latency.p99Ms;
    lines.push(
      `Light load: ${THROUGHPUT_PAIR.ours} p99 ${shared.latency.p99Ms.toFixed(1)} ms ÷ ` +
        `${SCALE_OUT_BASELINE} p99 ${single.latency.p99Ms.toFixed(1)} ms = ×${ratio.toFixed(2)} ` +
        `(target ≤ ×${LIGHT_P99_TARGET}: ${ratio <= LIGHT_P99_TARGET ? 'met' : 'NOT met'}).`,
    );
  }
  return lines;
}
