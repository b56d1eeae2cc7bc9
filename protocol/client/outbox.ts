/**
 * The messages this client has posted but the host has not yet acknowledged (pending), or has
 * refused for good (failed). Entries keep the order they were posted in, which is the order they
 * are (re-)sent in, and each keeps its say id for life so a re-send is recognised as a duplicate.
 */
import type { ErrorCode } from '../wire/codes';
import type { OutgoingMessage } from './client-types';

/** What a message is: where it goes, what it says, what it answers. */
export interface Post {
  id: string;
  conv: string;
  text: string;
  replyTo?: number;
}

interface Entry extends Post {
  state: 'pending' | 'failed';
  error?: ErrorCode;
  /** Sent on the current connection and not yet answered. */
  inFlight: boolean;
  /** Grows with every send, so the latest send can be told apart from the latest post. */
  sendOrder: number;
}

export class Outbox {
  readonly #entries = new Map<string, Entry>();
  #sends = 0;
  #idleWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];

  add(post: Post): OutgoingMessage {
    const entry: Entry = { ...post, state: 'pending', inFlight: false, sendOrder: 0 };
    this.#entries.set(post.id, entry);
    return toPublic(entry);
  }

  has(id: string): boolean {
    return this.#entries.has(id);
  }

  get(id: string): OutgoingMessage | undefined {
    const entry = this.#entries.get(id);
    return entry && toPublic(entry);
  }

  /** The host stored it: it leaves the outbox. Returns whether it was there. */
  settle(id: string): boolean {
    const settled = this.#entries.delete(id);
    if (settled) this.#checkIdle();
    return settled;
  }

  fail(id: string, error: ErrorCode): boolean {
    const entry = this.#entries.get(id);
    if (!entry) return false;
    entry.state = 'failed';
    entry.error = error;
    entry.inFlight = false;
    this.#checkIdle();
    return true;
  }

  /** Makes a failed entry pending again; returns false for an unknown or already pending id. */
  revive(id: string): boolean {
    const entry = this.#entries.get(id);
    if (!entry || entry.state !== 'failed') return false;
    entry.state = 'pending';
    delete entry.error;
    return true;
  }

  markSent(id: string): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    entry.inFlight = true;
    entry.sendOrder = ++this.#sends;
  }

  /** Puts an entry back in line to be sent again (it was answered with "try later"). */
  markUnsent(id: string): void {
    const entry = this.#entries.get(id);
    if (entry) entry.inFlight = false;
  }

  /** A connection ended: nothing is in flight on the next one. */
  markAllUnsent(): void {
    for (const entry of this.#entries.values()) entry.inFlight = false;
  }

  /** Pending entries waiting to be sent, in posting order. */
  unsent(): Post[] {
    return [...this.#entries.values()]
      .filter((entry) => entry.state === 'pending' && !entry.inFlight)
      .map(postOf);
  }

  inFlightCount(): number {
    let count = 0;
    for (const entry of this.#entries.values()) if (entry.inFlight) count++;
    return count;
  }

  /** The in-flight entry sent last, if any. */
  lastInFlight(): string | undefined {
    let last: Entry | undefined;
    for (const entry of this.#entries.values()) {
      if (entry.inFlight && (!last || entry.sendOrder > last.sendOrder)) last = entry;
    }
    return last?.id;
  }

  pendingCount(): number {
    let count = 0;
    for (const entry of this.#entries.values()) if (entry.state === 'pending') count++;
    return count;
  }

  /** Resolves once no entry is pending (every one acknowledged, or failed). */
  whenIdle(): Promise<void> {
    if (this.pendingCount() === 0) return Promise.resolve();
    return new Promise((resolve, reject) => this.#idleWaiters.push({ resolve, reject }));
  }

  /** Pending entries will never be answered (the session ended). */
  rejectIdleWaiters(error: Error): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const waiter of waiters) waiter.reject(error);
  }

  #checkIdle(): void {
    if (this.#idleWaiters.length === 0 || this.pendingCount() > 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const waiter of waiters) waiter.resolve();
  }

  list(): OutgoingMessage[] {
    return [...this.#entries.values()].map(toPublic);
  }
}

function postOf({ id, conv, text, replyTo }: Entry): Post {
  return { id, conv, text, ...(replyTo !== undefined && { replyTo }) };
}

function toPublic(entry: Entry): OutgoingMessage {
  const message: OutgoingMessage = { ...postOf(entry), state: entry.state };
  if (entry.error !== undefined) message.error = entry.error;
  return message;
}
