/**
 * Writes to Redis that may wait: each is idempotent (raising a read marker, remembering a name,
 * saving a session, opening a direct conversation), so the outbox sends them in order, one at a
 * time, and while Redis is away keeps them and sends them again once it is back. Bounded: past
 * `limit` waiting writes the oldest are dropped (and counted), as a replica that cannot reach
 * Redis for long must not grow without end.
 */
import { describe, UnavailableError } from './redis-link';

export type Write = () => Promise<unknown>;

export class Outbox {
  readonly #waiting: Write[] = [];
  #sending: Promise<void> | undefined;
  #closed = false;
  dropped = 0;

  constructor(
    private readonly isReady: () => boolean,
    private readonly problem: (why: string) => void,
    private readonly limit = 100_000,
  ) {}

  get size(): number {
    return this.#waiting.length;
  }

  push(write: Write): void {
    if (this.#closed) return;
    this.#waiting.push(write);
    if (this.#waiting.length > this.limit) {
      // The first one may be on its way: drop the one after it.
      this.#waiting.splice(this.#sending ? 1 : 0, 1);
      this.dropped++;
    }
    void this.pump();
  }

  /** Sends what waits; called again when Redis is back. */
  pump(): Promise<void> {
    this.#sending ??= this.#send().finally(() => (this.#sending = undefined));
    return this.#sending;
  }

  async #send(): Promise<void> {
    while (this.#waiting.length > 0 && this.isReady()) {
      try {
        await this.#waiting[0]!();
      } catch (error) {
        // Away again: keep it for the next pump. Anything else would fail the same way again.
        if (error instanceof UnavailableError) break;
        this.problem(`a write to Redis failed: ${describe(error)}`);
      }
      this.#waiting.shift();
    }
  }

  /** Waits until everything that can be sent now is sent. */
  async flush(): Promise<void> {
    await this.pump();
  }

  close(): void {
    this.#closed = true;
  }
}
