/**
 * A chat participant as the tests see it: a ClientSession on the `ws` WebSocket (through a
 * SocketTracker), plus everything it delivered and was told, kept across reconnects and across
 * sessions (leave, then rejoin from a snapshot like the desktop app after a restart). It talks in
 * `general` only: `received` holds that conversation's messages, in version 1's shape.
 */
import type { ClientOptions } from 'ws';
import { ClientSession } from '../../../protocol/client/client-session';
import type { EndReason, SessionSnapshot } from '../../../protocol/client/client-types';
import type { ChatMessage, Peer } from '../../../protocol/wire/frames';
import { GENERAL } from '../../../protocol/wire/identity';
import { SocketTracker } from './tracked-websocket';
import { nextEvent } from '../../support/session-events';
import { delay, until, withTimeout } from '../../support/wait';

export interface ChatClientOptions {
  url: string;
  name: string;
  /** Options of every `ws` socket the client opens. */
  socketOptions?: ClientOptions;
  /** Short backoff by default: the tests restart hosts and want clients back quickly. */
  backoff?: { initialMs: number; maxMs: number };
  heartbeatIntervalMs?: number;
}

const FAST_BACKOFF = { initialMs: 25, maxMs: 250 };

export class ChatClient {
  readonly name: string;
  readonly sockets: SocketTracker;
  /** Every message delivered, by every session of this client, in delivery order. */
  readonly received: ChatMessage[] = [];
  readonly acks: { id: string; seq: number }[] = [];
  /** Every welcome, by every session: the room, who we are, where the host's history stood. */
  readonly welcomes: { roomId: string; selfId: string; lastSeq: number }[] = [];
  /** Ids of every message posted, in posting order. */
  readonly posted: string[] = [];
  /** Peers reported `left`, in order. */
  readonly departures: Peer[] = [];
  roomChanges = 0;
  gaps = 0;
  endedBy: EndReason | undefined;
  #session: ClientSession;
  #snapshot: SessionSnapshot | undefined;
  readonly #options: ChatClientOptions;

  constructor(options: ChatClientOptions) {
    this.name = options.name;
    this.#options = options;
    this.sockets = new SocketTracker(options.socketOptions);
    this.#session = this.#createSession(undefined);
    live.add(this);
  }

  get session(): ClientSession {
    return this.#session;
  }

  /** False between `leave` and `rejoin`. */
  get online(): boolean {
    return this.#snapshot === undefined;
  }

  /** Seq of the newest message delivered. */
  get lastSeq(): number {
    return this.received.at(-1)?.seq ?? 0;
  }

  connect(ms = 10_000): Promise<unknown> {
    return withTimeout(this.#session.connect(), ms, `${this.name} to join`);
  }

  /** Posts `text`; returns its say id. */
  send(text: string): string {
    const { id } = this.#session.send({ conv: GENERAL, text });
    this.posted.push(id);
    return id;
  }

  pendingCount(): number {
    return this.#session.outbox.filter((entry) => entry.state === 'pending').length;
  }

  failed(): string[] {
    return this.#session.outbox.filter((entry) => entry.state === 'failed').map(({ id }) => id);
  }

  /** The session ends (its outbox with it); the client keeps its place to rejoin later. */
  async leave(): Promise<void> {
    const snapshot = this.#session.snapshot();
    if (!this.online || !snapshot) return;
    this.#snapshot = { ...snapshot, cursors: { ...snapshot.cursors, [GENERAL]: this.lastSeq } };
    await this.#session.close();
  }

  /** A new session that resumes where the last one left off. */
  async rejoin(ms = 10_000): Promise<void> {
    const snapshot = this.#snapshot;
    if (!snapshot) return;
    this.#snapshot = undefined;
    this.#session = this.#createSession(snapshot);
    await this.connect(ms);
  }

  /** Resolves once a message with seq >= `seq` was delivered (at once if one already was). */
  async reached(seq: number, ms: number): Promise<void> {
    if (this.lastSeq >= seq) return;
    await nextEvent(
      this.#session,
      'entry',
      (entry) => entry.conv === GENERAL && entry.seq >= seq,
      ms,
    );
  }

  /** Waits until nothing is pending and every message up to `seq` was delivered. */
  settled(seq: number, ms: number): Promise<void> {
    return until(
      () => this.pendingCount() === 0 && this.lastSeq >= seq && this.#session.state === 'open',
      ms,
      `${this.name} to settle at seq ${seq}`,
      () => `state ${this.#session.state}, lastSeq ${this.lastSeq}, pending ${this.pendingCount()}`,
    );
  }

  async close(): Promise<void> {
    live.delete(this);
    await this.#session.close();
    this.sockets.terminateAll();
  }

  #createSession(resume: SessionSnapshot | undefined): ClientSession {
    const { url, name, backoff = FAST_BACKOFF, heartbeatIntervalMs } = this.#options;
    const session = new ClientSession({
      url,
      name,
      WebSocket: this.sockets.WebSocket,
      backoff,
      ...(heartbeatIntervalMs !== undefined && { heartbeatIntervalMs }),
      ...(resume && { resume }),
    });
    session.on('entry', (entry) => {
      if (entry.conv !== GENERAL || entry.kind !== 'text') return;
      const { seq, id, from, text, ts } = entry;
      this.received.push({ seq, id, from: { id: from.id, name: from.name }, text, ts });
    });
    session.on('ack', (ack) => this.acks.push(ack));
    session.on('welcome', ({ room, self, conversations }) => {
      const lastSeq = conversations.find((conversation) => conversation.id === GENERAL)?.lastSeq;
      this.welcomes.push({ roomId: room.id, selfId: self.id, lastSeq: lastSeq ?? 0 });
    });
    session.on('left', (peer) => this.departures.push(peer));
    session.on('roomChanged', () => this.roomChanges++);
    session.on('gap', () => this.gaps++);
    session.on('ended', (reason) => {
      if (reason.code !== 'closed') this.endedBy = reason;
    });
    return session;
  }
}

const live = new Set<ChatClient>();

/** Closes every client a test left open (afterEach). */
export async function closeAllClients(): Promise<void> {
  await Promise.all([...live].map((client) => client.close()));
}

/**
 * Posts `${name} #1` .. `#count`, one every `paceMs`, connected or not: the outbox keeps them.
 * Stops early if the client was closed (a test that already failed).
 */
export async function postNumbered(client: ChatClient, count: number, paceMs: number) {
  for (let n = 1; n <= count && live.has(client); n++) {
    client.send(`${client.name} #${n}`);
    if (n < count) await delay(paceMs);
  }
}
