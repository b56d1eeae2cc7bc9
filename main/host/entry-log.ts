/**
 * The one ordered path of an entry, for every conversation: numbered here (the next seq of its
 * conversation, in arrival order), appended to the store, and acknowledged and broadcast only
 * once the store holds it, strictly in the order appended. The store resolves appends in that
 * order across conversations, so one queue keeps the order the host made things in.
 */
import type { Entry } from '../../protocol/wire/entries';
import type { Conversation } from './conversations';
import { encodeFrame } from './fan-out';
import type { RoomMember } from './people';
import type { RoomStore } from './store/room-store';
import { reserveFlush } from './write-batch';

/** Omit, applied to each member of a union. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An entry before the log numbers and dates it. */
export type EntryDraft = DistributiveOmit<Entry, 'seq' | 'ts' | 'conv'>;

export interface AppendOptions {
  /** Gets the `ack` once the entry is stored (none for plain mode and system entries). */
  readonly sender?: RoomMember | undefined;
  /**
   * The connection that asked, when it is not the sender: a shared log (scale-out) that learns
   * only later that the entry could not be stored tells it `unavailable`.
   */
  readonly requester?: RoomMember;
  /** Runs right after the entry is broadcast: what its effects show (membership, frames). */
  readonly shown?: ((entry: Entry) => void) | undefined;
}

export interface EntryLogHooks {
  /** Sends a stored entry to whoever its conversation's entries go to. */
  broadcast(entry: Entry, conversation: Conversation): void;
  /** The store refused an append: the seq is burnt and ordering can no longer be trusted. */
  failed(error: unknown): void;
  internalError(error: unknown): void;
}

interface PendingEntry {
  readonly entry: Entry;
  readonly conversation: Conversation;
  /** Who gets an ack once stored: the sender, then once per retry that raced the original. */
  readonly ackTo: RoomMember[];
  readonly shown: ((entry: Entry) => void) | undefined;
  stored: boolean;
}

/**
 * What the room posts entries through: this host's own log (EntryLog), or a log numbered in Redis
 * and shared by several hosts (scale-out/shared-log.ts).
 */
export interface RoomLog {
  /** True once appends can no longer be trusted to keep their order: the room must close. */
  readonly failed: boolean;
  /**
   * True when entries are numbered elsewhere and reach this host like everyone else's: the room's
   * conversations then follow an entry when it is shown, not when it is appended.
   */
  readonly sharedByHosts: boolean;
  append(conversation: Conversation, draft: EntryDraft, options?: AppendOptions): AppendResult;
  acknowledgeRetry(member: RoomMember, peerId: string, id: string): boolean;
  settled(): Promise<void>;
}

/** 'unavailable': refused at once, nothing stored, nothing changed. */
export type AppendResult = 'appended' | 'unavailable';

export class EntryLog implements RoomLog {
  readonly sharedByHosts = false;
  /** Appended, not yet broadcast, in append order. */
  private readonly pending: PendingEntry[] = [];
  /**
   * The same per conversation, in seq order (contiguous), for retries that race their original:
   * entry seq s of a conversation is at s - (seq of its first).
   */
  private readonly pendingIn = new Map<Conversation, PendingEntry[]>();
  private readonly inFlight = new Set<Promise<void>>();
  private failedAlready = false;

  constructor(
    private readonly store: RoomStore,
    private readonly conversationOf: (id: string) => Conversation | undefined,
    private readonly hooks: EntryLogHooks,
  ) {}

  get failed(): boolean {
    return this.failedAlready;
  }

  /**
   * Numbers `draft` as the next entry of `conversation` and appends it. 'unavailable': the store
   * refused it at once and nothing was stored (the conversation is unchanged).
   */
  append(
    conversation: Conversation,
    draft: EntryDraft,
    options: AppendOptions = {},
  ): 'appended' | 'unavailable' {
    const entry = {
      ...draft,
      seq: conversation.lastSeq + 1,
      conv: conversation.id,
      ts: Date.now(),
    } as Entry;
    let appended: Promise<void>;
    try {
      appended = this.store.append(entry);
    } catch (error) {
      if (isUnavailable(error)) return 'unavailable';
      appended = Promise.reject(error);
    }
    conversation.lastSeq = entry.seq;
    const pending: PendingEntry = {
      entry,
      conversation,
      ackTo: options.sender ? [options.sender] : [],
      shown: options.shown,
      stored: false,
    };
    this.pending.push(pending);
    let queue = this.pendingIn.get(conversation);
    if (!queue) this.pendingIn.set(conversation, (queue = []));
    queue.push(pending);
    reserveFlush();
    const settled = appended
      .then(
        () => this.stored(pending),
        (error: unknown) => this.fail(error),
      )
      .catch((error: unknown) => this.hooks.internalError(error))
      .finally(() => this.inFlight.delete(settled));
    this.inFlight.add(settled);
    return 'appended';
  }

  /**
   * Answers a frame whose client-chosen id this peer already used, wherever and for whatever:
   * with the original's ack once it is stored. False when the id is new.
   */
  acknowledgeRetry(member: RoomMember, peerId: string, id: string): boolean {
    const found = this.store.findBySayId(peerId, id);
    if (!found) return false;
    const conversation = this.conversationOf(found.conv);
    if (!conversation) return true;
    if (found.seq <= conversation.shownSeq) {
      sendAck(member, id, found.conv, found.seq);
      return true;
    }
    const queue = this.pendingIn.get(conversation);
    const pending = queue?.[found.seq - (queue[0]?.entry.seq ?? 0)];
    // A seq the store knows but we do not hold only happens after a store failure: stay silent.
    if (pending?.entry.seq === found.seq) pending.ackTo.push(member);
    return true;
  }

  /** Resolves once every append made so far has settled. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Broadcasts every stored entry at the head of the queue; the store resolves in order. */
  private stored(pending: PendingEntry): void {
    pending.stored = true;
    if (this.failedAlready) return;
    while (this.pending[0]?.stored) {
      const { entry, conversation, ackTo, shown } = this.pending.shift()!;
      const queue = this.pendingIn.get(conversation)!;
      queue.shift();
      if (queue.length === 0) this.pendingIn.delete(conversation);
      conversation.shownSeq = entry.seq;
      for (const member of ackTo) sendAck(member, entry.id, entry.conv, entry.seq);
      this.hooks.broadcast(entry, conversation);
      shown?.(entry);
    }
  }

  private fail(error: unknown): void {
    if (this.failedAlready) return;
    this.failedAlready = true;
    this.pending.length = 0;
    this.pendingIn.clear();
    this.hooks.failed(error);
  }
}

/** An `ack` in the form of the member's protocol; plain clients get none. */
export function sendAck(member: RoomMember, id: string, conv: string, seq: number): void {
  if (member.mode === 'v1') member.channel.send(encodeFrame({ type: 'ack', id, seq }));
  else if (member.mode === 'v2') member.channel.send(encodeFrame({ type: 'ack', id, conv, seq }));
}

/** A store that cannot be reached says so with code `unavailable`: nothing was stored. */
export function isUnavailable(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'unavailable';
}
