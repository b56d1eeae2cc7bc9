/**
 * The client side of protocol v2 (subprotocol `parley.v2`), shared by the terminal client, the
 * desktop app and the browser guest page: hello with an identity, the welcome and each
 * conversation's catchup, exactly-once in-order delivery per conversation across reconnects,
 * resume with per-conversation cursors, the outbox of unacknowledged messages, read markers,
 * typing, and the requests the host answers (channels, direct conversations, pages); dead-host
 * detection and reconnect with backoff. It takes the WebSocket constructor as an option, so it
 * runs on `ws` and in browsers alike.
 */
import * as v from 'valibot';
import type { ConversationView } from '../bridge';
import { CloseCode, FATAL_ERROR_CLOSE, isErrorCode } from '../wire/codes';
import type { Entry, PeerV2 } from '../wire/entries';
import {
  conversationOf,
  entryOf,
  type HostFrameV2,
  type HostFrameV2Of,
  type WelcomeV2Frame,
} from '../wire/frames-v2';
import type { RoomInfo } from '../wire/frames';
import { DEFAULT_LIMITS } from '../wire/limits';
import { Backoff } from './backoff';
import { ConversationList } from './conversation-list';
import { ConversationOrder } from './conversation-order';
import { Emitter } from './emitter';
import { HeartbeatWatch } from './heartbeat-watch';
import { HostRequests, type RequestSpec } from './host-requests';
import { Outbox } from './outbox';
import { OutboxSender } from './outbox-sender';
import { PeerList } from './peer-list';
import {
  createChannelSpec,
  historySpec,
  joinSpec,
  leaveSpec,
  openDirectSpec,
  peersSpec,
  renameSpec,
  setTopicSpec,
  type EntryPage,
  type PeerPage,
  type SpecContext,
} from './request-specs';
import { resolveSessionOptions, type ResolvedSessionOptions } from './session-options';
import { SocketLink } from './socket-link';
import {
  SessionError,
  closeReason,
  closedReason,
  errorReason,
  isFatalClose,
  unreachableReason,
} from './session-error';
import type {
  ClientSessionEvents,
  ClientSessionOptions,
  ConnectionState,
  EndReason,
  OutgoingMessage,
  SessionSnapshot,
} from './client-types';

export { RequestError, SessionError } from './session-error';
export type { EntryPage, PeerPage } from './request-specs';

/** A connection open this long counts as stable: the next reconnect starts from a short delay. */
const STABLE_CONNECTION_MS = 10_000;
/** At most one `typing` frame per conversation this often: peers show it for a few seconds. */
const TYPING_INTERVAL_MS = 3_000;

const convSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const seqSchema = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const sendSchema = v.object({
  conv: convSchema,
  text: v.string(),
  replyTo: v.optional(v.pipe(seqSchema, v.minValue(1))),
});
const pageSchema = v.object({
  conv: convSchema,
  before: v.pipe(seqSchema, v.minValue(1)),
  limit: v.pipe(seqSchema, v.minValue(1), v.maxValue(DEFAULT_LIMITS.historyPageMax)),
});
const peersPageSchema = v.object({
  after: v.optional(v.string()),
  limit: v.pipe(seqSchema, v.minValue(1), v.maxValue(DEFAULT_LIMITS.peersPageMax)),
});

export interface SendRequest {
  conv: string;
  text: string;
  /** The seq, in the same conversation, this message answers. */
  replyTo?: number;
}

export class ClientSession {
  readonly #options: ResolvedSessionOptions;
  readonly #events = new Emitter<ClientSessionEvents>();
  readonly #outbox = new Outbox();
  readonly #sender: OutboxSender;
  readonly #order: ConversationOrder;
  readonly #peers = new PeerList();
  readonly #conversations: ConversationList;
  readonly #requests: HostRequests;
  readonly #specs: SpecContext;
  readonly #watch: HeartbeatWatch;
  readonly #backoff: Backoff;
  /** Read markers set while no connection was open: sent after the next welcome. */
  readonly #unsentReads = new Map<string, number>();
  readonly #lastTypingAt = new Map<string, number>();

  #state: ConnectionState = 'closed';
  #ended: EndReason | undefined;
  #link: SocketLink | undefined;
  #everWelcomed = false;
  #room: RoomInfo | undefined;
  #roomId: string | undefined;
  #self: PeerV2 | undefined;
  #token: string | undefined;
  #connecting: Promise<WelcomeV2Frame> | undefined;
  #firstWelcome:
    { resolve: (welcome: WelcomeV2Frame) => void; reject: (error: Error) => void } | undefined;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #closing: Promise<void> | undefined;

  /** Throws a TypeError on options that break the contract in client-types.ts. */
  constructor(options: ClientSessionOptions) {
    const parsed = resolveSessionOptions(options);
    this.#options = parsed;
    this.#backoff = new Backoff(parsed.backoff);
    this.#requests = new HostRequests(parsed.requestTimeoutMs);
    this.#conversations = new ConversationList({
      self: () => this.#self,
      peerNames: () => this.#peers.names(),
    });
    this.#specs = { conversations: this.#conversations, self: () => this.#self };
    this.#watch = new HeartbeatWatch({
      intervalMs: parsed.heartbeatIntervalMs,
      onQuiet: () => this.#link?.send({ type: 'ping' }),
      onDead: () => this.#link?.drop(),
    });
    this.#sender = new OutboxSender({
      outbox: this.#outbox,
      ready: () => this.#link?.welcomed === true,
      transmit: (data) => this.#link?.sendRaw(data),
      failed: () => this.#outboxChanged(),
    });
    this.#order = new ConversationOrder(parsed.resume?.cursors);
    if (parsed.resume) {
      this.#token = parsed.resume.token;
      this.#roomId = parsed.resume.roomId;
    }
  }

  on<E extends keyof ClientSessionEvents>(
    event: E,
    listener: (...args: ClientSessionEvents[E]) => void,
  ): () => void {
    return this.#events.on(event, listener);
  }

  /** 'closed' before connect() and after the session ended. */
  get state(): ConnectionState {
    return this.#state;
  }
  get self(): PeerV2 | undefined {
    return this.#self;
  }
  get room(): RoomInfo | undefined {
    return this.#room;
  }
  /** The people this client knows of (everyone, unless the room is bigger than a welcome lists). */
  get peers(): PeerV2[] {
    return this.#peers.list();
  }
  /** How many people the room has in all. */
  get peerCount(): number {
    return this.#peers.count;
  }
  /** Every channel and this identity's direct conversations, with unread counts. */
  get conversations(): ConversationView[] {
    return this.#conversations.list();
  }
  conversation(id: string): ConversationView | undefined {
    return this.#conversations.get(id);
  }
  /** The channel called `name` (with or without `#`, any case). */
  channelNamed(name: string): ConversationView | undefined {
    return this.#conversations.channelNamed(name);
  }
  /** The newest seq delivered of `conv` (0 before any). */
  cursor(conv: string): number {
    return this.#order.cursor(conv) ?? 0;
  }
  /** Messages not yet acknowledged or given up on, in the order they were posted. */
  get outbox(): OutgoingMessage[] {
    return this.#outbox.list();
  }

  /** Opens the first connection; rejects with a SessionError if the host refuses or is unreachable. */
  connect(): Promise<WelcomeV2Frame> {
    if (this.#ended) return Promise.reject(new SessionError(this.#ended));
    this.#connecting ??= new Promise<WelcomeV2Frame>((resolve, reject) => {
      this.#firstWelcome = { resolve, reject };
      this.#setState('connecting');
      this.#open();
    });
    return this.#connecting;
  }

  /** Posts a message: it waits in the outbox until acknowledged, and survives reconnects. */
  send(request: SendRequest): OutgoingMessage {
    const { conv, text, replyTo } = v.parse(sendSchema, request);
    if (this.#ended) throw new SessionError(this.#ended);
    const id = this.#newId();
    this.#outbox.add({ id, conv, text, ...(replyTo !== undefined && { replyTo }) });
    this.#outboxChanged();
    this.#sender.flush();
    return this.#outbox.get(id) ?? { id, conv, text, state: 'pending' };
  }

  /** Sends a failed message again with its original id; false if there is no such failed message. */
  retry(id: string): boolean {
    v.parse(v.string(), id);
    if (this.#ended || !this.#outbox.revive(id)) return false;
    this.#outboxChanged();
    this.#sender.flush();
    return true;
  }

  /** Tells the conversation's members this person is typing (at most every few seconds). */
  typing(conv: string): void {
    v.parse(convSchema, conv);
    const now = Date.now();
    const last = this.#lastTypingAt.get(conv) ?? Number.NEGATIVE_INFINITY;
    if (this.#state !== 'open' || now - last < TYPING_INTERVAL_MS) return;
    if (!this.#conversations.get(conv)?.member) return;
    this.#lastTypingAt.set(conv, now);
    this.#link?.send({ type: 'typing', conv });
  }

  /**
   * Marks `conv` read up to `seq` (at most its newest entry); the host keeps it for this identity
   * and tells its other devices. Never lowers the marker.
   */
  markRead(conv: string, seq: number): void {
    v.parse(convSchema, conv);
    v.parse(seqSchema, seq);
    const view = this.#conversations.get(conv);
    if (!view) return;
    const marker = Math.min(seq, view.lastSeq);
    if (!this.#conversations.markRead(conv, marker)) return;
    this.#conversationsChanged();
    if (this.#link?.welcomed) this.#link.send({ type: 'read', conv, seq: marker });
    else this.#unsentReads.set(conv, marker);
  }

  /** A page of entries of `conv` older than `before`, oldest first; asked again after a reconnect. */
  loadOlder(conv: string, before: number, limit = 50): Promise<EntryPage> {
    const page = v.safeParse(pageSchema, { conv, before, limit });
    if (!page.success) {
      return Promise.reject(new RangeError(`loadOlder: ${v.summarize(page.issues)}`));
    }
    return this.#request(historySpec(conv, before, limit));
  }

  /** The next page of people by name after `after` (from the first without it). */
  morePeers(after?: string, limit = 200): Promise<PeerPage> {
    const page = v.safeParse(peersPageSchema, { after, limit });
    if (!page.success) {
      return Promise.reject(new RangeError(`morePeers: ${v.summarize(page.issues)}`));
    }
    return this.#request(peersSpec(after, limit)).then((answer) => {
      if (this.#peers.learn(answer.peers)) this.#events.emit('peers', this.#peers.list());
      return answer;
    });
  }

  /** Creates a channel, this person its first member; resolves with its view once the host made it. */
  createChannel(name: string, topic?: string): Promise<ConversationView> {
    v.parse(v.string(), name);
    v.parse(v.optional(v.string()), topic);
    return this.#request(createChannelSpec(this.#specs, this.#newId(), name, topic));
  }

  joinChannel(conv: string): Promise<ConversationView> {
    return this.#request(joinSpec(this.#specs, v.parse(convSchema, conv)));
  }

  leaveChannel(conv: string): Promise<ConversationView> {
    return this.#request(leaveSpec(this.#specs, v.parse(convSchema, conv)));
  }

  /** The direct conversation with the peer `peerId` (created by the host on first use). */
  openDirect(peerId: string): Promise<ConversationView> {
    return this.#request(openDirectSpec(this.#specs, v.parse(convSchema, peerId)));
  }

  /** Sets (or, empty, clears) a channel's topic; resolves with the seq of its `topic` entry. */
  setTopic(conv: string, topic: string): Promise<{ conv: string; seq: number }> {
    v.parse(convSchema, conv);
    v.parse(v.string(), topic);
    return this.#request(setTopicSpec(this.#newId(), conv, topic));
  }

  /** Renames a channel (its creator only). */
  renameChannel(conv: string, name: string): Promise<ConversationView> {
    v.parse(convSchema, conv);
    v.parse(v.string(), name);
    return this.#request(renameSpec(this.#specs, conv, name));
  }

  /** Resolves once every posted message is acknowledged or failed; rejects if the session ends first. */
  whenSettled(): Promise<void> {
    if (this.#outbox.pendingCount() > 0 && this.#ended) {
      return Promise.reject(new SessionError(this.#ended));
    }
    return this.#outbox.whenIdle();
  }

  /** What a later session (another process) needs to resume this one. */
  snapshot(): SessionSnapshot | undefined {
    if (this.#token === undefined || this.#roomId === undefined) return undefined;
    return { token: this.#token, cursors: this.#order.cursors(), roomId: this.#roomId };
  }

  /** Leaves the room: closes the socket normally, stops reconnecting, emits `ended`. */
  close(): Promise<void> {
    this.#end(closedReason());
    return this.#closing ?? Promise.resolve();
  }

  #newId(): string {
    const id = this.#options.createId();
    if (this.#outbox.has(id)) throw new Error(`createId returned an id already in use: ${id}`);
    return id;
  }

  #request<T>(spec: RequestSpec<T>): Promise<T> {
    if (this.#ended) return Promise.reject(new SessionError(this.#ended));
    const answer = this.#requests.add(spec);
    if (this.#link?.welcomed) this.#link.send(spec.frame);
    return answer;
  }

  #setState(state: ConnectionState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#events.emit('state', state);
  }

  #open(): void {
    const { WebSocket, url, heartbeatIntervalMs } = this.#options;
    let link: SocketLink;
    try {
      link = new SocketLink(WebSocket, url, 2 * heartbeatIntervalMs, {
        open: () => this.#sayHello(link),
        activity: () => this.#watch.touch(),
        frame: (frame) => this.#receive(link, frame),
        closed: (code) => this.#linkClosed(link, code),
      });
    } catch {
      // An address the WebSocket constructor refuses will never work: no point retrying it.
      this.#end(unreachableReason(url, 'The address is not valid.'));
      return;
    }
    this.#link = link;
  }

  #sayHello(link: SocketLink): void {
    const { name, password, identity } = this.#options;
    link.send({
      type: 'hello',
      name,
      ...(password !== undefined && { password }),
      ...(identity !== undefined && { identity }),
      ...(this.#token !== undefined && {
        resume: { token: this.#token, cursors: this.#order.cursors() },
      }),
    });
  }

  #receive(link: SocketLink, frame: HostFrameV2): void {
    if (frame.type === 'error') this.#handleError(link, frame);
    else if (frame.type === 'welcome') {
      if (!link.welcomed) this.#handleWelcome(link, frame);
    } else if (link.welcomed) {
      this.#handleRoomFrame(frame);
      this.#requests.offer(frame);
    }
  }

  #handleWelcome(link: SocketLink, welcome: WelcomeV2Frame): void {
    link.markWelcomed();
    this.#everWelcomed = true;
    const previous = this.#room ?? (this.#roomId ? { id: this.#roomId, name: '' } : undefined);
    if (previous && previous.id !== welcome.room.id) {
      this.#order.clear();
      this.#conversations.clear();
      this.#unsentReads.clear();
      this.#events.emit('roomChanged', { previous, current: welcome.room });
    }
    this.#room = welcome.room;
    this.#roomId = welcome.room.id;
    this.#self = welcome.self;
    this.#token = welcome.token;
    this.#peers.reset(welcome.peers, welcome.peerCount);
    // The host's logs are the truth: one that ends before our cursor lost entries it had sent.
    for (const { id, lastSeq } of welcome.conversations) this.#order.clamp(id, lastSeq);
    this.#conversations.reset(welcome.conversations);
    for (const [conv, seq] of this.#unsentReads) this.#conversations.markRead(conv, seq);

    this.#events.emit('peers', this.#peers.list());
    this.#conversationsChanged();
    this.#setState('open');
    this.#events.emit('welcome', welcome);

    this.#watch.start();
    for (const [conv, seq] of this.#unsentReads) link.send({ type: 'read', conv, seq });
    this.#unsentReads.clear();
    for (const frame of this.#requests.outstanding()) link.send(frame);
    this.#sender.restart();
    this.#sender.flush();
    const first = this.#firstWelcome;
    this.#firstWelcome = undefined;
    first?.resolve(welcome);
  }

  #handleRoomFrame(frame: Exclude<HostFrameV2, { type: 'welcome' | 'error' }>): void {
    switch (frame.type) {
      case 'catchup': {
        const delivery = this.#order.acceptCatchup(frame.conv, frame.messages);
        if (frame.gap || delivery.skipped) this.#events.emit('gap', { conv: frame.conv });
        this.#deliver(delivery.items);
        break;
      }
      case 'message': {
        const delivery = this.#order.accept(entryOf(frame));
        if (delivery.skipped) this.#events.emit('gap', { conv: frame.conv });
        this.#deliver(delivery.items);
        break;
      }
      case 'ack':
        if (this.#outbox.settle(frame.id)) this.#outboxChanged();
        this.#events.emit('ack', { id: frame.id, conv: frame.conv, seq: frame.seq });
        this.#sender.acknowledged();
        break;
      case 'conversation':
        this.#conversations.update(conversationOf(frame));
        this.#conversationsChanged();
        break;
      case 'read':
        if (this.#conversations.markRead(frame.conv, frame.seq)) this.#conversationsChanged();
        break;
      case 'joined':
        if (this.#peers.add(frame.peer)) this.#events.emit('peers', this.#peers.list());
        this.#events.emit('joined', frame.peer);
        break;
      case 'left':
        if (this.#peers.remove(frame.peer)) this.#events.emit('peers', this.#peers.list());
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
      case 'peers':
      case 'history':
      case 'search_results':
        break; // answers to requests only
      case 'pong':
        break; // its arrival already counted as a sign of life
    }
  }

  #renamed(peer: PeerV2): void {
    // Another device of this identity renamed it: this connection has the new name too.
    if (peer.id === this.#self?.id) this.#self = { ...this.#self, name: peer.name };
    if (this.#peers.rename(peer)) this.#events.emit('peers', this.#peers.list());
    if (this.#conversations.renamePeer(peer)) this.#conversationsChanged();
    this.#events.emit('renamed', peer);
  }

  #handleError(link: SocketLink, frame: HostFrameV2Of<'error'>): void {
    link.lastErrorCode = frame.code;
    // A fatal error is followed by its close code; the close decides what happens.
    if (frame.code in FATAL_ERROR_CLOSE) return;
    if (!link.welcomed) {
      // Only the hello can be refused before the welcome; the same hello would be refused again.
      if (frame.code === 'bad_name' || frame.code === 'bad_message') {
        this.#end(errorReason(frame.code));
      }
      return;
    }
    const { code, ref } = frame;
    if (ref !== undefined && this.#outbox.has(ref)) {
      if (code === 'rate_limited') {
        this.#sender.rateLimited(ref);
      } else {
        // Anything else the host says about a message is final for that text.
        this.#outbox.fail(ref, isErrorCode(code) ? code : 'bad_message');
        this.#outboxChanged();
      }
    } else if (this.#requests.refuse({ code, ref })) {
      return; // the request's promise carries it
    }
    this.#events.emit('error', { code, message: frame.message, ...(ref !== undefined && { ref }) });
  }

  #deliver(entries: Entry[]): void {
    let outboxChanged = false;
    let listChanged = false;
    for (const entry of entries) {
      // Our own message is stored, whether or not its ack made it back before a disconnect.
      if (this.#isOwn(entry) && this.#outbox.settle(entry.id)) outboxChanged = true;
      if (this.#conversations.addEntry(entry)) listChanged = true;
      this.#events.emit('entry', entry);
    }
    if (outboxChanged) this.#outboxChanged();
    if (listChanged) this.#conversationsChanged();
  }

  #isOwn(entry: Entry): boolean {
    // The name also matches after a resume the host did not recognise (a new ephemeral id).
    return entry.from.id === this.#self?.id || entry.from.name === this.#self?.name;
  }

  #outboxChanged(): void {
    this.#events.emit('outbox', this.#outbox.list());
  }

  #conversationsChanged(): void {
    this.#events.emit('conversations', this.#conversations.list());
  }

  #linkClosed(link: SocketLink, code: number): void {
    if (link !== this.#link) return;
    this.#link = undefined;
    this.#watch.stop();
    this.#sender.stop();
    if (code === CloseCode.messageTooBig) {
      // The host closes the moment it reads a frame over its limit: the last one we sent.
      const culprit = this.#outbox.lastInFlight();
      if (culprit !== undefined && this.#outbox.fail(culprit, 'too_long')) this.#outboxChanged();
    }
    this.#outbox.markAllUnsent();
    if (this.#ended) return;

    const reason = closeReason(code, link.lastErrorCode);
    if (isFatalClose(code)) {
      this.#end(reason);
    } else if (!this.#everWelcomed) {
      const unknownCause = reason.code === 'unreachable' && code !== CloseCode.tryAgainLater;
      this.#end(unknownCause ? unreachableReason(this.#options.url) : reason);
    } else if (!this.#options.reconnect) {
      this.#end(reason);
    } else {
      if (link.welcomed && Date.now() - link.welcomedAt >= STABLE_CONNECTION_MS) {
        this.#backoff.reset();
      }
      this.#setState('reconnecting');
      this.#reconnectTimer = setTimeout(() => {
        this.#reconnectTimer = undefined;
        this.#open();
      }, this.#backoff.next());
    }
  }

  #end(reason: EndReason): void {
    if (this.#ended) return;
    this.#ended = reason;
    clearTimeout(this.#reconnectTimer);
    this.#sender.stop();
    this.#watch.stop();
    const link = this.#link;
    this.#link = undefined;
    if (link) this.#closing = link.close();
    this.#setState('closed');

    const error = new SessionError(reason);
    this.#firstWelcome?.reject(error);
    this.#firstWelcome = undefined;
    this.#requests.rejectAll(error);
    this.#outbox.rejectIdleWaiters(error);
    this.#events.emit('ended', reason);
  }
}
