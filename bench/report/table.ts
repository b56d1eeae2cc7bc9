/**
 * The one table a run prints (and writes into docs/benchmarks.md): a row per measurement, a
 * column per target, each cell with its ratio to the baseline target. A ratio above 1 means
 * "more than the baseline": better for throughput rows, worse for latency, CPU and memory rows.
 */
import {
  CONTENDED_SHARE,
  wasContended,
  type BenchResult,
  type MeasuredPhase,
  type SessionResult,
  type TargetResult,
} from '../results';

/** A number (formatted, with a ratio), a word ("none"), or nothing measured. */
type Pick = (target: TargetResult) => number | string | undefined;

interface RowSpec {
  metric: string;
  pick: Pick;
  format: (value: number) => string;
  /** Ratios of counts that are normally zero (losses) say nothing. */
  ratio: boolean;
  /** True when the measurement behind the cell ran while other work shared the pinned cores. */
  contended?: (target: TargetResult) => boolean;
}

const phaseContended =
  (phase: (target: TargetResult) => MeasuredPhase | undefined) => (target: TargetResult) => {
    const measured = phase(target);
    return measured !== undefined && wasContended(measured);
  };

/** Marks cells measured while other processes shared the pinned cores. */
export const CONTENDED_MARK = '†';
export const CONTENDED_FOOTNOTE =
  `${CONTENDED_MARK} the server or the generator waited for its core more than ` +
  `${CONTENDED_SHARE * 100}% of that window: other processes shared the pinned cores, so the ` +
  'number says as much about the machine as about the target.';

export interface Table {
  headers: string[];
  rows: string[][];
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const formatInteger = (value: number) => integer.format(value);
const formatMs = (value: number) => value.toFixed(value < 10 ? 2 : 1);
const formatOne = (value: number) => value.toFixed(1);
const formatMicros = (value: number) => value.toFixed(2);
const formatPercent = (value: number) => `${Math.round(value * 100)}%`;

function sessionOf(target: TargetResult, clients: number): SessionResult | undefined {
  return target.sessions.find((session) => session.clients === clients);
}

function phaseRows(
  prefix: string,
  clients: number,
  phaseOf: (session: SessionResult) => MeasuredPhase | undefined,
  withThroughput: boolean,
): RowSpec[] {
  const phase = (target: TargetResult) => {
    const session = sessionOf(target, clients);
    return session ? phaseOf(session) : undefined;
  };
  const rows: RowSpec[] = [];
  if (withThroughput) {
    rows.push({
      metric: `${prefix}: deliveries/s`,
      pick: (t) => phase(t)?.deliveriesPerSecond,
      format: formatInteger,
      ratio: true,
      contended: phaseContended(phase),
    });
  }
  for (const [label, key] of [
    ['p50', 'p50Ms'],
    ['p95', 'p95Ms'],
    ['p99', 'p99Ms'],
  ] as const) {
    rows.push({
      metric: `${prefix}: ${label} latency (ms)`,
      pick: (t) => phase(t)?.latency[key],
      format: formatMs,
      ratio: true,
      contended: phaseContended(phase),
    });
  }
  rows.push({
    metric: `${prefix}: deliveries lost`,
    pick: (t) => phase(t)?.lost,
    format: formatInteger,
    ratio: false,
    contended: phaseContended(phase),
  });
  rows.push({
    metric: `${prefix}: server CPU per delivery (µs)`,
    pick: (t) => phase(t)?.serverCpuPerDeliveryUs,
    format: formatMicros,
    ratio: true,
    contended: phaseContended(phase),
  });
  return rows;
}

function firstPhase(
  result: BenchResult,
  clients: number,
  of: (s: SessionResult) => MeasuredPhase | undefined,
) {
  for (const target of result.targets) {
    const session = sessionOf(target, clients);
    const phase = session ? of(session) : undefined;
    if (phase) return phase;
  }
  return undefined;
}

/**
 * A row of each target's offered rate when they differ (a target whose messages reach fewer
 * clients sends more of them, see TargetSpec.rateFactor); none when every target sent the same.
 */
function offeredRates(
  result: BenchResult,
  clients: number,
  label: string,
  of: (s: SessionResult) => MeasuredPhase | undefined,
): RowSpec | undefined {
  const phase = (target: TargetResult) => {
    const session = sessionOf(target, clients);
    return session ? of(session) : undefined;
  };
  const rates = new Set(result.targets.map((t) => phase(t)?.offeredRate));
  rates.delete(undefined);
  if (rates.size <= 1) return undefined;
  return {
    metric: `C=${integer.format(clients)}, ${label}: msg/s offered`,
    pick: (t) => phase(t)?.offeredRate,
    format: formatInteger,
    ratio: false,
  };
}

function rowSpecs(result: BenchResult): RowSpec[] {
  const clientCounts = [
    ...new Set(result.targets.flatMap((t) => t.sessions.map((s) => s.clients))),
  ];
  const specs: RowSpec[] = [];
  for (const clients of clientCounts) {
    const c = `C=${integer.format(clients)}`;
    const light = firstPhase(result, clients, (s) => s.light);
    if (light) {
      const rates = offeredRates(result, clients, 'light', (s) => s.light);
      const prefix = rates
        ? `${c}, light`
        : `${c}, light ${integer.format(light.offeredRate)} msg/s`;
      if (rates) specs.push(rates);
      specs.push(...phaseRows(prefix, clients, (s) => s.light, false));
    }
    const load = firstPhase(result, clients, (s) => s.load);
    if (load) {
      const rates = offeredRates(result, clients, 'load', (s) => s.load);
      const prefix = rates ? `${c}, load` : `${c}, ${integer.format(load.offeredRate)} msg/s`;
      if (rates) specs.push(rates);
      specs.push(...phaseRows(prefix, clients, (s) => s.load, true));
    }
    if (result.targets.some((t) => sessionOf(t, clients)?.ramp)) {
      const ramp = (t: TargetResult) => sessionOf(t, clients)?.ramp;
      specs.push(
        {
          metric: `${c}, ramp: highest msg/s with p99 < 100 ms and 0 lost`,
          pick: (t) => (ramp(t) ? (ramp(t)?.best?.offeredRate ?? 'none passed') : undefined),
          format: formatInteger,
          ratio: true,
          // Any contended step can have decided where the ramp stopped.
          contended: (t) => ramp(t)?.steps.some(wasContended) ?? false,
        },
        {
          metric: `${c}, ramp: deliveries/s at that rate`,
          pick: (t) => (ramp(t) ? (ramp(t)?.best?.deliveriesPerSecond ?? '—') : undefined),
          format: formatInteger,
          ratio: true,
          // Any contended step can have decided where the ramp stopped.
          contended: (t) => ramp(t)?.steps.some(wasContended) ?? false,
        },
      );
    }
    specs.push({
      metric: `${c}: server RSS per idle connection (KiB)`,
      pick: (t) => sessionOf(t, clients)?.connections.rssPerConnectionKiB,
      format: formatOne,
      ratio: true,
    });
  }
  const holdClients = result.targets.find((t) => t.hold)?.hold?.requested;
  if (holdClients !== undefined) {
    const h = `hold ${integer.format(holdClients)}`;
    specs.push(
      {
        metric: `${h}: connections open`,
        pick: (t) => t.hold?.open,
        format: formatInteger,
        ratio: false,
      },
      {
        metric: `${h}: server RSS per idle connection (KiB)`,
        pick: (t) => t.hold?.rssPerConnectionKiB,
        format: formatOne,
        ratio: true,
      },
    );
    const largest = Math.max(...clientCounts);
    if (largest < holdClients) {
      specs.push({
        // One-off costs (code compiled by the first joins, caches, heap growth) weigh on the
        // per-connection figures of small rooms; the difference between two rooms leaves them out.
        metric: `C=${integer.format(largest)} → ${h}: server RSS per added connection (KiB)`,
        pick: (t) => marginalRssKiB(sessionOf(t, largest)?.connections, t.hold),
        format: formatOne,
        ratio: true,
      });
    }
  }
  specs.push(
    {
      metric: 'load generator CPU, busiest phase (share of its core)',
      pick: (t) => worstPhase(t, (p) => p.generatorCpu),
      format: formatPercent,
      ratio: false,
    },
    {
      // Time runnable but not running: other processes on the pinned core. High means noisy numbers.
      metric: 'waiting for a CPU, worst phase (server / generator, share of window)',
      pick: (t) => {
        const server = worstPhase(t, (p) => p.serverCpuWait);
        const generator = worstPhase(t, (p) => p.generatorCpuWait);
        if (server === undefined || generator === undefined) return undefined;
        return `${formatPercent(server)} / ${formatPercent(generator)}`;
      },
      format: formatPercent,
      ratio: false,
    },
  );
  return specs;
}

function worstPhase(
  target: TargetResult,
  of: (phase: MeasuredPhase) => number,
): number | undefined {
  const phases = target.sessions.flatMap((s) => [s.light, s.load, ...(s.ramp?.steps ?? [])]);
  const values = phases.filter((p) => p !== undefined).map(of);
  return values.length > 0 ? Math.max(...values) : undefined;
}

export function buildTable(result: BenchResult): Table {
  const baselineIndex = result.targets.findIndex((t) => t.name === result.baseline);
  const headers = ['measurement', ...result.targets.map((t) => t.label)];
  const rows = rowSpecs(result).map((spec) => {
    const values = result.targets.map(spec.pick);
    const base = baselineIndex >= 0 ? values[baselineIndex] : undefined;
    const cells = values.map((value, index) => {
      if (value === undefined) return '—';
      if (typeof value === 'string') return value;
      const mark = spec.contended?.(result.targets[index]!) ? ` ${CONTENDED_MARK}` : '';
      const text = spec.format(value) + mark;
      if (!spec.ratio || index === baselineIndex || typeof base !== 'number' || base <= 0) {
        return text;
      }
      return `${text} (×${(value / base).toFixed(2)})`;
    });
    return [spec.metric, ...cells];
  });
  return { headers, rows };
}

/** The footnote a table needs under it: the contention mark's meaning, when any cell carries it. */
export function tableFootnotes(table: Table): string[] {
  const marked = table.rows.some((row) => row.some((cell) => cell.includes(CONTENDED_MARK)));
  return marked ? [CONTENDED_FOOTNOTE] : [];
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|');
}

export function renderMarkdown(table: Table): string {
  const lines = [
    `| ${table.headers.map(escapeCell).join(' | ')} |`,
    `| ${table.headers.map((_, index) => (index === 0 ? '---' : '---:')).join(' | ')} |`,
    ...table.rows.map((row) => `| ${row.map(escapeCell).join(' | ')} |`),
  ];
  return lines.join('\n');
}

interface IdleMemory {
  open: number;
  rssPerConnectionKiB: number;
}

/** RSS each connection adds between a smaller and a bigger room, each over its own baseline. */
export function marginalRssKiB(
  small: IdleMemory | undefined,
  big: IdleMemory | undefined,
): number | undefined {
  if (!small || !big || big.open <= small.open) return undefined;
  const grown = big.rssPerConnectionKiB * big.open - small.rssPerConnectionKiB * small.open;
  return grown / (big.open - small.open);
}
