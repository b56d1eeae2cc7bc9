/**
 * Exactly-once, in-order delivery per conversation (protocol v2): every conversation has its own
 * log and seq, so each gets its own MessageOrder. Its cursors (the newest seq delivered of each)
 * are what a resume sends.
 */
import type { Entry } from '../wire/entries';
import { MessageOrder, type Delivery } from './message-order';

export class ConversationOrder {
  readonly #orders = new Map<string, MessageOrder<Entry>>();

  constructor(cursors: Readonly<Record<string, number>> = {}) {
    for (const [conv, seq] of Object.entries(cursors))
      this.#orders.set(conv, new MessageOrder(1000, seq));
  }

  /** The newest seq delivered of every conversation this client has received entries of. */
  cursors(): Record<string, number> {
    return Object.fromEntries([...this.#orders].map(([conv, order]) => [conv, order.lastSeq]));
  }

  cursor(conv: string): number | undefined {
    return this.#orders.get(conv)?.lastSeq;
  }

  /** A live entry of its conversation. */
  accept(entry: Entry): Delivery<Entry> {
    return this.#order(entry.conv).accept(entry);
  }

  /** A conversation's catchup: complete from its first entry on. */
  acceptCatchup(conv: string, entries: readonly Entry[]): Delivery<Entry> {
    return this.#order(conv).acceptBatch(entries.filter((entry) => entry.conv === conv));
  }

  /** The host's log of `conv` ends before our cursor (it lost entries): continue after its end. */
  clamp(conv: string, lastSeq: number): void {
    const order = this.#orders.get(conv);
    if (order && order.lastSeq > lastSeq) order.reset(lastSeq);
  }

  /** Another room: every seq starts over. */
  clear(): void {
    this.#orders.clear();
  }

  #order(conv: string): MessageOrder<Entry> {
    let order = this.#orders.get(conv);
    if (!order) {
      order = new MessageOrder<Entry>();
      this.#orders.set(conv, order);
    }
    return order;
  }
}
