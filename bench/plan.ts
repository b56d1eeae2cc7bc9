/**
 * How much load, for how long: one plan per mode. Every count and duration is bounded here, so
 * the whole run has a ceiling (full < ~10 min, quick ~1-2 min, smoke seconds).
 */

export type BenchMode = 'full' | 'quick' | 'smoke';

export interface PhasePlan {
  /** Messages per second over all senders. */
  rate: number;
  warmupMs: number;
  windowMs: number;
}

export interface RampPlan {
  startRate: number;
  /** Each passing step multiplies the rate by this much until one fails. */
  factor: number;
  /** Bisection steps between the last pass and the first failure. */
  refineSteps: number;
  maxSteps: number;
  /** The ramp stops starting new steps after this long. */
  budgetMs: number;
  p99LimitMs: number;
  warmupMs: number;
  windowMs: number;
}

/** One server start with `clients` connected, running some phases on the same connections. */
export interface SessionPlan {
  clients: number;
  light?: PhasePlan;
  load?: PhasePlan;
  ramp?: RampPlan;
}

export interface HoldPlan {
  clients: number;
  connectTimeoutMs: number;
}

export interface BenchPlan {
  mode: BenchMode;
  /** Sends per second a sender makes at most: under the protocol's 5/s so timer jitter never trips it. */
  perSenderRate: number;
  /** Longest wait for a phase's last deliveries (a target that is behind gets to catch up). */
  drainMs: number;
  /** The drain also ends after this long without any delivery; what is missing then is lost. */
  drainStallMs: number;
  connectConcurrency: number;
  connectTimeoutMs: number;
  /** Silence that tells the presence storm after many joins is over. */
  settleQuietMs: number;
  settleTimeoutMs: number;
  sessions: SessionPlan[];
  hold: HoldPlan;
}

const PER_SENDER_RATE = 4;
export const LATENCY_LIMIT_MS = 100;

const FULL: BenchPlan = {
  mode: 'full',
  perSenderRate: PER_SENDER_RATE,
  drainMs: 10_000,
  drainStallMs: 1000,
  connectConcurrency: 200,
  connectTimeoutMs: 30_000,
  settleQuietMs: 500,
  settleTimeoutMs: 15_000,
  sessions: [
    { clients: 100, load: { rate: 400, warmupMs: 1000, windowMs: 5000 } },
    {
      clients: 1000,
      light: { rate: 10, warmupMs: 1000, windowMs: 8000 },
      load: { rate: 100, warmupMs: 1000, windowMs: 5000 },
      ramp: {
        startRate: 50,
        factor: 2,
        refineSteps: 3,
        maxSteps: 10,
        budgetMs: 75_000,
        p99LimitMs: LATENCY_LIMIT_MS,
        warmupMs: 500,
        windowMs: 3000,
      },
    },
  ],
  // The conversations case (parley-v2) joins each client to a channel and half of them to a
  // direct conversation, in three waves: at 60 s its hold opened 2,881-10,000 in five runs of one
  // morning, a measure of the minute rather than of how many it holds.
  hold: { clients: 10_000, connectTimeoutMs: 180_000 },
};

const QUICK: BenchPlan = {
  ...FULL,
  mode: 'quick',
  drainMs: 6000,
  connectTimeoutMs: 15_000,
  settleTimeoutMs: 3000,
  sessions: [
    { clients: 100, load: { rate: 400, warmupMs: 300, windowMs: 1500 } },
    {
      clients: 1000,
      light: { rate: 10, warmupMs: 300, windowMs: 2000 },
      load: { rate: 100, warmupMs: 300, windowMs: 1500 },
      ramp: {
        startRate: 100,
        factor: 2,
        refineSteps: 1,
        maxSteps: 4,
        budgetMs: 8000,
        p99LimitMs: LATENCY_LIMIT_MS,
        warmupMs: 200,
        windowMs: 1000,
      },
    },
  ],
  hold: { clients: 2000, connectTimeoutMs: 6000 },
};

const SMOKE: BenchPlan = {
  ...FULL,
  mode: 'smoke',
  // Rates are tiny here: a stall can only be a busy machine, so wait longer before calling loss.
  drainMs: 8000,
  drainStallMs: 3000,
  connectTimeoutMs: 10_000,
  settleQuietMs: 200,
  settleTimeoutMs: 3000,
  sessions: [
    {
      clients: 20,
      light: { rate: 10, warmupMs: 100, windowMs: 500 },
      load: { rate: 40, warmupMs: 100, windowMs: 1000 },
      ramp: {
        startRate: 20,
        factor: 2,
        refineSteps: 0,
        maxSteps: 2,
        budgetMs: 5000,
        p99LimitMs: LATENCY_LIMIT_MS,
        warmupMs: 100,
        windowMs: 400,
      },
    },
  ],
  hold: { clients: 50, connectTimeoutMs: 5000 },
};

export const PLANS: Record<BenchMode, BenchPlan> = { full: FULL, quick: QUICK, smoke: SMOKE };

/** The most connections any part of the plan opens at once. */
export function peakClients(plan: BenchPlan): number {
  return Math.max(plan.hold.clients, ...plan.sessions.map((session) => session.clients));
}
