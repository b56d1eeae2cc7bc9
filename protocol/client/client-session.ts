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
import type { PeerV2, SearchHit } from '../wire/entries';
import type { HostFrameV2, HostFrameV2Of, WelcomeV2Frame } from '../wire/frames-v2';
import type { RoomInfo } from '../wire/frames';
import { Backoff } from './backoff';
import { Emitter } from './emitter';
import { HeartbeatWatch } from './heartbeat-watch';
import { HostRequests, type RequestSpec } from './host-requests';
import { Outbox } from './outbox';
import { OutboxSender } from './outbox-sender';
import {
  convSchema,
  deleteSchema,
  editSchema,
  pageSchema,
  reactSchema,
  searchSchema,
  searchSpec,
  peersPageSchema,
  sendSchema,
  seqSchema,
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
  type SearchRequest,
  type SendRequest,
  type SpecContext,
} from './request-specs';
import { resolveSessionOptions, type ResolvedSessionOptions } from './session-options';
import { SessionRoom, isRoomFrame } from './session-room';
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
  OutgoingChange,
  OutgoingMessage,
  SessionSnapshot,
} from './client-types';
import type { Post } from './outbox';

export { RequestError, SessionError } from './session-error';
export type { EntryPage, PeerPage, SearchRequest, SendRequest } from './request-specs';

/** Hits a search asks for when the caller names no limit. */
export const DEFAULT_SEARCH_LIMIT = 20;

/** A connection open this long counts as stable: the next reconnect starts from a short delay. */
const STABLE_CONNECTION_MS = 10_000;
/** At most one `typing` frame per conversation this often: peers show it for a few seconds. */
const TYPING_INTERVAL_MS = 3_000;

export class ClientSession {
  readonly #options: ResolvedSessionOptions;
  readonly #events = new Emitter<ClientSessionEvents>();
  readonly #outbox = new Outbox();
  readonly #sender: OutboxSender;
  readonly #room: SessionRoom;
  readonly #requests: HostRequests;
  readonly #specs: SpecContext;
  readonly #watch: HeartbeatWatch;
  readonly #backoff: Backoff;
  readonly #lastTypingAt = new Map<string, number>();

  #state: ConnectionState = 'closed';
  #ended: EndReason | undefined;
  #link: SocketLink | undefined;
  #everWelcomed = false;
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
    // What a previous session of this page had not got acked goes again, under the same ids.
    for (const post of parsed.resume?.outbox ?? []) this.#outbox.add(post);
    this.#requests = new HostRequests(parsed.requestTimeoutMs);
    this.#room = new SessionRoom({
      events: this.#events,
      delivered: (own) => {
        let settled = false;
        for (const entry of own) if (this.#outbox.settle(entry.id)) settled = true;
        if (settled) this.#outboxChanged();
      },
      ...(parsed.resume && { resume: parsed.resume }),
      ...(parsed.mutes && { mutes: parsed.mutes }),
    });
    this.#specs = { conversations: this.#room.conversations, self: () => this.#room.self };
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
    this.#token = parsed.resume?.token;
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
    return this.#room.self;
  }
  get room(): RoomInfo | undefined {
    return this.#room.room;
  }
  /** The people this client knows of (everyone, unless the room is bigger than a welcome lists). */
  get peers(): PeerV2[] {
    return this.#room.peers.list();
  }
  /** How many people the room has in all. */
  get peerCount(): number {
    return this.#room.peers.count;
  }
  /** Every channel and this identity's direct conversations, with unread counts. */
  get conversations(): ConversationView[] {
    return this.#room.conversations.list();
  }
  conversation(id: string): ConversationView | undefined {
    return this.#room.conversations.get(id);
  }
  /** The channel called `name` (with or without `#`, any case). */
  channelNamed(name: string): ConversationView | undefined {
    return this.#room.conversations.channelNamed(name);
  }
  /**
   * The session token of the latest welcome (it changes on reconnect): what file uploads carry
   * as `Authorization: Bearer TOKEN`. Undefined before the first welcome.
   */
  get token(): string | undefined {
    return this.#everWelcomed ? this.#token : undefined;
  }
  /** Every member conversation's catchup has arrived since the last welcome. */
  get caughtUp(): boolean {
    return this.#room.caughtUp;
  }
  /** The newest seq delivered of `conv` (0 before any). */
  cursor(conv: string): number {
    return this.#room.order.cursor(conv) ?? 0;
  }
  /** Messages not yet acknowledged or given up on, in the order they were posted. */
  get outbox(): OutgoingMessage[] {
    return this.#outbox.list();
  }
  /** Edits, deletions and reactions not yet acknowledged or given up on, in posting order. */
  get changes(): OutgoingChange[] {
    return this.#outbox.changes();
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

  /**
   * Posts a message: it waits in the outbox until acknowledged, and survives reconnects. `id`
   * (default: a new one) lets a caller name it before posting, e.g. files uploaded first.
   */
  send(request: SendRequest, id?: string): OutgoingMessage {
    const { conv, text, replyTo, files } = v.parse(sendSchema, request);
    const say = {
      id: id ?? this.#newId(),
      conv,
      text,
      ...(replyTo !== undefined && { replyTo }),
      ...(files !== undefined && { files }),
    };
    this.#post({ type: 'say', ...say });
    return this.#outbox.get(say.id) ?? { ...say, state: 'pending' };
  }

  /** Edits this person's message `target` of `conv`; queued and sent exactly once, like send. */
  edit(conv: string, target: number, text: string): OutgoingChange {
    const parsed = v.parse(editSchema, { conv, target, text });
    return this.#change({ type: 'edit', id: this.#newId(), ...parsed });
  }

  /** Deletes this person's message `target` of `conv` for everyone; queued like send. */
  deleteMessage(conv: string, target: number): OutgoingChange {
    const parsed = v.parse(deleteSchema, { conv, target });
    return this.#change({ type: 'delete', id: this.#newId(), ...parsed });
  }

  /** Adds (`on`) or takes back this person's reaction `emoji` to `target`; queued like send. */
  react(conv: string, target: number, emoji: string, on: boolean): OutgoingChange {
    const parsed = v.parse(reactSchema, { conv, target, emoji, on });
    return this.#change({ type: 'react', id: this.#newId(), ...parsed });
  }

  /**
   * Searches what this person may read, newest first (host-side rules: docs/protocol.md). Rejects
   * with a RequestError: the host's refusal, or `timeout` when it does not answer in time.
   */
  search(request: Omit<SearchRequest, 'limit'> & { limit?: number }): Promise<SearchHit[]> {
    const parsed = v.safeParse(searchSchema, { limit: DEFAULT_SEARCH_LIMIT, ...request });
    if (!parsed.success) {
      return Promise.reject(new RangeError(`search: ${v.summarize(parsed.issues)}`));
    }
    const { q, conv, limit } = parsed.output;
    return this.#request(searchSpec({ q, ...(conv !== undefined && { conv }), limit }));
  }

  /**
   * Mutes or unmutes a conversation for this person: a client setting (kept by the `mutes`
   * option's store for this room), shown as ConversationView.muted.
   */
  setMuted(conv: string, muted: boolean): Promise<void> {
    v.parse(convSchema, conv);
    v.parse(v.boolean(), muted);
    return this.#room.setMuted(conv, muted);
  }

  /** Sends a failed post again with its original id; false if there is no such failed post. */
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
    if (!this.#room.conversations.get(conv)?.member) return;
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
    const link = this.#link?.welcomed ? this.#link : undefined;
    const marker = this.#room.markRead(conv, seq, link !== undefined);
    if (marker !== undefined) link?.send({ type: 'read', conv, seq: marker });
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
      this.#room.learnPeers(answer.peers);
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
    const roomId = this.#room.roomId;
    if (this.#token === undefined || roomId === undefined) return undefined;
    const outbox = this.#outbox.pendingPosts();
    return {
      token: this.#token,
      cursors: this.#room.order.cursors(),
      roomId,
      ...(outbox.length > 0 && { outbox }),
    };
  }

  /** Leaves the room: closes the socket normally, stops reconnecting, emits `ended`. */
  close(): Promise<void> {
    this.#end(closedReason());
    return this.#closing ?? Promise.resolve();
  }

  #post(post: Post): void {
    if (this.#ended) throw new SessionError(this.#ended);
    if (this.#outbox.has(post.id)) throw new Error(`id already in use: ${post.id}`);
    this.#outbox.add(post);
    this.#outboxChanged();
    this.#sender.flush();
  }

  #change(post: Exclude<Post, { type: 'say' }>): OutgoingChange {
    this.#post(post);
    const { type, ...fields } = post;
    return (
      this.#outbox.getChange(post.id) ??
      ({ kind: type, ...fields, state: 'pending' } as OutgoingChange)
    );
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
        resume: { token: this.#token, cursors: this.#room.order.cursors() },
      }),
    });
  }

  #receive(link: SocketLink, frame: HostFrameV2): void {
    if (frame.type === 'error') this.#handleError(link, frame);
    else if (frame.type === 'welcome') {
      if (!link.welcomed) this.#handleWelcome(link, frame);
    } else if (link.welcomed) {
      if (isRoomFrame(frame)) this.#room.frame(frame);
      else if (frame.type === 'ack') this.#acknowledged(frame);
      this.#requests.offer(frame);
    }
  }

  #handleWelcome(link: SocketLink, welcome: WelcomeV2Frame): void {
    link.markWelcomed();
    this.#everWelcomed = true;
    this.#token = welcome.token;
    this.#room.welcome(welcome);
    this.#setState('open');
    this.#events.emit('welcome', welcome);

    this.#watch.start();
    for (const [conv, seq] of this.#room.takeUnsentReads()) link.send({ type: 'read', conv, seq });
    for (const frame of this.#requests.outstanding()) link.send(frame);
    this.#sender.restart();
    this.#sender.flush();
    const first = this.#firstWelcome;
    this.#firstWelcome = undefined;
    first?.resolve(welcome);
  }

  #acknowledged(ack: HostFrameV2Of<'ack'>): void {
    if (this.#outbox.settle(ack.id)) this.#outboxChanged();
    this.#events.emit('ack', { id: ack.id, conv: ack.conv, seq: ack.seq });
    this.#sender.acknowledged();
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

  #outboxChanged(): void {
    this.#events.emit('outbox', this.#outbox.list(), this.#outbox.changes());
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
