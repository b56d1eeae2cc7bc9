/**
 * Turns the messages a client receives (live broadcasts, welcome history, again after every
 * resume) into one stream where each seq appears once and in order. A message that arrives ahead
 * of a missing one waits for it; the wait is bounded so a host that skipped a seq cannot make the
 * client hold messages forever.
 */
import type { ChatMessage } from '../wire/frames';

export interface Delivery {
  messages: ChatMessage[];
  /** True when messages had to be delivered over a hole in the seq numbers. */
  skipped: boolean;
}

export class MessageOrder {
  readonly #maxWaiting: number;
  readonly #waiting = new Map<number, ChatMessage>();
  #lastSeq = 0;

  constructor(maxWaiting = 1000) {
    this.#maxWaiting = maxWaiting;
  }

  /** Highest seq delivered: what a resume asks the host to continue after. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** A live message: delivered now if it is the next seq, held if it is early, dropped if seen. */
  accept(message: ChatMessage): Delivery {
    if (message.seq <= this.#lastSeq || this.#waiting.has(message.seq)) {
      return { messages: [], skipped: false };
    }
    this.#waiting.set(message.seq, message);
    const messages = this.#drain();
    if (this.#waiting.size <= this.#maxWaiting) return { messages, skipped: false };
    return { messages: [...messages, ...this.#flushOverHoles()], skipped: true };
  }

  /**
   * A welcome: its history is contiguous but may start after a hole (a fresh join sees only the
   * newest messages, a long absence gets `gap`), and the room continues after `lastSeq`.
   */
  acceptWelcome(history: readonly ChatMessage[], lastSeq: number): ChatMessage[] {
    const fresh = [...history]
      .filter((message) => message.seq > this.#lastSeq)
      .sort((a, b) => a.seq - b.seq);
    const messages: ChatMessage[] = [];
    for (const message of fresh) {
      if (message.seq <= this.#lastSeq) continue; // a duplicate inside the history itself
      messages.push(message);
      this.#lastSeq = message.seq;
    }
    // The host's lastSeq is authoritative: nothing up to it will be sent live. It is lower than
    // ours only if the host lost messages it had sent; later seqs are then new messages.
    this.#lastSeq = Math.max(lastSeq, messages.at(-1)?.seq ?? 0);
    for (const seq of this.#waiting.keys()) if (seq <= this.#lastSeq) this.#waiting.delete(seq);
    return [...messages, ...this.#drain()];
  }

  /** A different room: seq numbers start over. */
  reset(lastSeq = 0): void {
    this.#waiting.clear();
    this.#lastSeq = lastSeq;
  }

  #drain(): ChatMessage[] {
    const ready: ChatMessage[] = [];
    for (let next = this.#waiting.get(this.#lastSeq + 1); next;) {
      this.#waiting.delete(next.seq);
      ready.push(next);
      this.#lastSeq = next.seq;
      next = this.#waiting.get(this.#lastSeq + 1);
    }
    return ready;
  }

  #flushOverHoles(): ChatMessage[] {
    const held = [...this.#waiting.values()].sort((a, b) => a.seq - b.seq);
    this.#waiting.clear();
    const last = held.at(-1);
    if (last) this.#lastSeq = last.seq;
    return held;
  }
}
