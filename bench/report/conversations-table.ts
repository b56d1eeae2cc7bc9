/**
 * Channels and direct conversations against everyone in `general`: the same host in the same
 * run, the conversations case sending more messages so that both deliver about as many per
 * second (bench/load/conversation-layout.ts). One column each and their ratio, so the cost of
 * protocol v2's routing reads directly: near 1 means conversations cost what `general` costs.
 */
import type { BenchResult, MeasuredPhase, SessionResult, TargetResult } from '../results';
import { CONVERSATIONS_PAIR } from '../targets';
import type { Table } from './table';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const formatInteger = (value: number) => integer.format(value);
const formatMs = (value: number) => value.toFixed(value < 10 ? 2 : 1);

interface PhaseRow {
  label: string;
  of: (phase: MeasuredPhase) => number;
  format: (value: number) => string;
}

const PHASE_ROWS: PhaseRow[] = [
  { label: 'msg/s offered', of: (p) => p.offeredRate, format: formatInteger },
  { label: 'deliveries/s', of: (p) => p.deliveriesPerSecond, format: formatInteger },
  { label: 'p50 latency (ms)', of: (p) => p.latency.p50Ms, format: formatMs },
  { label: 'p99 latency (ms)', of: (p) => p.latency.p99Ms, format: formatMs },
  { label: 'deliveries lost', of: (p) => p.lost, format: formatInteger },
  {
    label: 'server CPU per delivery (µs)',
    of: (p) => p.serverCpuPerDeliveryUs,
    format: (value) => value.toFixed(2),
  },
];

function row(
  label: string,
  general: number | undefined,
  conversations: number | undefined,
  format: (value: number) => string = formatInteger,
) {
  const cell = (value?: number) => (value === undefined ? '—' : format(value));
  const ratio =
    general !== undefined && conversations !== undefined && general > 0
      ? `×${(conversations / general).toFixed(2)}`
      : '—';
  return [label, cell(general), cell(conversations), ratio];
}

function phaseRows(
  prefix: string,
  general: MeasuredPhase | undefined,
  conversations: MeasuredPhase | undefined,
): string[][] {
  if (!general || !conversations) return [];
  return PHASE_ROWS.map((spec) =>
    row(`${prefix}: ${spec.label}`, spec.of(general), spec.of(conversations), spec.format),
  );
}

/** The comparison, or undefined when the run lacks either case. */
export function buildConversationsTable(result: BenchResult): Table | undefined {
  const find = (name: string) => result.targets.find((target) => target.name === name);
  const general = find(CONVERSATIONS_PAIR.general);
  const conversations = find(CONVERSATIONS_PAIR.conversations);
  if (!general || !conversations) return undefined;
  const rows: string[][] = [];
  for (const session of general.sessions) {
    const other = sessionOf(conversations, session.clients);
    if (!other) continue;
    const c = `C=${integer.format(session.clients)}`;
    rows.push(...phaseRows(`${c}, light`, session.light, other.light));
    rows.push(...phaseRows(`${c}, load`, session.load, other.load));
    rows.push(
      row(
        `${c}: server RSS per idle connection (KiB)`,
        session.connections.rssPerConnectionKiB,
        other.connections.rssPerConnectionKiB,
        (value) => value.toFixed(1),
      ),
    );
  }
  if (general.hold && conversations.hold) {
    const h = `hold ${integer.format(general.hold.requested)}`;
    rows.push(row(`${h}: connections open`, general.hold.open, conversations.hold.open));
    rows.push(
      row(
        `${h}: seconds to connect`,
        general.hold.connectMs / 1000,
        conversations.hold.connectMs / 1000,
        (v) => v.toFixed(1),
      ),
    );
    rows.push(
      row(
        `${h}: server RSS per idle connection (KiB)`,
        general.hold.rssPerConnectionKiB,
        conversations.hold.rssPerConnectionKiB,
        (value) => value.toFixed(1),
      ),
    );
  }
  return {
    headers: ['measurement', general.label, conversations.label, 'conversations ÷ general'],
    rows,
  };
}

function sessionOf(target: TargetResult, clients: number): SessionResult | undefined {
  return target.sessions.find((session) => session.clients === clients);
}
