/**
 * The client side of protocol v1, shared by the terminal client, the desktop app and the browser
 * guest page: hello and welcome, the outbox of unacknowledged messages, exactly-once in-order
 * delivery across reconnects, resume, dead-host detection and reconnect with backoff.
 * It takes the WebSocket constructor as an option, so it runs on `ws` and in browsers alike.
 */
import * as v from 'valibot';
import { Backoff } from './backoff';
import { CloseCode, FATAL_ERROR_CLOSE, isErrorCode } from '../wire/codes';
import { Emitter } from './emitter';
import { HeartbeatWatch } from './heartbeat-watch';
import { HistoryRequests, pageRequestSchema, type HistoryPage } from './history-requests';
import { MessageOrder } from './message-order';
import { Outbox } from './outbox';
import { OutboxSender } from './outbox-sender';
import { PeerList } from './peer-list';
import { resolveSessionOptions, type ResolvedSessionOptions } from './session-options';
import { SocketLink } from './socket-link';
import type { ChatMessage, HostFrame, Peer, RoomInfo, WelcomeFrame } from '../wire/frames';
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

export { SessionError } from './session-error';
export type { HistoryPage } from './history-requests';

/** A connection open this long counts as stable: the next reconnect starts from a short delay. */
const STABLE_CONNECTION_MS = 10_000;
/** At most one `typing` frame per this long: peers show "typing" for a few seconds anyway. */
const TYPING_INTERVAL_MS = 3_000;

const textSchema = v.string();
const idSchema = v.string();

export class ClientSession {
  readonly #options: ResolvedSessionOptions;
  readonly #events = new Emitter<ClientSessionEvents>();
  readonly #outbox = new Outbox();
  readonly #sender: OutboxSender;
  readonly #order = new MessageOrder();
  readonly #peers = new PeerList();
  readonly #history: HistoryRequests;
  readonly #watch: HeartbeatWatch;
  readonly #backoff: Backoff;

  #state: ConnectionState = 'closed';
  #ended: EndReason | undefined;
  #link: SocketLink | undefined;
  #everWelcomed = false;
  #room: RoomInfo | undefined;
  #roomId: string | undefined;
  #self: Peer | undefined;
  #token: string | undefined;
  #connecting: Promise<WelcomeFrame> | undefined;
  #firstWelcome:
    { resolve: (welcome: WelcomeFrame) => void; reject: (error: Error) => void } | undefined;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #lastTypingAt = Number.NEGATIVE_INFINITY;
  #closing: Promise<void> | undefined;

  /** Throws a TypeError on options that break the contract in client-types.ts. */
  constructor(options: ClientSessionOptions) {
    const parsed = resolveSessionOptions(options);
    this.#options = parsed;
    this.#backoff = new Backoff(parsed.backoff);
    this.#history = new HistoryRequests(4 * parsed.heartbeatIntervalMs);
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
    if (parsed.resume) {
      this.#token = parsed.resume.token;
      this.#roomId = parsed.resume.roomId;
      this.#order.reset(parsed.resume.lastSeq);
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
  get self(): Peer | undefined {
    return this.#self;
  }
  get room(): RoomInfo | undefined {
    return this.#room;
  }
  get peers(): Peer[] {
    return this.#peers.list();
  }
  get lastSeq(): number {
    return this.#order.lastSeq;
  }
  /** Messages not yet acknowledged or given up on, in the order they were posted. */
  get outbox(): OutgoingMessage[] {
    return this.#outbox.list();
  }

  /** Opens the first connection; rejects with a SessionError if the host refuses or is unreachable. */
  connect(): Promise<WelcomeFrame> {
    if (this.#ended) return Promise.reject(new SessionError(this.#ended));
    this.#connecting ??= new Promise<WelcomeFrame>((resolve, reject) => {
      this.#firstWelcome = { resolve, reject };
      this.#setState('connecting');
      this.#open();
    });
    return this.#connecting;
  }

  /** Posts a message: it waits in the outbox until acknowledged, and survives reconnects. */
  send(text: string): OutgoingMessage {
    v.parse(textSchema, text);
    if (this.#ended) throw new SessionError(this.#ended);
    const id = this.#options.createId();
    if (this.#outbox.has(id)) throw new Error(`createId returned an id already in use: ${id}`);
    this.#outbox.add(id, text);
    this.#outboxChanged();
    this.#sender.flush();
    return this.#outbox.get(id) ?? { id, text, state: 'pending' };
  }

  /** Sends a failed message again with its original id; false if there is no such failed message. */
  retry(id: string): boolean {
    v.parse(idSchema, id);
    if (this.#ended || !this.#outbox.revive(id)) return false;
    this.#outboxChanged();
    this.#sender.flush();
    return true;
  }

  typing(): void {
    const now = Date.now();
    if (this.#state !== 'open' || now - this.#lastTypingAt < TYPING_INTERVAL_MS) return;
    this.#lastTypingAt = now;
    this.#link?.send({ type: 'typing' });
  }

  /** A page of messages older than `beforeSeq`, oldest first; asked again after a reconnect. */
  loadOlder(beforeSeq: number, limit = 50): Promise<HistoryPage> {
    const request = v.safeParse(pageRequestSchema, { beforeSeq, limit });
    if (!request.success) {
      return Promise.reject(new RangeError(`loadOlder: ${v.summarize(request.issues)}`));
    }
    if (this.#ended) return Promise.reject(new SessionError(this.#ended));
    const page = this.#history.add(beforeSeq, limit);
    if (this.#link?.welcomed) this.#link.send({ type: 'history', before: beforeSeq, limit });
    return page;
  }

  /** Resolves once every posted message is acknowledged or failed; rejects if the session ends first. */
  whenSettled(): Promise<void> {
    if (this.#outbox.pendingCount() > 0 && this.#ended) {
      return Promise.reject(new SessionError(this.#ended));
    }
    return this.#outbox.whenIdle();
  }

  snapshot(): SessionSnapshot | undefined {
    if (this.#token === undefined || this.#roomId === undefined) return undefined;
    return { token: this.#token, lastSeq: this.#order.lastSeq, roomId: this.#roomId };
  }

  /** Leaves the room: closes the socket normally, stops reconnecting, emits `ended`. */
  close(): Promise<void> {
    this.#end(closedReason());
    return this.#closing ?? Promise.resolve();
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
    const { name, password } = this.#options;
    link.send({
      type: 'hello',
      name,
      ...(password !== undefined && { password }),
      ...(this.#token !== undefined && {
        resume: { token: this.#token, lastSeq: this.#order.lastSeq },
      }),
    });
  }

  #receive(link: SocketLink, frame: HostFrame): void {
    if (frame.type === 'error') this.#handleError(link, frame);
    else if (frame.type === 'welcome') {
      if (!link.welcomed) this.#handleWelcome(link, frame);
    } else if (link.welcomed) this.#handleRoomFrame(frame);
  }

  #handleWelcome(link: SocketLink, welcome: WelcomeFrame): void {
    link.markWelcomed();
    this.#everWelcomed = true;
    const previous = this.#room ?? (this.#roomId ? { id: this.#roomId, name: '' } : undefined);
    if (previous && previous.id !== welcome.room.id) {
      this.#order.reset();
      this.#events.emit('roomChanged', { previous, current: welcome.room });
    }
    this.#room = welcome.room;
    this.#roomId = welcome.room.id;
    this.#self = welcome.self;
    this.#token = welcome.token;
    this.#peers.reset(welcome.peers);

    if (welcome.gap) this.#events.emit('gap', { lastSeq: this.#order.lastSeq });
    this.#deliver(this.#order.acceptWelcome(welcome.history, welcome.lastSeq));
    this.#events.emit('peers', this.#peers.list());
    this.#setState('open');
    this.#events.emit('welcome', welcome);

    this.#watch.start();
    for (const { before, limit } of this.#history.outstanding()) {
      link.send({ type: 'history', before, limit });
    }
    this.#sender.restart();
    this.#sender.flush();
    const first = this.#firstWelcome;
    this.#firstWelcome = undefined;
    first?.resolve(welcome);
  }

  #handleRoomFrame(frame: Exclude<HostFrame, { type: 'welcome' | 'error' }>): void {
    switch (frame.type) {
      case 'message': {
        const { type: _type, ...message } = frame;
        const before = this.#order.lastSeq;
        const delivery = this.#order.accept(message);
        if (delivery.skipped) this.#events.emit('gap', { lastSeq: before });
        this.#deliver(delivery.messages);
        break;
      }
      case 'ack':
        if (this.#outbox.settle(frame.id)) this.#outboxChanged();
        this.#events.emit('ack', { id: frame.id, seq: frame.seq });
        this.#sender.acknowledged();
        break;
      case 'joined':
        if (this.#peers.add(frame.peer)) this.#events.emit('peers', this.#peers.list());
        this.#events.emit('joined', frame.peer);
        break;
      case 'left':
        if (this.#peers.remove(frame.peer)) this.#events.emit('peers', this.#peers.list());
        this.#events.emit('left', frame.peer);
        break;
      case 'typing':
        if (frame.peer.id !== this.#self?.id) this.#events.emit('typing', frame.peer);
        break;
      case 'history':
        this.#history.answer({ messages: frame.messages, more: frame.more });
        break;
      case 'pong':
        break; // its arrival already counted as a sign of life
    }
  }

  #handleError(link: SocketLink, frame: Extract<HostFrame, { type: 'error' }>): void {
    link.lastErrorCode = frame.code;
    // A fatal error is followed by its close code; the close decides what happens.
    if (frame.code in FATAL_ERROR_CLOSE) return;
    if (!link.welcomed) {
      // Only the hello can be refused before the welcome; the same hello would be refused again.
      if (frame.code === 'bad_name') this.#end(errorReason('bad_name'));
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
    } else if (ref === undefined && code === 'bad_message' && this.#history.size > 0) {
      // The only other frame that can be refused after the welcome is a history request.
      this.#history.refuseOldest(new SessionError(errorReason('bad_message')));
    }
    this.#events.emit('error', { code, message: frame.message, ...(ref !== undefined && { ref }) });
  }

  #deliver(messages: ChatMessage[]): void {
    let outboxChanged = false;
    for (const message of messages) {
      // Our own message is stored, whether or not its ack made it back before a disconnect.
      if (this.#isOwn(message) && this.#outbox.settle(message.id)) outboxChanged = true;
      this.#events.emit('message', message);
    }
    if (outboxChanged) this.#outboxChanged();
  }

  #isOwn(message: ChatMessage): boolean {
    // The name also matches after a resume the host did not recognise (a new peer id).
    return message.from.id === this.#self?.id || message.from.name === this.#self?.name;
  }

  #outboxChanged(): void {
    this.#events.emit('outbox', this.#outbox.list());
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
    this.#history.rejectAll(error);
    this.#outbox.rejectIdleWaiters(error);
    this.#events.emit('ended', reason);
  }
}
