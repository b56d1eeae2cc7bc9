/**
 * Pages of older messages asked for with `history` frames. The host answers on the same
 * connection in the order asked, and answers carry no reference, so requests are matched to
 * answers first-in first-out. A request outlives a lost connection: it is asked again after the
 * next welcome.
 */
import * as v from 'valibot';
import type { ChatMessage } from '../wire/frames';
import { DEFAULT_LIMITS } from '../wire/limits';
import { SessionError } from './session-error';
import type { EndReason } from './client-types';

const TIMED_OUT: EndReason = {
  code: 'unreachable',
  message: 'The host did not send the older messages in time.',
};

/** A page request as the protocol allows it (`limit` 1 to 200 by default). */
export const pageRequestSchema = v.object({
  beforeSeq: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
  limit: v.pipe(
    v.number(),
    v.safeInteger(),
    v.minValue(1),
    v.maxValue(DEFAULT_LIMITS.historyPageMax),
  ),
});

export interface HistoryPage {
  messages: ChatMessage[];
  more: boolean;
}

interface Request {
  before: number;
  limit: number;
  resolve: (page: HistoryPage) => void;
  reject: (error: SessionError) => void;
  timer?: ReturnType<typeof setTimeout>;
  /** Gave up waiting; its answer may still arrive and must be consumed to keep the order. */
  abandoned: boolean;
}

export class HistoryRequests {
  readonly #timeoutMs: number;
  #queue: Request[] = [];

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  add(before: number, limit: number): Promise<HistoryPage> {
    return new Promise((resolve, reject) => {
      const request: Request = { before, limit, resolve, reject, abandoned: false };
      request.timer = setTimeout(() => {
        request.abandoned = true;
        reject(new SessionError(TIMED_OUT));
      }, this.#timeoutMs);
      this.#queue.push(request);
    });
  }

  /** Every request still waiting, to ask again on a new connection. */
  outstanding(): { before: number; limit: number }[] {
    // Answers to abandoned requests cannot arrive on a new connection: forget them.
    this.#queue = this.#queue.filter((request) => !request.abandoned);
    return this.#queue.map(({ before, limit }) => ({ before, limit }));
  }

  get size(): number {
    return this.#queue.length;
  }

  answer(page: HistoryPage): void {
    const request = this.#queue.shift();
    if (!request) return; // an answer nobody asked for
    clearTimeout(request.timer);
    if (!request.abandoned) request.resolve(page);
  }

  /** The host refused the oldest request (an `error` frame without `ref`). */
  refuseOldest(error: SessionError): void {
    const request = this.#queue.shift();
    if (!request) return;
    clearTimeout(request.timer);
    if (!request.abandoned) request.reject(error);
  }

  rejectAll(error: SessionError): void {
    for (const request of this.#queue) {
      clearTimeout(request.timer);
      if (!request.abandoned) request.reject(error);
    }
    this.#queue = [];
  }
}
