/**
 * The room: who is in it (live sessions, unique names), and the one ordered path of a message
 * from `say` to store to ack and broadcast. Seq numbers are handed out here, in arrival order;
 * a message is acknowledged and broadcast only once the store holds it, strictly in seq order.
 */
import type { ChatMessage, HostFrame, Peer, RoomInfo } from '../../protocol/wire/frames';
import type { Limits } from '../../protocol/wire/limits';
import { codePointLength, nameKey } from '../../protocol/wire/text';
import type { Channel } from './channel';
import {
  broadcastMessage,
  broadcastPresence,
  broadcastTyping,
  encodeFrame,
  type FanOutTargets,
} from './fan-out';
import { historyPage, welcomeHistory, type HistoryPage, type WelcomeHistory } from './history';
import { PeerListBytes } from './peer-list';
import { RateLimiter } from './rate-limiter';
import type { MessageStore } from './store/message-store';
import { BroadcastGroup } from './turn-log';
import { reserveFlush } from './write-batch';

/** A connection that can hold a session: a parley.v1 or a plain client. */
export interface RoomMember {
  readonly mode: 'v1' | 'plain';
  readonly channel: Channel;
  /** Set by the room when the member joins or takes a session over. */
  session: Session | undefined;
}

export interface Session {
  readonly peer: Peer;
  /** The connection currently speaking for this peer (changes on a takeover). */
  member: RoomMember;
  lastTypingRelay: number;
}

export interface RoomHooks {
  joined(peer: Peer): void;
  left(peer: Peer): void;
  /** The store refused an append: the seq is burnt and ordering can no longer be trusted. */
  failed(error: unknown): void;
  /** A bug in the host's own code; the room carries on. */
  internalError(error: unknown): void;
}

export type SayResult = 'stored' | 'duplicate' | 'too_long' | 'rate_limited' | 'unavailable';

interface PendingMessage {
  readonly message: ChatMessage;
  /** Who gets an ack once stored: the sender, then once per retry that raced the original. */
  readonly ackTo: RoomMember[];
  stored: boolean;
}

/** Typing notices a peer may cause, at most one per this interval. */
export const TYPING_RELAY_INTERVAL_MS = 1000;

export class Room {
  private readonly sessions = new Map<string, Session>();
  private readonly nameOwners = new Map<string, string>();
  private readonly targets: FanOutTargets = {
    v1: new BroadcastGroup(),
    plain: new BroadcastGroup(),
  };
  /** Appended, not yet broadcast, in seq order (contiguous). */
  private readonly pending: PendingMessage[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly rateLimiter: RateLimiter;
  private nextSeq: number;
  private broadcastSeq: number;
  private guestCounter = 0;
  private readonly peerList = new PeerListBytes();
  private state: 'open' | 'closing' | 'failed' = 'open';

  constructor(
    private readonly store: MessageStore,
    private readonly limits: Limits,
    private readonly hooks: RoomHooks,
  ) {
    this.nextSeq = store.lastSeq + 1;
    this.broadcastSeq = store.lastSeq;
    this.rateLimiter = new RateLimiter(limits.rateBurst, limits.ratePerSecond);
  }

  get info(): RoomInfo {
    const { id, name } = this.store.room;
    return { id, name };
  }

  /** Live sessions. */
  get size(): number {
    return this.sessions.size;
  }

  get failed(): boolean {
    return this.state === 'failed';
  }

  /** Everyone connected, in join order. */
  peers(): Peer[] {
    return Array.from(this.sessions.values(), (session) => session.peer);
  }

  /** `peers()` as JSON array items without the brackets, shared by every welcome until a leave. */
  peerItemsBytes(): Buffer {
    return this.peerList.bytes(() => this.peers());
  }

  /** The peer id of the live session holding `name` (case-insensitively), if any. */
  nameHolder(name: string): string | undefined {
    return this.nameOwners.get(nameKey(name));
  }

  liveSession(peerId: string): Session | undefined {
    return this.sessions.get(peerId);
  }

  /** `guest-N`, N counting up per host, skipping names someone already holds. */
  guestName(): string {
    for (let attempt = 0; attempt <= this.sessions.size; attempt++) {
      const name = `guest-${++this.guestCounter}`;
      if (!this.nameHolder(name)) return name;
    }
    return `guest-${++this.guestCounter}`;
  }

  /**
   * Adds a new live session. `greet` runs after the others were told and before the member joins
   * the fan-out, so whatever it sends precedes every later broadcast.
   */
  admit(member: RoomMember, peer: Peer, greet: (session: Session) => void): Session {
    const session: Session = { peer, member, lastTypingRelay: -Infinity };
    this.sessions.set(peer.id, session);
    this.peerList.joined(peer);
    this.nameOwners.set(nameKey(peer.name), peer.id);
    member.session = session;
    if (this.state === 'open') broadcastPresence(this.targets, 'joined', peer);
    this.hooks.joined(peer);
    greet(session);
    this.subscribe(member);
    return session;
  }

  /** Moves a live session to another connection; the old one is closed with `replaced`. */
  takeOver(session: Session, member: RoomMember, greet: (session: Session) => void): void {
    const previous = session.member;
    this.unsubscribe(previous.channel);
    session.member = member;
    member.session = session;
    previous.channel.fail('replaced');
    greet(session);
    this.subscribe(member);
  }

  /** Ends the member's session (if it still owns one) and tells the others. Idempotent. */
  leave(member: RoomMember): void {
    this.unsubscribe(member.channel);
    const session = member.session;
    if (!session || session.member !== member || this.sessions.get(session.peer.id) !== session) {
      return;
    }
    this.sessions.delete(session.peer.id);
    this.peerList.left();
    const key = nameKey(session.peer.name);
    if (this.nameOwners.get(key) === session.peer.id) this.nameOwners.delete(key);
    if (this.state === 'open') broadcastPresence(this.targets, 'left', session.peer);
    this.rateLimiter.prune();
    this.hooks.left(session.peer);
  }

  /**
   * Handles one chat message. A retry of a stored (or in-flight) id is acknowledged with its
   * original seq and never limited; otherwise the text and the sender's rate are checked, then
   * the message gets the next seq and goes to the store.
   */
  say(member: RoomMember, sayId: string, text: string): SayResult {
    const session = member.session;
    if (!session || this.state !== 'open') return 'unavailable';
    if (this.acknowledgeRetry(member, session.peer.id, sayId)) return 'duplicate';
    if (!isSayable(text, this.limits.maxTextLength)) return 'too_long';
    if (!this.rateLimiter.take(session.peer.id)) return 'rate_limited';
    this.publish(session.peer, sayId, text, member.mode === 'v1' ? member : undefined);
    return 'stored';
  }

  relayTyping(session: Session): void {
    const now = performance.now();
    if (now - session.lastTypingRelay < TYPING_RELAY_INTERVAL_MS) return;
    session.lastTypingRelay = now;
    broadcastTyping(this.targets, session.peer, session.member.channel);
  }

  welcomeHistory(afterSeq?: number): WelcomeHistory {
    return welcomeHistory(this.store, this.limits, this.broadcastSeq, afterSeq);
  }

  historyPage(before: number, limit: number): HistoryPage {
    return historyPage(this.store, this.limits, this.broadcastSeq, before, limit);
  }

  /** Stops presence broadcasts: the host is closing every socket anyway. */
  beginShutdown(): void {
    if (this.state === 'open') this.state = 'closing';
  }

  /** Resolves once every append made so far has settled. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private acknowledgeRetry(member: RoomMember, peerId: string, sayId: string): boolean {
    const seq = this.store.findSeqBySayId(peerId, sayId);
    if (seq === undefined) return false;
    if (seq <= this.broadcastSeq) {
      member.channel.send(encodeFrame(ackFrame(sayId, seq)));
      return true;
    }
    const head = this.pending[0];
    const entry = head && this.pending[seq - head.message.seq];
    // A seq the store knows but we do not hold only happens after a store failure: stay silent.
    if (entry?.message.seq === seq) entry.ackTo.push(member);
    return true;
  }

  private publish(from: Peer, id: string, text: string, sender?: RoomMember): void {
    const message: ChatMessage = { seq: this.nextSeq++, id, from, text, ts: Date.now() };
    const entry: PendingMessage = { message, ackTo: sender ? [sender] : [], stored: false };
    this.pending.push(entry);
    let appended: Promise<void>;
    try {
      appended = this.store.append(message);
    } catch (error) {
      appended = Promise.reject(error);
    }
    reserveFlush();
    const settled = appended
      .then(
        () => this.stored(entry),
        (error: unknown) => this.fail(error),
      )
      .catch((error: unknown) => this.hooks.internalError(error))
      .finally(() => this.inFlight.delete(settled));
    this.inFlight.add(settled);
  }

  /** Broadcasts every stored message at the head of the queue; the store resolves in order. */
  private stored(entry: PendingMessage): void {
    entry.stored = true;
    if (this.state === 'failed') return;
    while (this.pending[0]?.stored) {
      const { message, ackTo } = this.pending.shift()!;
      this.broadcastSeq = message.seq;
      if (ackTo.length > 0) {
        const ack = encodeFrame(ackFrame(message.id, message.seq));
        for (const member of ackTo) member.channel.send(ack);
      }
      broadcastMessage(this.targets, message);
    }
  }

  private fail(error: unknown): void {
    if (this.state === 'failed') return;
    this.state = 'failed';
    this.pending.length = 0;
    this.hooks.failed(error);
  }

  private subscribe(member: RoomMember): void {
    if (!member.channel.isOpen) return;
    (member.mode === 'v1' ? this.targets.v1 : this.targets.plain).add(member.channel);
  }

  private unsubscribe(channel: Channel): void {
    this.targets.v1.delete(channel);
    this.targets.plain.delete(channel);
  }
}

function ackFrame(id: string, seq: number): Extract<HostFrame, { type: 'ack' }> {
  return { type: 'ack', id, seq };
}

/** Text a message may carry: not empty after trimming, at most `max` code points (kept verbatim). */
export function isSayable(text: string, max: number): boolean {
  return text.trim().length > 0 && codePointLength(text) <= max;
}

export function tooLongMessage(max: number): string {
  return `text must be 1 to ${max} characters and not only spaces`;
}
