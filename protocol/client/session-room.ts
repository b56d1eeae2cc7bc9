/**
 * What a client session knows of its room: who this client is, the people, and every
 * conversation with its delivery order (per-conversation cursors) and unread state. It takes the
 * welcome and the room's frames (catchups, entries, conversations, read markers, presence) and
 * says what changed through the session's events; the session keeps the connection, the outbox
 * and the requests.
 */
import type { RoomInfo } from '../wire/frames';
import type { Entry, PeerV2 } from '../wire/entries';
import { conversationOf, entryOf, type HostFrameV2, type WelcomeV2Frame } from '../wire/frames-v2';
import { ConversationList } from './conversation-list';
import { ConversationOrder } from './conversation-order';
import type { Emitter } from './emitter';
import { PeerList } from './peer-list';
import type { ClientSessionEvents, MuteStore, SessionSnapshot } from './client-types';

export interface SessionRoomOptions {
  events: Emitter<ClientSessionEvents>;
  /** Entries this client posted, as delivered: the outbox may still hold them (a lost ack). */
  delivered(own: Entry[]): void;
  /** Where an earlier process left off (its room and cursors). */
  resume?: SessionSnapshot;
  /** Where the person's muted conversations are kept, per room. */
  mutes?: MuteStore;
}

/** The frames of the room itself (answers to requests and the outbox's acks are the session's). */
export type RoomFrame = Extract<
  HostFrameV2,
  { type: 'catchup' | 'message' | 'conversation' | 'read' | 'joined' | 'left' | 'peer' | 'typing' }
>;

const ROOM_FRAME_TYPES: ReadonlySet<string> = new Set<RoomFrame['type']>([
  'catchup',
  'message',
  'conversation',
  'read',
  'joined',
  'left',
  'peer',
  'typing',
]);

export const isRoomFrame = (frame: HostFrameV2): frame is RoomFrame =>
  ROOM_FRAME_TYPES.has(frame.type);

export class SessionRoom {
  readonly #options: SessionRoomOptions;
  readonly #events: Emitter<ClientSessionEvents>;
  readonly order: ConversationOrder;
  readonly peers = new PeerList();
  readonly conversations: ConversationList;
  /** Read markers set while no connection was open: sent after the next welcome. */
  readonly #unsentReads = new Map<string, number>();
  /** Member conversations whose catchup has not arrived since the last welcome. */
  #awaitingCatchup = new Set<string>();
  #room: RoomInfo | undefined;
  #roomId: string | undefined;
  #self: PeerV2 | undefined;

  constructor(options: SessionRoomOptions) {
    this.#options = options;
    this.#events = options.events;
    this.order = new ConversationOrder(options.resume?.cursors);
    this.#roomId = options.resume?.roomId;
    this.conversations = new ConversationList({
      self: () => this.#self,
      peerNames: () => this.peers.names(),
    });
  }

  get room(): RoomInfo | undefined {
    return this.#room;
  }
  get roomId(): string | undefined {
    return this.#roomId;
  }
  get self(): PeerV2 | undefined {
    return this.#self;
  }
  /** Every member conversation's catchup arrived since the last welcome. */
  get caughtUp(): boolean {
    return this.#room !== undefined && this.#awaitingCatchup.size === 0;
  }

  /** A (re)connection's welcome: the host's lists replace ours. */
  welcome(welcome: WelcomeV2Frame): void {
    const previous = this.#room ?? (this.#roomId ? { id: this.#roomId, name: '' } : undefined);
    if (previous && previous.id !== welcome.room.id) {
      this.order.clear();
      this.conversations.clear();
      this.#unsentReads.clear();
      this.#events.emit('roomChanged', { previous, current: welcome.room });
    }
    this.#room = welcome.room;
    this.#roomId = welcome.room.id;
    this.#self = welcome.self;
    this.peers.reset(welcome.peers, welcome.peerCount);
    // The host's logs are the truth: one that ends before our cursor lost entries it had sent.
    for (const { id, lastSeq } of welcome.conversations) this.order.clamp(id, lastSeq);
    this.conversations.reset(welcome.conversations);
    this.#loadMutes(welcome.room.id);
    for (const [conv, seq] of this.#unsentReads) this.conversations.markRead(conv, seq);
    this.#awaitingCatchup = new Set(
      this.conversations
        .list()
        .filter((view) => view.member)
        .map((view) => view.id),
    );
    this.#events.emit('peers', this.peers.list());
    this.#conversationsChanged();
  }

  /**
   * Marks `conv` read up to `seq` (at most its newest entry). Returns the marker to send now,
   * or undefined when there is nothing to send (unknown, not higher, or kept for the next welcome).
   */
  markRead(conv: string, seq: number, connected: boolean): number | undefined {
    const view = this.conversations.get(conv);
    if (!view) return undefined;
    const marker = Math.min(seq, view.lastSeq);
    if (!this.conversations.markRead(conv, marker)) return undefined;
    this.#conversationsChanged();
    if (connected) return marker;
    this.#unsentReads.set(conv, marker);
    return undefined;
  }

  /** The markers set while disconnected, to send on the new connection (and forget). */
  takeUnsentReads(): [conv: string, seq: number][] {
    const reads = [...this.#unsentReads];
    this.#unsentReads.clear();
    return reads;
  }

  frame(frame: RoomFrame): void {
    switch (frame.type) {
      case 'catchup': {
        const delivery = this.order.acceptCatchup(frame.conv, frame.messages);
        if (frame.gap || delivery.skipped) this.#events.emit('gap', { conv: frame.conv });
        this.#deliver(delivery.items);
        if (this.#awaitingCatchup.delete(frame.conv) && this.#awaitingCatchup.size === 0) {
          this.#events.emit('caughtUp');
        }
        break;
      }
      case 'message': {
        const delivery = this.order.accept(entryOf(frame));
        if (delivery.skipped) this.#events.emit('gap', { conv: frame.conv });
        this.#deliver(delivery.items);
        break;
      }
      case 'conversation':
        this.conversations.update(conversationOf(frame));
        this.#conversationsChanged();
        break;
      case 'read':
        if (this.conversations.markRead(frame.conv, frame.seq)) this.#conversationsChanged();
        break;
      case 'joined':
        if (this.peers.add(frame.peer)) this.#events.emit('peers', this.peers.list());
        this.#events.emit('joined', frame.peer);
        break;
      case 'left':
        if (this.peers.remove(frame.peer)) this.#events.emit('peers', this.peers.list());
        this.#events.emit('left', frame.peer);
        break;
      case 'peer':
        this.#renamed(frame.peer);
        break;
      case 'typing':
        if (frame.peer.id !== this.#self?.id) {
          this.#events.emit('typing', { conv: frame.conv, peer: frame.peer });
        }
        break;
    }
  }

  /**
   * Mutes or unmutes `conv` for this person (a client setting, kept by the mute store). Resolves
   * once kept; rejects when the store could not keep it (the change stands for this session).
   */
  async setMuted(conv: string, muted: boolean): Promise<void> {
    const roomId = this.#roomId;
    if (roomId === undefined || !this.conversations.setMuted(conv, muted)) return;
    this.#conversationsChanged();
    await this.#options.mutes?.save(roomId, this.conversations.muted());
  }

  /** Learned from a page of people (a `peers` answer). */
  learnPeers(peers: readonly PeerV2[]): void {
    if (this.peers.learn(peers)) this.#events.emit('peers', this.peers.list());
  }

  #loadMutes(roomId: string): void {
    const { mutes } = this.#options;
    if (!mutes) return;
    try {
      this.conversations.resetMuted(mutes.muted(roomId));
    } catch {
      // A store that cannot be read mutes nothing; the room still works.
    }
  }

  #renamed(peer: PeerV2): void {
    // Another device of this identity renamed it: this connection has the new name too.
    if (peer.id === this.#self?.id) this.#self = { ...this.#self, name: peer.name };
    if (this.peers.rename(peer)) this.#events.emit('peers', this.peers.list());
    if (this.conversations.renamePeer(peer)) this.#conversationsChanged();
    this.#events.emit('renamed', peer);
  }

  #deliver(entries: Entry[]): void {
    if (entries.length === 0) return;
    // The name also matches after a resume the host did not recognise (a new ephemeral id).
    const own = entries.filter(
      (entry) => entry.from.id === this.#self?.id || entry.from.name === this.#self?.name,
    );
    let listChanged = false;
    for (const entry of entries) {
      if (this.conversations.addEntry(entry)) listChanged = true;
      this.#events.emit('entry', entry);
    }
    // Our own message is stored, whether or not its ack made it back before a disconnect.
    if (own.length > 0) this.#options.delivered(own);
    if (listChanged) this.#conversationsChanged();
  }

  #conversationsChanged(): void {
    this.#events.emit('conversations', this.conversations.list());
  }
}
