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

/**
 * The busiest ramp step that lost nothing and drained, whatever its latency: the servers' CPU per
 * delivery there is what a core of them delivers near their limit (the capacity model's figure).
 */
export function busiestCleanStep(target: TargetResult | undefined): MeasuredPhase | undefined {
  const steps = target?.sessions[0]?.ramp?.steps ?? [];
  return steps
    .filter((step) => step.lost === 0 && step.drained && step.serverCpuPerDeliveryUs > 0)
    .reduce<MeasuredPhase | undefined>(
      (busiest, step) =>
        !busiest || step.deliveriesPerSecond > busiest.deliveriesPerSecond ? step : busiest,
      undefined,
    );
}

/** Deliveries one core of server CPU makes per second, from a window's CPU per delivery. */
export function deliveriesPerServerCore(phase: MeasuredPhase | undefined): number | undefined {
  return phase && phase.serverCpuPerDeliveryUs > 0 ? 1e6 / phase.serverCpuPerDeliveryUs : undefined;
}

export function buildScaleOutTable(result: ScaleOutResult): Table {
  const main = buildTable(result);
  // Memory is the main bench's (one server, a hold test): RSS summed over servers that started
  // moments before the connections (and still give back start-up memory) says nothing per client.
  const table = { ...main, rows: main.rows.filter(([metric]) => !metric?.includes('RSS')) };
  const clients = integer.format(result.targets[0]?.sessions[0]?.clients ?? 0);
  const redisShare = (target: TargetResult) => {
    const busiest = busiestCleanStep(target);
    const share = busiest && result.redisCpu[target.name]?.[busiest.phase];
    return share === undefined ? '—' : `${(share * 100).toFixed(1)}%`;
  };
  const perCore = (target: TargetResult) => {
    const busiest = busiestCleanStep(target);
    const value = deliveriesPerServerCore(busiest);
    return value === undefined || !busiest
      ? '—'
      : `${integer.format(value)} (at ${integer.format(busiest.offeredRate)} msg/s)`;
  };
  table.rows.push(
    [
      `C=${clients}, ramp: servers' deliveries/s per core of their CPU, busiest step that lost nothing`,
      ...result.targets.map(perCore),
    ],
    [
      `C=${clients}, ramp: Redis CPU at that step (share of a core)`,
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
