/**
 * What a benchmark run produces, as written by `--json`: the numbers behind the printed table.
 * A schema rather than bare types, so whoever reads the file back (the smoke test, a CI job
 * comparing runs) validates it instead of trusting it.
 */
import * as v from 'valibot';
import { latencySchema, phaseResultSchema } from './ipc';
import { JOIN_SERVER_NAMES } from './joins-ipc';

const count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const amount = v.pipe(v.number(), v.finite(), v.minValue(0));

/** A generator phase plus what the orchestrator saw of the server while its window was open. */
export const measuredPhaseSchema = v.object({
  ...phaseResultSchema.entries,
  /** Server utime + stime over the window. */
  serverCpuMs: amount,
  /** Server CPU time per delivery in the window, microseconds. */
  serverCpuPerDeliveryUs: amount,
  /** Server CPU time over window wall time (1 = one whole core). */
  serverCpuShare: amount,
  /** Share of the window the server was runnable but waiting for its core (other work on it). */
  serverCpuWait: amount,
});
export type MeasuredPhase = v.InferOutput<typeof measuredPhaseSchema>;

/** Waiting for a CPU this much of a window means other work shared a pinned core. */
export const CONTENDED_SHARE = 0.1;

/** The phase measured a busy machine as much as the target: its numbers are marked in the table. */
export function wasContended(phase: MeasuredPhase): boolean {
  return Math.max(phase.serverCpuWait, phase.generatorCpuWait) > CONTENDED_SHARE;
}

export const connectionsSchema = v.object({
  requested: count,
  open: count,
  failed: count,
  connectMs: amount,
  /** Server RSS growth per open connection once they are idle, KiB. */
  rssPerConnectionKiB: v.number(),
  serverRssKiB: count,
  /** The server went quiet after the connections opened (presence storms had ended). */
  settled: v.boolean(),
  errors: v.array(v.string()),
});
export type ConnectionsResult = v.InferOutput<typeof connectionsSchema>;

export const rampSchema = v.object({
  steps: v.array(measuredPhaseSchema),
  /** The highest step that passed, if any. */
  best: v.optional(measuredPhaseSchema),
  stoppedBecause: v.string(),
});
export type RampResult = v.InferOutput<typeof rampSchema>;

export const sessionResultSchema = v.object({
  clients: count,
  connections: connectionsSchema,
  light: v.optional(measuredPhaseSchema),
  load: v.optional(measuredPhaseSchema),
  ramp: v.optional(rampSchema),
});
export type SessionResult = v.InferOutput<typeof sessionResultSchema>;

export const targetResultSchema = v.object({
  name: v.string(),
  label: v.string(),
  sessions: v.array(sessionResultSchema),
  hold: v.optional(connectionsSchema),
  /** Why a part of this target's run produced no numbers. */
  failures: v.array(v.string()),
});
export type TargetResult = v.InferOutput<typeof targetResultSchema>;

export const machineSchema = v.object({
  cpuModel: v.string(),
  cores: count,
  node: v.string(),
  os: v.string(),
  memoryGiB: amount,
  /** 1-minute load average before the run started: other work competing for the same cores. */
  loadAverage: amount,
});
export type Machine = v.InferOutput<typeof machineSchema>;

const modeSchema = v.picklist(['full', 'quick', 'smoke']);

/** What bench/joins.ts measured (measureJoins): Parley's runs next to plain `ws`'s. */
export const joinsResultSchema = v.object({
  mode: modeSchema,
  clients: count,
  held: count,
  openFiles: v.optional(count),
  machine: machineSchema,
  runs: v.array(
    v.object({
      server: v.picklist(JOIN_SERVER_NAMES),
      deflate: v.boolean(),
      requested: count,
      held: v.boolean(),
      open: count,
      failed: count,
      welcomedMs: amount,
      settledMs: amount,
      rssPerConnectionKiB: v.number(),
      serverCpuMs: amount,
      serverWaitMs: amount,
      errors: v.array(v.string()),
    }),
  ),
});

const ackRunSchema = v.object({
  oneInFlightPerSecond: amount,
  oneInFlight: latencySchema,
  oneInFlightCpuUs: amount,
  manySendersPerSecond: amount,
  manySenders: latencySchema,
  manySendersCpuUs: amount,
  steadySendersPerSecond: amount,
  steadySenders: latencySchema,
});

/** What bench/acks.ts measured (measureAcks): the disk, the plain `ws` floors, both stores. */
export const acksResultSchema = v.object({
  mode: modeSchema,
  senders: count,
  steadyPerSecond: count,
  machine: machineSchema,
  fsync: latencySchema,
  plainWs: ackRunSchema,
  plainWsFsync: ackRunSchema,
  plainWsFsyncBusy: ackRunSchema,
  busyMsPerSay: amount,
  memory: ackRunSchema,
  sqlite: ackRunSchema,
  diskBoundPerSecond: amount,
  p99CeilingMs: amount,
});

export const benchResultSchema = v.object({
  mode: modeSchema,
  command: v.string(),
  startedAt: v.string(),
  durationMs: amount,
  machine: machineSchema,
  baseline: v.string(),
  notes: v.array(v.string()),
  targets: v.array(targetResultSchema),
  /** Joins and held connections (issue 16), unless skipped or failed. */
  joins: v.optional(joinsResultSchema),
  /** Durable acks against the disk (issue 16), unless skipped or failed. */
  acks: v.optional(acksResultSchema),
  /** Why a case beside the targets (joins, acks) produced no numbers. */
  caseFailures: v.optional(v.array(v.string())),
});
export type BenchResult = v.InferOutput<typeof benchResultSchema>;
