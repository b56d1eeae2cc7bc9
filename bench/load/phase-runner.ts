/**
 * One load phase: a fixed send rate spread round-robin over just enough senders that none
 * exceeds the per-sender rate (the protocol's rate limit), a warm-up, a measurement window,
 * then a bounded drain while the last deliveries arrive.
 */
import type { PhaseResult } from '../ipc';
import { readCpuWaitMs } from '../proc/linux-proc';
import { nowMicros, type ClientPool } from './client-pool';
import { encodePayload, MAX_INDEX } from './payload';
import { PhaseTracker } from './phase-tracker';

export interface PhaseOptions {
  phase: number;
  rate: number;
  perSenderRate: number;
  warmupMs: number;
  windowMs: number;
  drainMs: number;
  drainStallMs: number;
}

export interface PhaseHooks {
  /** Called as the measurement window opens and closes (the orchestrator samples the server). */
  windowEdge(edge: 'start' | 'end'): void;
}

/** Senders spread evenly over the clients, so a sender is never also a neighbour's twin. */
export function pickSenders(clients: number, rate: number, perSenderRate: number): number[] {
  const wanted = Math.min(clients, Math.max(1, Math.ceil(rate / perSenderRate)));
  const stride = clients / wanted;
  return Array.from({ length: wanted }, (_, slot) => Math.floor(slot * stride));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

export async function runPhase(
  pool: ClientPool,
  options: PhaseOptions,
  hooks: PhaseHooks,
): Promise<PhaseResult> {
  const clients = pool.ready;
  const receivers = pool.openCount;
  if (receivers === 0) throw new Error('no open clients to send from');
  const senderSlots = pickSenders(clients.length, options.rate, options.perSenderRate);
  // Never ask a sender for more than its share of the limit, even when clients are few.
  const rate = Math.min(options.rate, senderSlots.length * options.perSenderRate);
  const totalMs = options.warmupMs + options.windowMs;
  const total = Math.min(MAX_INDEX, Math.ceil((rate * totalMs) / 1000));
  const tracker = new PhaseTracker(options.phase, total, receivers, total);
  const droppedBefore = pool.dropped;
  pool.tracker = tracker;

  const started = performance.now();
  let windowStartedAt = started;
  let windowEndedAt = started;
  let cpuAtStart = process.cpuUsage();
  let cpuInWindow = { user: 0, system: 0 };
  let waitAtStart = 0;
  let waitInWindow = 0;

  const sendDue = () => {
    const elapsedMs = performance.now() - started;
    const due = Math.min(total, Math.floor((elapsedMs * rate) / 1000));
    while (tracker.sent < due) {
      const index = tracker.sent;
      const client = clients[senderSlots[index % senderSlots.length]!]!;
      const sentMicros = nowMicros();
      if (client.isOpen) {
        pool.say(
          client,
          `p${options.phase}m${index}`,
          encodePayload(options.phase, index, sentMicros),
          index,
        );
      }
      tracker.markSent(sentMicros, pool.receiversOf(client, index, receivers));
    }
    return due;
  };

  const sending = new Promise<void>((resolve) => {
    const tick = () => {
      sendDue();
      if (tracker.sent >= total) {
        resolve();
        return;
      }
      const nextDueMs = ((tracker.sent + 1) * 1000) / rate;
      setTimeout(tick, Math.max(1, nextDueMs - (performance.now() - started)));
    };
    tick();
  });

  await delay(options.warmupMs);
  tracker.setFirstWindowIndex(tracker.sent);
  tracker.openWindow();
  windowStartedAt = performance.now();
  cpuAtStart = process.cpuUsage();
  waitAtStart = readCpuWaitMs('self') ?? 0;
  hooks.windowEdge('start');

  await delay(totalMs - (performance.now() - started));
  await sending;
  tracker.closeWindow();
  windowEndedAt = performance.now();
  cpuInWindow = process.cpuUsage(cpuAtStart);
  waitInWindow = (readCpuWaitMs('self') ?? waitAtStart) - waitAtStart;
  hooks.windowEdge('end');

  const drainStarted = performance.now();
  const drained = await tracker.waitForAll(
    options.drainMs,
    options.drainStallMs,
    () => pool.lastFrameAt,
  );
  const drainMs = performance.now() - drainStarted;
  pool.tracker = undefined;

  const windowMs = Math.max(1, windowEndedAt - windowStartedAt);
  const { lost, duplicates } = tracker.losses();
  return {
    phase: options.phase,
    offeredRate: rate,
    senders: senderSlots.length,
    receivers,
    sent: tracker.sent,
    windowMs,
    windowDeliveries: tracker.windowDeliveries,
    deliveriesPerSecond: (tracker.windowDeliveries * 1000) / windowMs,
    latency: tracker.latencySummary(),
    lost,
    duplicates,
    errorFrames: tracker.errorCounts(),
    droppedClients: pool.dropped - droppedBefore,
    drained,
    drainMs,
    generatorCpu: (cpuInWindow.user + cpuInWindow.system) / 1000 / windowMs,
    generatorCpuWait: Math.max(0, waitInWindow) / windowMs,
  };
}
