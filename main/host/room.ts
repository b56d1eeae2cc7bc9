/**
 * The room: who is in it (people.ts), its conversations (conversations.ts), the one ordered path
 * of an entry (entry-log.ts), and who receives what (fan-out.ts). Connections of every mode join
 * and leave through here; parley.v1 and plain clients post to `general` through `say`, parley.v2
 * requests (v2-*.ts) use the same parts.
 */
import type { Entry, PeerV2 } from '../../protocol/wire/entries';
import type { Peer, RoomInfo } from '../../protocol/wire/frames';
import type { Limits } from '../../protocol/wire/limits';
import { codePointLength } from '../../protocol/wire/text';
import type { Audience } from './audience';
import type { Channel } from './channel';
import { Conversations, type Conversation } from './conversations';
import { EntryLog, type RoomLog } from './entry-log';
import {
  broadcastEntry,
  broadcastPresence,
  broadcastRename,
  broadcastTyping,
  broadcastTypingV2,
  type FanOutTargets,
} from './fan-out';
import { historyPage, welcomeHistory, type HistoryPage, type WelcomeHistory } from './history';
import type { Admission } from './admission';
import { People, type Person, type RoomMember, type Session } from './people';
import { RateLimiter } from './rate-limiter';
import type { RoomStore } from './store/room-store';
import { BroadcastGroup } from './turn-log';

export type { RoomMember, Session } from './people';

/**
 * What a room needs from the shared room when several hosts serve it (scale-out/): the shared
 * log, presence across hosts, and typing notices to the other hosts.
 */
export interface RoomScaleOut {
  createLog(room: Room, hooks: Pick<RoomHooks, 'failed'>): RoomLog;
  /** Catches up with the shared room and follows it (before the host accepts connections). */
  start(): Promise<void>;
  /** Leaves the shared room (the host is closing). */
  close(): Promise<void>;
  /** Admits sessions (hello) room-wide: names, presence, sessions (admission.ts). */
  readonly admission: Admission;
  /** The person's last session on this host ended: the shared room says when it leaves. */
  departed(person: Person): void;
  typing(conversation: Conversation, peer: PeerV2): void;
}

export interface RoomHooks {
  joined(peer: Peer): void;
  left(peer: Peer): void;
  /** The store refused an append: the seq is burnt and ordering can no longer be trusted. */
  failed(error: unknown): void;
  /** A bug in the host's own code; the room carries on. */
  internalError(error: unknown): void;
}

/**
 * `closed`: the host is closing or its store failed (every socket is being closed: nothing to
 * say); `unavailable`: the store refused the entry at once and nothing was stored.
 */
export type SayResult =
  'stored' | 'duplicate' | 'too_long' | 'rate_limited' | 'unavailable' | 'closed';

/** Typing notices a peer may cause per conversation, at most one per this interval. */
export const TYPING_RELAY_INTERVAL_MS = 1000;

export class Room {
  readonly people = new People();
  readonly conversations: Conversations;
  readonly log: RoomLog;
  readonly targets: FanOutTargets = {
    v1: new BroadcastGroup(),
    plain: new BroadcastGroup(),
    v2: new BroadcastGroup(),
  };
  /**
   * The audiences each live session's connection is in, to leave them all when it goes; null
   * while it is in none (general has no audience), as for most people of a large room, to whom
   * an empty Set would cost ~150 bytes each.
   */
  private readonly audiencesOf = new WeakMap<Session, Set<Audience> | null>();
  private readonly rateLimiter: RateLimiter;
  private state: 'open' | 'closing' = 'open';

  constructor(
    readonly store: RoomStore,
    readonly limits: Limits,
    /** Channels people may create besides `general` (host option `maxChannels`). */
    readonly maxChannels: number,
    private readonly hooks: RoomHooks,
    /** Set when this host is one of several serving the room (scale-out/). */
    readonly scaleOut?: RoomScaleOut,
  ) {
    this.conversations = new Conversations(store);
    this.rateLimiter = new RateLimiter(limits.rateBurst, limits.ratePerSecond);
    const conversations = this.conversations;
    this.log =
      scaleOut?.createLog(this, hooks) ??
      new EntryLog(store, (id) => conversations.get(id), {
        broadcast: (entry, conversation) => this.broadcast(entry, conversation),
        failed: hooks.failed,
        internalError: hooks.internalError,
      });
  }

  get info(): RoomInfo {
    const { id, name } = this.store.room;
    return { id, name };
  }

  /** People present. */
  get size(): number {
    return this.people.size;
  }

  /** True once the store refused an append, or the host began closing. */
  get closed(): boolean {
    return this.state !== 'open' || this.log.failed;
  }

  /** Everyone present, in arrival order, as parley.v1 shows them. */
  peers(): Peer[] {
    return Array.from(this.people.all(), (person) => person.v1Peer);
  }

  /**
   * Adds a session for `peer` (its person arrives unless present). `greet` runs after the others
   * were told and before the member joins the fan-out, so whatever it sends precedes every later
   * broadcast.
   */
  enter(
    member: RoomMember,
    peer: PeerV2,
    tokenHash: string,
    greet: (session: Session) => void,
  ): Session {
    let person = this.people.get(peer.id);
    const arriving = !person;
    if (!person) person = this.people.arrive(peer);
    const session: Session = { person, tokenHash, member };
    this.people.addSession(session);
    member.session = session;
    if (arriving) {
      if (this.state === 'open') broadcastPresence(this.targets, 'joined', person.peer);
      this.hooks.joined(person.v1Peer);
    }
    greet(session);
    this.subscribe(member);
    return session;
  }

  /** Moves a live session to another connection; the old one is closed with `replaced`. */
  takeOver(session: Session, member: RoomMember, greet: (session: Session) => void): void {
    const previous = session.member;
    this.unsubscribe(previous);
    session.member = member;
    member.session = session;
    previous.channel.fail('replaced');
    greet(session);
    this.subscribe(member);
  }

  /** Ends the member's session (if it still owns one); its person leaves with its last one. */
  leave(member: RoomMember): void {
    this.unsubscribe(member);
    const session = member.session;
    if (!session || session.member !== member || !session.person.sessions.has(session)) return;
    const { person } = session;
    if (!this.people.removeSession(session)) return;
    if (this.scaleOut) {
      this.scaleOut.departed(person);
      return;
    }
    this.people.depart(person);
    if (this.state === 'open') broadcastPresence(this.targets, 'left', person.peer);
    this.rateLimiter.prune();
    this.hooks.left(person.v1Peer);
  }

  /** Someone connected to another host of the room arrived (scale-out). */
  arrivedElsewhere(peer: PeerV2): void {
    if (this.people.get(peer.id)) return;
    const person = this.people.arrive(peer);
    if (this.state === 'open') broadcastPresence(this.targets, 'joined', person.peer);
    this.hooks.joined(person.v1Peer);
  }

  /** Someone is gone from every host of the room (scale-out); a person with sessions here stays. */
  leftEverywhere(peerId: string): void {
    const person = this.people.get(peerId);
    if (!person || person.sessions.size > 0) return;
    this.people.depart(person);
    if (this.state === 'open') broadcastPresence(this.targets, 'left', person.peer);
    this.rateLimiter.prune();
    this.hooks.left(person.v1Peer);
  }

  /** A present person takes another name nobody else holds; everyone is told. */
  rename(person: Person, name: string): void {
    const before = person.peer;
    this.people.rename(person, name);
    if (this.state === 'open') broadcastRename(this.targets, before, person.peer);
    // Hosts learn of it through their listeners as a leave and a join, like parley.v1 clients.
    this.hooks.left({ id: before.id, name: before.name });
    this.hooks.joined(person.v1Peer);
  }

  /** Takes one of the person's rate tokens; false when it is sending too fast. */
  takeRateToken(person: Person): boolean {
    return this.rateLimiter.take(person.id);
  }

  /**
   * A parley.v1 or plain client's message to `general`. A retry of a stored (or in-flight) id is
   * acknowledged with its original seq and never limited; otherwise the text and the sender's
   * rate are checked, then the message gets the next seq and goes to the store.
   */
  say(member: RoomMember, sayId: string, text: string): SayResult {
    const session = member.session;
    if (!session || this.closed) return 'closed';
    const { person } = session;
    if (this.log.acknowledgeRetry(member, person.id, sayId)) return 'duplicate';
    if (!isSayable(text, this.limits.maxTextLength)) return 'too_long';
    if (!this.takeRateToken(person)) return 'rate_limited';
    const sender = member.mode === 'v1' ? member : undefined;
    const draft = { kind: 'text', id: sayId, from: person.peer, text } as const;
    const appended = this.log.append(this.conversations.general, draft, {
      sender,
      requester: member,
    });
    return appended === 'appended' ? 'stored' : 'unavailable';
  }

  /** Relays a `typing` in `conversation` (at most once a second per person and conversation). */
  relayTyping(session: Session, conversation: Conversation): void {
    if (this.closed) return;
    const { person } = session;
    const now = performance.now();
    const lastTyping = (person.lastTyping ??= new Map());
    if (now - (lastTyping.get(conversation.id) ?? -Infinity) < TYPING_RELAY_INTERVAL_MS) return;
    lastTyping.set(conversation.id, now);
    const own = new Set<Channel>(Array.from(person.members(), (member) => member.channel));
    if (conversation.isGeneral) {
      const v1Except = session.member.mode === 'v1' ? session.member.channel : undefined;
      broadcastTyping(this.targets, person.peer, v1Except);
    }
    broadcastTypingV2(this.targets, conversation, person.peer, own);
    this.scaleOut?.typing(conversation, person.peer);
  }

  /** Relays a `typing` that reached another host of the room (scale-out). */
  typingElsewhere(peer: PeerV2, conversation: Conversation): void {
    if (this.closed) return;
    const own = new Set<Channel>();
    for (const member of this.people.get(peer.id)?.members() ?? []) own.add(member.channel);
    if (conversation.isGeneral) broadcastTyping(this.targets, peer);
    broadcastTypingV2(this.targets, conversation, peer, own);
  }

  /** `conversation`'s entries go to the session's connection from now on. */
  enterAudience(session: Session, conversation: Conversation): boolean {
    const audiences = this.audiencesOf.get(session);
    const channel = session.member.channel;
    if (audiences === undefined || conversation.isGeneral || conversation.audience.has(channel)) {
      return false;
    }
    conversation.audience.add(channel);
    if (audiences) audiences.add(conversation.audience);
    else this.audiencesOf.set(session, new Set([conversation.audience]));
    return true;
  }

  /** `conversation`'s entries no longer go to the session's connection. */
  leaveAudience(session: Session, conversation: Conversation): boolean {
    const channel = session.member.channel;
    if (!conversation.audience.has(channel)) return false;
    conversation.audience.delete(channel);
    this.audiencesOf.get(session)?.delete(conversation.audience);
    return true;
  }

  welcomeHistory(afterSeq?: number): WelcomeHistory {
    return welcomeHistory(this.store, this.limits, this.conversations.general.shownSeq, afterSeq);
  }

  historyPage(before: number, limit: number): HistoryPage {
    const upTo = this.conversations.general.shownSeq;
    return historyPage(this.store, this.limits, upTo, before, limit);
  }

  /** Stops presence broadcasts: the host is closing every socket anyway. */
  beginShutdown(): void {
    this.state = 'closing';
  }

  /** Resolves once every append made so far has settled. */
  settled(): Promise<void> {
    return this.log.settled();
  }

  private broadcast(entry: Entry, conversation: Conversation): void {
    broadcastEntry(this.targets, entry, conversation);
  }

  /**
   * The member's connection joins the broadcasts of its mode; a parley.v2 one also the audiences
   * of the conversations its person is shown to be a member of.
   */
  private subscribe(member: RoomMember): void {
    const session = member.session;
    if (!member.channel.isOpen || !session) return;
    if (member.mode !== 'v2') {
      (member.mode === 'v1' ? this.targets.v1 : this.targets.plain).add(member.channel);
      return;
    }
    this.targets.v2.add(member.channel);
    this.audiencesOf.set(session, null);
    for (const conversation of this.conversations.memberOf(session.person.id)) {
      if (isShown(conversation)) this.enterAudience(session, conversation);
    }
  }

  private unsubscribe(member: RoomMember): void {
    const channel = member.channel;
    this.targets.v1.delete(channel);
    this.targets.plain.delete(channel);
    this.targets.v2.delete(channel);
    const session = member.session;
    if (!session || session.member !== member) return;
    const audiences = this.audiencesOf.get(session);
    this.audiencesOf.delete(session);
    for (const audience of audiences ?? []) audience.delete(channel);
  }
}

/** Whether clients know the conversation yet: a channel once its `channel_created` is shown. */
export function isShown(conversation: Conversation): boolean {
  return conversation.isDirect || conversation.isGeneral || conversation.shownSeq > 0;
}

/** Text a message may carry: not empty after trimming, at most `max` code points (kept verbatim). */
export function isSayable(text: string, max: number): boolean {
  return text.trim().length > 0 && codePointLength(text) <= max;
}

export function tooLongMessage(max: number): string {
  return `text must be 1 to ${max} characters and not only spaces`;
}
