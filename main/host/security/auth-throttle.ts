/**
 * Password guessing, slowed per client address and for the room as a whole. Every attempt from an
 * address waits longer than the one before (0, 250 ms, 500 ms, 1 s, 2 s, 4 s, 8 s by default)
 * before the host checks the password; after `maxFailures` wrong passwords within `windowMs` the
 * address is refused for `lockoutMs` without any password being checked; a right password clears
 * its record.
 *
 * The delay comes before the check, not merely before the answer, and attempts still in flight
 * count like failures for the next one's delay and the lockout budget. An address's attempts also
 * take turns: each is checked its delay after the one before it, so guesses sent in parallel take
 * as long as guesses sent one by one.
 *
 * Many addresses (easy on a LAN) must gain little: once `roomFreeFailures` wrong passwords (and
 * attempts in flight) from all addresses together fall within `windowMs`, the room checks one
 * password per `roomSpacingMs`, whoever sends it. An attempt whose turn would come later than
 * `maxWaitMs` is refused at once instead, with the time to try again (a client would give up
 * waiting anyway).
 *
 * This module only decides; the host waits, checks, answers and reports the outcome.
 */
import * as v from 'valibot';
import { clientAddressKey } from './client-address';

/** Each option left out or undefined takes its default (the host passes its own options on). */
export interface AuthThrottleOptions {
  /** Wait before the n-th unsettled attempt (0-based); the last value repeats. */
  delaysMs?: readonly number[] | undefined;
  /** Wrong passwords within windowMs that trigger a lockout. Default 10. */
  maxFailures?: number | undefined;
  /** How long a wrong password counts against an address. Default 15 min. */
  windowMs?: number | undefined;
  /** How long a locked-out address is refused. Default 5 min. */
  lockoutMs?: number | undefined;
  /** Addresses remembered at most; the least recently seen is forgotten first. Default 10 000. */
  maxAddresses?: number | undefined;
  /** Wrong passwords from all addresses within windowMs before the room spaces checks. Default 20. */
  roomFreeFailures?: number | undefined;
  /** Then the room checks one password per this many ms, whatever the address. Default 2 s. */
  roomSpacingMs?: number | undefined;
  /** An attempt whose turn would come later than this is refused instead. Default 20 s. */
  maxWaitMs?: number | undefined;
  /** Clock, for tests. Default Date.now. */
  now?: (() => number) | undefined;
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
  /** `room`: refused because the whole room is guessed at, not this address. */
  | { allowed: false; retryAfterMs: number; room?: true };

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
  roomFreeFailures: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 20),
  roomSpacingMs: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(60_000)), 2000),
  maxWaitMs: v.optional(v.pipe(v.number(), v.minValue(0)), 20_000),
  now: v.optional(v.function(), () => Date.now),
});

interface AddressRecord {
  /** Times of wrong passwords still inside the window, oldest first; never more than maxFailures. */
  failures: number[];
  /** Attempts allowed but not yet reported, with the time each began. */
  pending: Map<AuthAttempt, number>;
  lockedUntil: number;
  /** When the last attempt allowed is checked: the next one waits its turn after it. */
  lastCheckAt: number;
}

export function createAuthThrottle(options: AuthThrottleOptions = {}): AuthThrottle {
  const parsed = v.safeParse(optionsSchema, options);
  if (!parsed.success) throw new TypeError(`auth throttle options: ${parsed.issues[0].message}`);
  const { delaysMs, maxFailures, windowMs, lockoutMs, maxAddresses } = parsed.output;
  const { roomFreeFailures, roomSpacingMs, maxWaitMs } = parsed.output;
  const now = parsed.output.now as () => number;
  const longestDelay = delaysMs[delaysMs.length - 1] ?? 0;
  // Longer than any delay plus a password check; an attempt still unreported by then is dropped.
  const pendingTimeoutMs = longestDelay + 60_000;
  // Map order is recency order: a touched record is re-inserted at the end.
  const records = new Map<string, AddressRecord>();
  let lastPrune = now();
  // The room as a whole: its newest wrong passwords (at most roomFreeFailures of them), the
  // attempts in flight from every address, and when the room's next spaced check may run.
  const roomFailures: number[] = [];
  const roomPending = new Map<AuthAttempt, number>();
  let roomNextCheckAt = 0;
  const roomBusy = (at: number) => {
    while (roomFailures.length > 0 && (roomFailures[0] ?? at) <= at - windowMs) {
      roomFailures.shift();
    }
    for (const [attempt, began] of roomPending) {
      if (began <= at - pendingTimeoutMs) roomPending.delete(attempt);
    }
    return roomFailures.length + roomPending.size >= roomFreeFailures;
  };

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
    const record = records.get(key) ?? {
      failures: [],
      pending: new Map(),
      lockedUntil: 0,
      lastCheckAt: 0,
    };
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
    roomPending.delete(attempt);
    if (outcome === 'fail') {
      roomFailures.push(at);
      if (roomFailures.length > roomFreeFailures) roomFailures.shift();
    }
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
      const delayMs = delaysMs[Math.min(unsettled, delaysMs.length - 1)] ?? longestDelay;
      // Its turn: its delay after the address's previous attempt is checked, and no earlier than
      // the room's next slot while the room is guessed at.
      const busy = roomBusy(at);
      const ownTurn = Math.max(at, record.lastCheckAt) + delayMs;
      const checkAt = busy ? Math.max(ownTurn, roomNextCheckAt) : ownTurn;
      if (checkAt - at > maxWaitMs) {
        const retryAfterMs = Math.max(1, checkAt - at - maxWaitMs);
        return ownTurn < checkAt
          ? { allowed: false, retryAfterMs, room: true }
          : { allowed: false, retryAfterMs };
      }
      record.lastCheckAt = checkAt;
      if (busy) roomNextCheckAt = checkAt + roomSpacingMs;
      const attempt = attemptFor(key);
      record.pending.set(attempt, at);
      roomPending.set(attempt, at);
      return { allowed: true, delayMs: checkAt - at, attempt };
    },
    size: () => records.size,
  };
}

/** The `auth_failed` message for a refused attempt; the close code stays 4003. */
export function lockoutMessage(retryAfterMs: number, room = false): string {
  const wait =
    retryAfterMs < 60_000
      ? plural(Math.max(1, Math.ceil(retryAfterMs / 1000)), 'second')
      : plural(Math.ceil(retryAfterMs / 60_000), 'minute');
  return room
    ? `Too many wrong passwords for this room lately. Try again in ${wait}.`
    : `Too many wrong passwords from your address. Try again in ${wait}.`;
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}
