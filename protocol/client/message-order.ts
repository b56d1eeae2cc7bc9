/**
 * Turns the entries of one conversation that a client receives (live, in a catchup, again after
 * every resume) into one stream where each seq appears once and in order. An entry that arrives
 * ahead of a missing one waits for it; the wait is bounded so a host that skipped a seq cannot
 * make the client hold entries forever.
 */

export interface Delivery<T> {
  items: T[];
  /** True when entries had to be delivered over a hole in the seq numbers. */
  skipped: boolean;
}

export class MessageOrder<T extends { seq: number }> {
  readonly #maxWaiting: number;
  readonly #waiting = new Map<number, T>();
  #lastSeq = 0;

  constructor(maxWaiting = 1000, lastSeq = 0) {
    this.#maxWaiting = maxWaiting;
    this.#lastSeq = lastSeq;
  }

  /** Highest seq delivered: what a resume asks the host to continue after. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** A live entry: delivered now if it is the next seq, held if it is early, dropped if seen. */
  accept(item: T): Delivery<T> {
    if (item.seq <= this.#lastSeq || this.#waiting.has(item.seq)) {
      return { items: [], skipped: false };
    }
    this.#waiting.set(item.seq, item);
    const items = this.#drain();
    if (this.#waiting.size <= this.#maxWaiting) return { items, skipped: false };
    return { items: [...items, ...this.#flushOverHoles()], skipped: true };
  }

  /**
   * A batch the host vouches is complete from its first entry on (a catchup): it may start after a
   * hole (a fresh join sees only the newest entries, a long absence is cut), and live entries
   * continue after it. `skipped` tells a hole after entries this client had already delivered.
   */
  acceptBatch(batch: readonly T[]): Delivery<T> {
    const fresh = [...batch]
      .filter((item) => item.seq > this.#lastSeq)
      .sort((a, b) => a.seq - b.seq);
    const first = fresh[0];
    const skipped = this.#lastSeq > 0 && first !== undefined && first.seq > this.#lastSeq + 1;
    const items: T[] = [];
    for (const item of fresh) {
      if (item.seq <= this.#lastSeq) continue; // a duplicate inside the batch itself
      items.push(item);
      this.#lastSeq = item.seq;
    }
    for (const seq of this.#waiting.keys()) if (seq <= this.#lastSeq) this.#waiting.delete(seq);
    return { items: [...items, ...this.#drain()], skipped };
  }

  /** Starts over after `lastSeq` (another room, or a host that lost entries it had sent). */
  reset(lastSeq = 0): void {
    this.#waiting.clear();
    this.#lastSeq = lastSeq;
  }

  #drain(): T[] {
    const ready: T[] = [];
    for (let next = this.#waiting.get(this.#lastSeq + 1); next;) {
      this.#waiting.delete(next.seq);
      ready.push(next);
      this.#lastSeq = next.seq;
      next = this.#waiting.get(this.#lastSeq + 1);
    }
    return ready;
  }

  #flushOverHoles(): T[] {
    const held = [...this.#waiting.values()].sort((a, b) => a.seq - b.seq);
    this.#waiting.clear();
    const last = held.at(-1);
    if (last) this.#lastSeq = last.seq;
    return held;
  }
}
