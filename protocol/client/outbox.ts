/**
 * What this client has posted but the host has not yet acknowledged (pending), or has refused for
 * good (failed): messages, and the edits, deletions and reactions that change them. Entries keep
 * the order they were posted in, which is the order they are (re-)sent in, and each keeps its id
 * for life so a re-send is recognised as a duplicate (exactly once).
 */
import type { ErrorCode } from '../wire/codes';
import type { OutgoingChange, OutgoingMessage, Post } from './client-types';

export type { Post } from './client-types';

type Entry = Post & {
  state: 'pending' | 'failed';
  error?: ErrorCode;
  /** Sent on the current connection and not yet answered. */
  inFlight: boolean;
  /** Grows with every send, so the latest send can be told apart from the latest post. */
  sendOrder: number;
};

export class Outbox {
  readonly #entries = new Map<string, Entry>();
  #sends = 0;
  #idleWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];

  add(post: Post): void {
    this.#entries.set(post.id, { ...post, state: 'pending', inFlight: false, sendOrder: 0 });
  }

  has(id: string): boolean {
    return this.#entries.has(id);
  }

  /** The message with this id, pending or failed (not an edit, deletion or reaction). */
  get(id: string): OutgoingMessage | undefined {
    const entry = this.#entries.get(id);
    return entry?.type === 'say' ? messageOf(entry) : undefined;
  }

  /** The edit, deletion or reaction with this id, pending or failed. */
  getChange(id: string): OutgoingChange | undefined {
    const entry = this.#entries.get(id);
    return entry && entry.type !== 'say' ? changeOf(entry) : undefined;
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

  /** The messages, in posting order. */
  list(): OutgoingMessage[] {
    const messages: OutgoingMessage[] = [];
    for (const entry of this.#entries.values()) {
      if (entry.type === 'say') messages.push(messageOf(entry));
    }
    return messages;
  }

  /** Every post still waiting for its ack, in posting order, as its frame carries it. */
  pendingPosts(): Post[] {
    const posts: Post[] = [];
    for (const entry of this.#entries.values()) {
      if (entry.state === 'pending') posts.push(postOf(entry));
    }
    return posts;
  }

  /** The edits, deletions and reactions, in posting order. */
  changes(): OutgoingChange[] {
    const changes: OutgoingChange[] = [];
    for (const entry of this.#entries.values()) {
      if (entry.type !== 'say') changes.push(changeOf(entry));
    }
    return changes;
  }
}

function postOf(entry: Entry): Post {
  const {
    state: _state,
    error: _error,
    inFlight: _inFlight,
    sendOrder: _sendOrder,
    ...post
  } = entry;
  return post;
}

function outcomeOf(entry: Entry): Pick<OutgoingMessage, 'state' | 'error'> {
  return { state: entry.state, ...(entry.error !== undefined && { error: entry.error }) };
}

function messageOf(entry: Extract<Entry, { type: 'say' }>): OutgoingMessage {
  const { id, conv, text, replyTo, files } = entry;
  return {
    id,
    conv,
    text,
    ...(replyTo !== undefined && { replyTo }),
    ...(files !== undefined && { files: [...files] }),
    ...outcomeOf(entry),
  };
}

function changeOf(entry: Exclude<Entry, { type: 'say' }>): OutgoingChange {
  const { type, ...post } = postOf(entry) as Exclude<Post, { type: 'say' }>;
  return { kind: type, ...post, ...outcomeOf(entry) } as OutgoingChange;
}
