/**
 * Messages between the orchestrator (bench/run.ts) and its two kinds of child process: the
 * server under test and the load generator. Every message is validated on arrival, so a child
 * that crashes half-way or an unexpected message fails one measurement, not the harness.
 */
import * as v from 'valibot';

const count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const positiveCount = v.pipe(v.number(), v.safeInteger(), v.minValue(1));
const duration = v.pipe(v.number(), v.finite(), v.minValue(0));
const port = v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(65_535));

/** How the generator speaks to a target: the same load, each target's own framing. */
export const DIALECTS = ['parley', 'parley-v2', 'ws', 'socket.io'] as const;
export const dialectSchema = v.picklist(DIALECTS);
export type DialectName = v.InferOutput<typeof dialectSchema>;

export const latencySchema = v.object({
  count,
  p50Ms: duration,
  p95Ms: duration,
  p99Ms: duration,
  maxMs: duration,
});

export const phaseResultSchema = v.object({
  phase: count,
  offeredRate: duration,
  senders: count,
  receivers: count,
  sent: count,
  windowMs: duration,
  /** Deliveries that arrived while the measurement window was open (any message). */
  windowDeliveries: count,
  deliveriesPerSecond: duration,
  /** End-to-end latency of the messages sent inside the window. */
  latency: latencySchema,
  /** Deliveries that had not arrived when the drain ended: (receivers x messages sent) - received. */
  lost: count,
  duplicates: count,
  /** `error` frames the target sent during the phase, by code. */
  errorFrames: v.record(v.string(), count),
  droppedClients: count,
  /** Every expected delivery arrived before the drain ended. */
  drained: v.boolean(),
  drainMs: duration,
  /** The generator's own CPU over the window, as a fraction of one core. */
  generatorCpu: duration,
  /** Share of the window the generator was runnable but waiting for its core (other work on it). */
  generatorCpuWait: duration,
});
export type PhaseResult = v.InferOutput<typeof phaseResultSchema>;

export const generatorCommandSchema = v.variant('type', [
  v.object({
    type: v.literal('connect'),
    dialect: dialectSchema,
    port,
    /** Several servers of one room: client i connects to ports[i % length] (default: port). */
    ports: v.optional(v.pipe(v.array(port), v.minLength(1))),
    clients: positiveCount,
    concurrency: positiveCount,
    timeoutMs: duration,
  }),
  v.object({ type: v.literal('settle'), quietMs: duration, timeoutMs: duration }),
  v.object({
    type: v.literal('phase'),
    phase: count,
    rate: v.pipe(v.number(), v.finite(), v.minValue(0.001)),
    perSenderRate: v.pipe(v.number(), v.finite(), v.minValue(0.001)),
    warmupMs: duration,
    windowMs: v.pipe(v.number(), v.finite(), v.minValue(1)),
    /** Longest wait for the last deliveries after sending stops. */
    drainMs: duration,
    /** The wait also ends when no delivery arrived for this long; what is missing then is lost. */
    drainStallMs: v.pipe(v.number(), v.finite(), v.minValue(1)),
  }),
  v.object({ type: v.literal('close') }),
]);
export type GeneratorCommand = v.InferOutput<typeof generatorCommandSchema>;

export const generatorEventSchema = v.variant('type', [
  v.object({ type: v.literal('booted'), pid: positiveCount, openFileLimit: count }),
  v.object({
    type: v.literal('connected'),
    open: count,
    failed: count,
    ms: duration,
    /** A few distinct failure reasons, for the printed note. */
    errors: v.array(v.string()),
  }),
  v.object({ type: v.literal('settled'), quiet: v.boolean(), ms: duration, open: count }),
  v.object({ type: v.literal('window'), phase: count, edge: v.picklist(['start', 'end']) }),
  v.object({ type: v.literal('phase-result'), result: phaseResultSchema }),
  v.object({ type: v.literal('failed'), message: v.string() }),
]);
export type GeneratorEvent = v.InferOutput<typeof generatorEventSchema>;

export const serverCommandSchema = v.variant('type', [
  v.object({ type: v.literal('start'), maxConnections: positiveCount }),
  /** Collect garbage (when node runs with --expose-gc) so memory readings compare like with like. */
  v.object({ type: v.literal('collect') }),
  v.object({ type: v.literal('stop') }),
]);
export type ServerCommand = v.InferOutput<typeof serverCommandSchema>;

export const serverEventSchema = v.variant('type', [
  v.object({ type: v.literal('booted'), pid: positiveCount, openFileLimit: count }),
  v.object({ type: v.literal('listening'), port }),
  v.object({ type: v.literal('collected'), exposed: v.boolean() }),
  v.object({ type: v.literal('failed'), message: v.string() }),
]);
export type ServerEvent = v.InferOutput<typeof serverEventSchema>;
