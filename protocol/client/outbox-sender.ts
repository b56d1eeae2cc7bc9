/**
 * Sends what waits in the outbox. Normally everything unsent goes out at once; after the host
 * answers `rate_limited`, the sender pauses (jittered backoff) and then sends one message at a
 * time, each after the previous one's answer, so refused messages are retried in the order they
 * were written instead of racing each other into the host's token bucket.
 */
import { Backoff } from './backoff';
import { DEFAULT_LIMITS } from '../wire/limits';
import type { Outbox, Post } from './outbox';

const RATE_LIMIT_BACKOFF = { initialMs: 250, maxMs: 5_000 };

export interface SenderDeps {
  outbox: Outbox;
  /** Whether there is a welcomed connection to send on. */
  ready(): boolean;
  transmit(data: string): void;
  /** An entry failed without being sent (too big for any host). */
  failed(): void;
}

export class OutboxSender {
  readonly #deps: SenderDeps;
  readonly #backoff = new Backoff(RATE_LIMIT_BACKOFF);
  #throttled = false;
  #pause: ReturnType<typeof setTimeout> | undefined;

  constructor(deps: SenderDeps) {
    this.#deps = deps;
  }

  /** Sends whatever may be sent now. */
  flush(): void {
    const { outbox } = this.#deps;
    if (!this.#deps.ready() || this.#pause !== undefined) return;
    const unsent = outbox.unsent();
    if (!this.#throttled) {
      for (const message of unsent) this.#send(message);
      return;
    }
    if (outbox.inFlightCount() > 0) return;
    const next = unsent[0];
    if (next) this.#send(next);
    else this.#throttled = false;
  }

  /** The host refused `id` for now: keep it, pause, then go one at a time. */
  rateLimited(id: string): void {
    this.#deps.outbox.markUnsent(id);
    this.#throttled = true;
    if (this.#pause !== undefined) return;
    this.#pause = setTimeout(() => {
      this.#pause = undefined;
      this.flush();
    }, this.#backoff.next());
  }

  /** An ack: the host is taking messages again. */
  acknowledged(): void {
    this.#backoff.reset();
    this.flush();
  }

  /** A new connection starts unthrottled: the host's limit may have been per connection. */
  restart(): void {
    this.stop();
    this.#throttled = false;
  }

  stop(): void {
    clearTimeout(this.#pause);
    this.#pause = undefined;
  }

  #send(message: Post): void {
    const frame = JSON.stringify(message);
    // Over the host's default frame limit it would be closed with 1009, then re-sent forever.
    if (new TextEncoder().encode(frame).length > DEFAULT_LIMITS.maxPayloadBytes) {
      this.#deps.outbox.fail(message.id, 'too_long');
      this.#deps.failed();
      return;
    }
    this.#deps.outbox.markSent(message.id);
    this.#deps.transmit(frame);
  }
}
