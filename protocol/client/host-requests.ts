/**
 * Requests the host answers with a frame: pages of history and of people, joining and leaving
 * channels, direct conversations, renames, new channels and topics. Most answers carry no
 * reference to what they answer, but the host answers a connection's frames in order, so an
 * answer goes to the oldest waiting request it fits (a `history` of the same conversation, the
 * `conversation` frame a join produces...), and an error without `ref` to the oldest waiting
 * request it can refuse. A request outlives a lost connection: it is asked again after the next
 * welcome (frames with an id are exactly-once, the others are harmless to repeat). It gives up
 * after a deadline with a RequestError of code `timeout`.
 */
import type { ClientFrameV2, HostFrameV2 } from '../wire/frames-v2';
import type { SessionError } from './session-error';
import { RequestError, requestTimedOut } from './session-error';

export interface RequestSpec<T> {
  frame: ClientFrameV2;
  /** This request's answer, if `frame` is it (called after the session applied the frame). */
  answer(frame: HostFrameV2): T | undefined;
  /** Error codes that refuse it when the host names no `ref` (its frame has no id). */
  refusals?: readonly string[];
  /** Its frame's id: an error with this `ref` refuses it. */
  ref?: string;
  /** Sentences for refusals that mean something particular for this request. */
  sentences?: Readonly<Partial<Record<string, string>>>;
  /** What to say when the host does not answer in time (default: a general sentence). */
  timeoutSentence?: string;
}

interface Waiting {
  spec: RequestSpec<unknown>;
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
  /** Gave up waiting; its answer may still arrive and must not go to a later request. */
  abandoned: boolean;
}

export class HostRequests {
  readonly #timeoutMs: number;
  #waiting: Waiting[] = [];

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  get size(): number {
    return this.#waiting.length;
  }

  /** Waits for the answer; the caller sends `spec.frame` now if it can. */
  add<T>(spec: RequestSpec<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiting: Waiting = {
        spec,
        resolve: resolve as (value: unknown) => void,
        reject,
        abandoned: false,
        timer: setTimeout(() => {
          waiting.abandoned = true;
          reject(requestTimedOut(spec.timeoutSentence));
        }, this.#timeoutMs),
      };
      this.#waiting.push(waiting);
    });
  }

  /** The frames of every request still waiting, to send again on a new connection. */
  outstanding(): ClientFrameV2[] {
    // Answers to abandoned requests cannot arrive on a new connection: forget them.
    this.#waiting = this.#waiting.filter((waiting) => !waiting.abandoned);
    return this.#waiting.map((waiting) => waiting.spec.frame);
  }

  /** Offers a host frame; returns true when it answered a request. */
  offer(frame: HostFrameV2): boolean {
    for (const waiting of this.#waiting) {
      const value = waiting.spec.answer(frame);
      if (value === undefined) continue;
      this.#settle(waiting);
      if (!waiting.abandoned) waiting.resolve(value);
      return true;
    }
    return false;
  }

  /** Offers an `error` frame; returns true when it refused a request. */
  refuse(error: { code: string; ref?: string | undefined }): boolean {
    const waiting = this.#waiting.find(({ spec }) =>
      error.ref !== undefined ? spec.ref === error.ref : spec.refusals?.includes(error.code),
    );
    if (!waiting) return false;
    this.#settle(waiting);
    if (!waiting.abandoned) {
      waiting.reject(new RequestError(error.code, waiting.spec.sentences?.[error.code]));
    }
    return true;
  }

  /** The session ended: nothing will be answered. */
  rejectAll(error: SessionError): void {
    for (const waiting of this.#waiting.splice(0)) {
      clearTimeout(waiting.timer);
      if (!waiting.abandoned) waiting.reject(error);
    }
  }

  #settle(waiting: Waiting): void {
    clearTimeout(waiting.timer);
    this.#waiting.splice(this.#waiting.indexOf(waiting), 1);
  }
}
