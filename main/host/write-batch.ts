/**
 * Writes batched per event-loop turn: whatever holds bytes for a socket (a broadcast group's turn
 * log, turn-log.ts, or a channel's own frames) asks for a flush here, and every flush of the turn
 * runs at the next `setImmediate`, so each socket gets one write per turn however many frames
 * the turn produced. How the bytes reach the socket is wire.ts's business.
 */

/** Something holding bytes for the next flush. */
export interface Flushable {
  flushQueued(): void;
  /** A flush threw: the target cannot be trusted to write any more. */
  abandon(error: unknown): void;
}

const due: Flushable[] = [];
let flushTimer: NodeJS.Immediate | undefined;

/** Flushes `target` at the next setImmediate; call once per target per turn. */
export function flushSoon(target: Flushable): void {
  due.push(target);
  reserveFlush();
}

/**
 * Queues this turn's flush now, even with nothing to write yet, so that it runs after every
 * setImmediate queued before it. Called right after a store append: when the store's commit
 * (queued just before) is durable at once, what the commit's callbacks broadcast then goes out in
 * the same turn instead of the next.
 */
export function reserveFlush(): void {
  flushTimer ??= setImmediate(flushDue);
}

function flushDue(): void {
  flushTimer = undefined;
  // Bounded: targets queued by a flush itself (none today) wait for the next turn.
  const count = due.length;
  for (let index = 0; index < count; index++) {
    const target = due[index]!;
    try {
      target.flushQueued();
    } catch (error) {
      target.abandon(error);
    }
  }
  due.splice(0, count);
  if (due.length > 0) flushTimer ??= setImmediate(flushDue);
}
