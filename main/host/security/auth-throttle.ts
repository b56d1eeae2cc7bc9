/**
 * Password guessing, slowed per client address. Every attempt waits longer than the one before
 * (0, 250 ms, 500 ms, 1 s, 2 s, 4 s, 8 s by default) before the host checks the password; after
 * `maxFailures` wrong passwords within `windowMs` the address is refused for `lockoutMs` without
 * any password being checked; a right password clears its record.
 *
 * The delay comes before the check, not merely before the answer, and attempts still in flight
 * count like failures for the next one's delay and the lockout budget: otherwise a client could
 * open many connections at once and have every guess checked immediately.
 *
 * This module only decides; the host waits, checks, answers and reports the outcome.
 */
import * as v from 'valibot';
import { clientAddressKey } from './client-address';

export interface AuthThrottleOptions {
  /** Wait before the n-th unsettled attempt (0-based); the last value repeats. */
  delaysMs?: readonly number[];
  /** Wrong passwords within windowMs that trigger a lockout. Default 10. */
  maxFailures?: number;
  /** How long a wrong password counts against an address. Default 15 min. */
  windowMs?: number;
  /** How long a locked-out address is refused. Default 5 min. */
  lockoutMs?: number;
  /** Addresses remembered at most; the least recently seen is forgotten first. Default 10 000. */
  maxAddresses?: number;
  /** Clock, for tests. Default Date.now. */
  now?: () => number;
}

/** One attempt allowed to go ahead; report how it ended exactly once (later calls are ignored). */
export interface AuthAttempt {
  /** The password was wrong. */
  fail(): void;
  /** The password was right: the address's record is cleared. */
  succeed(): void;
  /** The client left before its password was checked: the attempt does not count. */
  abandon(): void;
}

export type AuthDecision =
  | { allowed: true; delayMs: number; attempt: AuthAttempt }
  | { allowed: false; retryAfterMs: number };

export interface AuthThrottle {
  /** Call when a password arrives, before checking it. */
  begin(remoteAddress: string | undefined): AuthDecision;
  /** Addresses currently remembered. */
  size(): number;
}

const optionsSchema = v.object({
  delaysMs: v.optional(
    v.pipe(v.array(v.pipe(v.number(), v.minValue(0), v.maxValue(60_000))), v.minLength(1)),
    [0, 250, 500, 1000, 2000, 4000, 8000],
  ),
  maxFailures: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 10),
  windowMs: v.optional(v.pipe(v.number(), v.minValue(1)), 15 * 60_000),
  lockoutMs: v.optional(v.pipe(v.number(), v.minValue(0)), 5 * 60_000),
  maxAddresses: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 10_000),
  now: v.optional(v.function(), () => Date.now),
});

interface AddressRecord {
  /** Times of wrong passwords still inside the window, oldest first; never more than maxFailures. */
  failures: number[];
  /** Attempts allowed but not yet reported, with the time each began. */
  pending: Map<AuthAttempt, number>;
  lockedUntil: number;
}

export function createAuthThrottle(options: AuthThrottleOptions = {}): AuthThrottle {
  const parsed = v.safeParse(optionsSchema, options);
  if (!parsed.success) throw new TypeError(`auth throttle options: ${parsed.issues[0].message}`);
  const { delaysMs, maxFailures, windowMs, lockoutMs, maxAddresses } = parsed.output;
  const now = parsed.output.now as () => number;
  const longestDelay = delaysMs[delaysMs.length - 1] ?? 0;
  // Longer than any delay plus a password check; an attempt still unreported by then is dropped.
  const pendingTimeoutMs = longestDelay + 60_000;
  // Map order is recency order: a touched record is re-inserted at the end.
  const records = new Map<string, AddressRecord>();
  let lastPrune = now();

  const dropExpired = (record: AddressRecord, at: number) => {
    while (record.failures.length > 0 && (record.failures[0] ?? at) <= at - windowMs) {
      record.failures.shift();
    }
    // An attempt the host never reported (a bug, a lost socket) must not block the address forever.
    for (const [attempt, began] of record.pending) {
      if (began <= at - pendingTimeoutMs) record.pending.delete(attempt);
    }
  };
  const isIdle = (record: AddressRecord, at: number) =>
    record.pending.size === 0 && record.failures.length === 0 && record.lockedUntil <= at;

  const touch = (key: string, at: number): AddressRecord => {
    const record = records.get(key) ?? { failures: [], pending: new Map(), lockedUntil: 0 };
    records.delete(key);
    records.set(key, record);
    dropExpired(record, at);
    return record;
  };

  const forgetIfIdle = (key: string, record: AddressRecord, at: number) => {
    if (isIdle(record, at) && records.get(key) === record) records.delete(key);
  };

  const prune = (at: number) => {
    if (at - lastPrune >= windowMs) {
      lastPrune = at;
      for (const [key, record] of records) {
        dropExpired(record, at);
        forgetIfIdle(key, record, at);
      }
    }
    for (const key of records.keys()) {
      if (records.size <= maxAddresses) break;
      records.delete(key);
    }
  };

  const settle = (key: string, attempt: AuthAttempt, outcome: 'fail' | 'succeed' | 'abandon') => {
    const at = now();
    const record = touch(key, at);
    record.pending.delete(attempt);
    if (outcome === 'succeed') {
      record.failures = [];
      record.lockedUntil = 0;
    } else if (outcome === 'fail') {
      record.failures.push(at);
      if (record.failures.length >= maxFailures) {
        record.lockedUntil = at + lockoutMs;
        record.failures = [];
      }
    }
    forgetIfIdle(key, record, at);
    prune(at);
  };

  const attemptFor = (key: string): AuthAttempt => {
    let settled = false;
    const once = (outcome: 'fail' | 'succeed' | 'abandon') => () => {
      if (settled) return;
      settled = true;
      settle(key, attempt, outcome);
    };
    const attempt: AuthAttempt = {
      fail: once('fail'),
      succeed: once('succeed'),
      abandon: once('abandon'),
    };
    return attempt;
  };

  return {
    begin(remoteAddress) {
      const key = clientAddressKey(remoteAddress);
      const at = now();
      const record = touch(key, at);
      prune(at);
      if (record.lockedUntil > at) return { allowed: false, retryAfterMs: record.lockedUntil - at };
      const unsettled = record.failures.length + record.pending.size;
      if (unsettled >= maxFailures) {
        // Only attempts in flight can fill the budget here (failures alone would have locked it).
        const oldest = record.failures[0];
        const windowEnds = oldest === undefined ? longestDelay : oldest + windowMs - at;
        return { allowed: false, retryAfterMs: Math.max(1, Math.min(longestDelay, windowEnds)) };
      }
      const attempt = attemptFor(key);
      record.pending.set(attempt, at);
      const delayMs = delaysMs[Math.min(unsettled, delaysMs.length - 1)] ?? longestDelay;
      return { allowed: true, delayMs, attempt };
    },
    size: () => records.size,
  };
}

/** The `auth_failed` message for a refused address; the close code stays 4003. */
export function lockoutMessage(retryAfterMs: number): string {
  const wait =
    retryAfterMs < 60_000
      ? plural(Math.max(1, Math.ceil(retryAfterMs / 1000)), 'second')
      : plural(Math.ceil(retryAfterMs / 60_000), 'minute');
  return `Too many wrong passwords from your address. Try again in ${wait}.`;
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}
