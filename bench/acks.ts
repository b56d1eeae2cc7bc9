/**
 * Durable acks near the disk's limit (issue 16), measured in one run against the disk itself:
 * the disk's own fdatasync latency (appends to a file in the same temp folder the SQLite store
 * uses); then two floors, plain `ws` acking each turn's messages with no disk and after appending
 * them to a file and fdatasyncing it (bench/targets/plain-ack-ws.ts), which show what this
 * machine's wake-ups and syncs leave of the goals; then the real host in a pinned child with the
 * in-memory store; then a third floor, the durable one kept busy for each message as long as the
 * memory-store host takes beyond plain `ws`; then the host with SQLite: acked messages per
 * second with one `say` in flight,
 * and ack latency with many senders each keeping one in flight, each in a channel of its own
 * (parley.v2), so that the many-senders cases measure the group commit and not a fan-out of every
 * message to every sender (the main table measures fan-out). The many senders run twice: at full
 * speed (what a saturated host takes, where latency is the queue's), then together offering a
 * steady rate the host can take (what a commit and its sync add to each ack: the p99 goal). The
 * rate limit is lifted for these hosts only (bench/targets/parley.ts).
 * Run alone by `npm run bench:acks` (bench/acks-main.ts) and as a part of `npm run bench`.
 */
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { definedFields } from '../protocol/defined-fields';
import { serverEventSchema, type ServerCommand, type ServerEvent } from './ipc';
import {
  AckSender,
  FULL_SPEED,
  type Recorder,
  type SenderPace,
  type SenderPlace,
} from './load/ack-sender';
import { LatencyHistogram, type LatencySummary } from './load/histogram';
import { ChildChannel } from './proc/child-channel';
import { readCpuMs } from './proc/linux-proc';
import { detectLaunchSupport, SERVER_CORE, spawnPinned } from './proc/pinned-child';
import { describeMachine } from './report/docs';

const distDir = path.dirname(fileURLToPath(import.meta.url));

interface AckPlan {
  fsyncSamples: number;
  warmupMs: number;
  windowMs: number;
  senders: number;
  /** Messages per second the many senders offer together in the steady case. */
  steadyPerSecond: number;
}

export type AckMode = 'full' | 'quick' | 'smoke';

export const ACK_PLANS: Record<AckMode, AckPlan> = {
  full: { fsyncSamples: 2000, warmupMs: 1000, windowMs: 5000, senders: 50, steadyPerSecond: 1000 },
  quick: { fsyncSamples: 500, warmupMs: 300, windowMs: 2000, senders: 50, steadyPerSecond: 1000 },
  smoke: { fsyncSamples: 50, warmupMs: 100, windowMs: 300, senders: 5, steadyPerSecond: 100 },
};

const SERVERS = {
  plainWs: 'children/plain-ack-ws-server.js',
  plainWsFsync: 'children/plain-fsync-ack-ws-server.js',
  plainWsFsyncBusy: 'children/plain-busy-fsync-ack-ws-server.js',
  memory: 'children/parley-memory-ack-server.js',
  sqlite: 'children/parley-ack-server.js',
} as const;
type AckServerName = keyof typeof SERVERS;

/** Each of the many senders in a channel of its own: the group commit, not a fan-out to all. */
const MANY_SENDERS_PLACE: SenderPlace = 'own-channel';
/** What a WAL append writes at least: one page and its frame header. */
const FSYNC_WRITE_BYTES = 4096 + 24;
const TIMEOUT_MS = 30_000;

/** fdatasync after each append to a file in `dir`, as a write-ahead log is synced. */
export function measureFdatasync(dir: string, samples: number): LatencySummary {
  const folder = mkdtempSync(path.join(dir, 'parley-bench-fsync-'));
  const histogram = new LatencyHistogram();
  const page = Buffer.alloc(FSYNC_WRITE_BYTES, 1);
  const fd = openSync(path.join(folder, 'log'), 'w');
  try {
    for (let sample = 0; sample < samples; sample++) {
      writeSync(fd, page);
      const started = performance.now();
      fdatasyncSync(fd);
      histogram.record((performance.now() - started) * 1000);
    }
  } finally {
    closeSync(fd);
    rmSync(folder, { recursive: true, force: true });
  }
  return histogram.summary();
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface AckRun {
  /** Acked messages per second, one in flight. */
  oneInFlightPerSecond: number;
  oneInFlight: LatencySummary;
  /** Host CPU time (user + system) per acked message, one in flight, µs. */
  oneInFlightCpuUs: number;
  /** Many senders at full speed: how much the host takes when saturated. */
  manySendersPerSecond: number;
  manySenders: LatencySummary;
  /** The same with many senders: what a group commit shares out. */
  manySendersCpuUs: number;
  /** Many senders offering a steady rate the host can take: what a commit adds to an ack. */
  steadySendersPerSecond: number;
  steadySenders: LatencySummary;
}

/**
 * Senders keep at most one message in flight each, at full speed or each at `perSecond / count`
 * (their first sends spread over one pace); counts only what is acked inside the window.
 */
async function measureSenders(
  server: { port: number; pid: number },
  count: number,
  plan: AckPlan,
  tag: string,
  place: SenderPlace,
  perSecond = 0,
) {
  const recorder: Recorder = { histogram: new LatencyHistogram() };
  const paceMs = perSecond > 0 ? (1000 * count) / perSecond : 0;
  const pace = (index: number): SenderPace =>
    paceMs > 0 ? { paceMs, offsetMs: (paceMs * index) / count } : FULL_SPEED;
  const senders = await Promise.all(
    Array.from({ length: count }, (_, index) =>
      AckSender.open(server.port, `${tag}${index}`, recorder, place, pace(index)).catch(
        (error: unknown) => {
          throw new Error(`sender ${index} could not join: ${String(error)}`);
        },
      ),
    ),
  );
  for (const sender of senders) sender.start();
  await delay(plan.warmupMs);
  const ackedBefore = senders.reduce((sum, sender) => sum + sender.acked, 0);
  recorder.histogram = new LatencyHistogram();
  const started = performance.now();
  const cpuBefore = readCpuMs(server.pid) ?? 0;
  await delay(plan.windowMs);
  const cpuMs = (readCpuMs(server.pid) ?? 0) - cpuBefore;
  const acked = senders.reduce((sum, sender) => sum + sender.acked, 0) - ackedBefore;
  const seconds = (performance.now() - started) / 1000;
  const summary = recorder.histogram.summary();
  for (const sender of senders) sender.stop();
  for (const sender of senders) sender.close();
  const failed = senders.find((sender) => sender.failure);
  if (failed?.failure) throw failed.failure;
  return {
    perSecond: acked / seconds,
    latency: summary,
    cpuPerMessageUs: acked > 0 ? (cpuMs * 1000) / acked : 0,
  };
}

export interface AckOptions {
  /** Runs each host with node --cpu-prof, its profile written into this folder. */
  cpuProfileDir?: string | undefined;
  /** The steady case's rate instead of the plan's, msg/s. */
  steadyPerSecond?: number | undefined;
}

async function measureServer(
  name: AckServerName,
  plan: AckPlan,
  { cpuProfileDir }: AckOptions,
  args: string[] = [],
): Promise<AckRun> {
  const launch = detectLaunchSupport();
  const profile = cpuProfileDir
    ? [
        '--cpu-prof',
        `--cpu-prof-dir=${cpuProfileDir}`,
        `--cpu-prof-name=acks-${name}-${Date.now()}.cpuprofile`,
      ]
    : [];
  const server = new ChildChannel<ServerCommand, ServerEvent>(
    spawnPinned(
      {
        script: path.join(distDir, SERVERS[name]),
        args,
        core: SERVER_CORE,
        openFiles: 4096,
        nodeArgs: profile,
      },
      launch,
    ),
    serverEventSchema,
    `${name} ack server`,
  );
  try {
    const { pid } = await server.next('booted', TIMEOUT_MS);
    const { port } = await server.request(
      // The steady senders join while the full-speed ones may not have closed yet.
      { type: 'start', maxConnections: 2 * plan.senders + 10 },
      'listening',
      TIMEOUT_MS,
    );
    const one = await measureSenders({ port, pid }, 1, plan, 'one', 'general');
    const many = await measureSenders(
      { port, pid },
      plan.senders,
      plan,
      'many',
      MANY_SENDERS_PLACE,
    );
    const steady = await measureSenders(
      { port, pid },
      plan.senders,
      plan,
      'steady',
      MANY_SENDERS_PLACE,
      plan.steadyPerSecond,
    );
    return {
      oneInFlightPerSecond: one.perSecond,
      oneInFlight: one.latency,
      oneInFlightCpuUs: one.cpuPerMessageUs,
      manySendersPerSecond: many.perSecond,
      manySenders: many.latency,
      manySendersCpuUs: many.cpuPerMessageUs,
      steadySendersPerSecond: steady.perSecond,
      steadySenders: steady.latency,
    };
  } finally {
    await server.stop({ type: 'stop' }, 10_000);
  }
}

export interface AckResult {
  mode: AckMode;
  /** Senders in the many-senders cases. */
  senders: number;
  /** What they offer together in the steady case, msg/s. */
  steadyPerSecond: number;
  machine: ReturnType<typeof describeMachine>;
  fsync: LatencySummary;
  /** Plain `ws` acking with no disk: this machine's floor for an ack. */
  plainWs: AckRun;
  /** Plain `ws` acking after a group fdatasync per turn: its floor for a durable ack. */
  plainWsFsync: AckRun;
  /**
   * The same, busy for `busyMsPerSay` before each turn's sync: the floor for a durable server
   * that does as much for a message as the Parley host does with the memory store.
   */
  plainWsFsyncBusy: AckRun;
  /** What one message costs the memory-store host beyond plain `ws`, one in flight (ms). */
  busyMsPerSay: number;
  memory: AckRun;
  sqlite: AckRun;
  /** 1 / (fdatasync p50 + the memory store's time per message), msg/s. */
  diskBoundPerSecond: number;
  /** 2 fdatasyncs at p50 + 1 ms: the ceiling for p99 ack latency with many steady senders. */
  p99CeilingMs: number;
}

/**
 * The disk first, then the plain `ws` floors, then the memory store, then the busy floor (which
 * needs the first and the memory store's times), then SQLite, each server in a child of its own.
 */
export async function measureAcks(mode: AckMode, options: AckOptions = {}): Promise<AckResult> {
  const plan = {
    ...ACK_PLANS[mode],
    ...definedFields({ steadyPerSecond: options.steadyPerSecond }),
  };
  const machine = describeMachine();
  const fsync = measureFdatasync(tmpdir(), plan.fsyncSamples);
  const plainWs = await measureServer('plainWs', plan, options);
  const plainWsFsync = await measureServer('plainWsFsync', plan, options);
  const memory = await measureServer('memory', plan, options);
  const memoryPerMessageMs = 1000 / memory.oneInFlightPerSecond;
  const busyMsPerSay = Math.max(0, memoryPerMessageMs - 1000 / plainWs.oneInFlightPerSecond);
  const plainWsFsyncBusy = await measureServer('plainWsFsyncBusy', plan, options, [
    String(busyMsPerSay),
  ]);
  const sqlite = await measureServer('sqlite', plan, options);
  return {
    mode,
    senders: plan.senders,
    steadyPerSecond: plan.steadyPerSecond,
    machine,
    fsync,
    plainWs,
    plainWsFsync,
    plainWsFsyncBusy,
    busyMsPerSay,
    memory,
    sqlite,
    diskBoundPerSecond: 1000 / (fsync.p50Ms + memoryPerMessageMs),
    p99CeilingMs: 2 * fsync.p50Ms + 1,
  };
}
