/**
 * Test clients on real sockets: a parley.v1 client that parses (and validates) every host frame,
 * and a plain client that collects lines. Both let a test await the next item of a kind.
 */
import * as v from 'valibot';
import WebSocket, { type ClientOptions } from 'ws';
import {
  hostFrameSchema,
  type HostFrame,
  type WelcomeFrame,
} from '../../../../protocol/wire/frames';
import { SUBPROTOCOL } from '../../../../protocol/wire/limits';
import { withTimeout } from '../../../support/wait';
import { onCleanup } from './host';

/** How long a host test waits for a socket, a frame or a close by default. */
export const DEFAULT_TIMEOUT_MS = 3000;

export interface Closed {
  code: number;
  reason: string;
}

type FrameOf<T extends HostFrame['type']> = Extract<HostFrame, { type: T }>;

interface Waiter<T> {
  matches: (item: T) => boolean;
  resolve: (item: T) => void;
}

/** Items in arrival order; `take` removes the first match or waits for one. */
export class Inbox<T> {
  readonly all: T[] = [];
  private readonly unread: T[] = [];
  private readonly waiters: Waiter<T>[] = [];

  push(item: T): void {
    this.all.push(item);
    const index = this.waiters.findIndex((waiter) => waiter.matches(item));
    if (index >= 0) this.waiters.splice(index, 1)[0]!.resolve(item);
    else this.unread.push(item);
  }

  take(matches: (item: T) => boolean, ms: number, what: string): Promise<T> {
    const index = this.unread.findIndex(matches);
    if (index >= 0) return Promise.resolve(this.unread.splice(index, 1)[0]!);
    const waiter: Waiter<T> = { matches, resolve: () => {} };
    const found = new Promise<T>((resolve) => (waiter.resolve = resolve));
    this.waiters.push(waiter);
    return withTimeout(found, ms, what).catch((error: unknown) => {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      throw error;
    });
  }
}

/** A socket that is destroyed after the current test, whatever happens. */
export function createSocket(url: string, protocols: string[], options: ClientOptions): WebSocket {
  const socket = new WebSocket(url, protocols, options);
  onCleanup(() => socket.terminate());
  return socket;
}

/**
 * Resolves once the socket is open. Listeners must be attached before: the host's first frame
 * can arrive with the handshake and be emitted right after 'open'.
 */
export function opened(socket: WebSocket, url: string): Promise<void> {
  const opening = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`unexpected HTTP ${response.statusCode}`)),
    );
  });
  return withTimeout(opening, DEFAULT_TIMEOUT_MS, `a socket to ${url}`);
}

export function closedPromise(socket: WebSocket): Promise<Closed> {
  return new Promise((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
}

export interface V1ClientOptions extends ClientOptions {
  path?: string;
  /** wss:// instead of ws:// (any certificate: pinning is tested in test/main/tls). */
  secure?: boolean;
}

export function socketUrl(port: number, path: string, secure: boolean | undefined): string {
  return `${secure ? 'wss' : 'ws'}://127.0.0.1:${port}${path}`;
}

export class V1Client {
  readonly frames = new Inbox<HostFrame>();
  /** Frames that failed the protocol's host frame schema: every test expects none. */
  readonly invalid: unknown[] = [];
  readonly closed: Promise<Closed>;

  private constructor(readonly socket: WebSocket) {
    this.closed = closedPromise(socket);
    socket.on('error', () => {});
    socket.on('message', (data, isBinary) => {
      let json: unknown;
      try {
        json = isBinary ? undefined : JSON.parse(data.toString());
      } catch {
        json = undefined;
      }
      const parsed = v.safeParse(hostFrameSchema, json);
      if (parsed.success) this.frames.push(parsed.output);
      else this.invalid.push(isBinary ? data : data.toString());
    });
  }

  static async connect(port: number, options: V1ClientOptions = {}): Promise<V1Client> {
    const { path = '/ws', secure, ...socketOptions } = options;
    const url = socketUrl(port, path, secure);
    const tls = secure ? { rejectUnauthorized: false } : {};
    const client = new V1Client(createSocket(url, [SUBPROTOCOL], { ...tls, ...socketOptions }));
    await opened(client.socket, url);
    return client;
  }

  /** Connects and joins; resolves with the welcome. */
  static async join(
    port: number,
    name: string,
    extra: { password?: string; resume?: { token: string; lastSeq: number } } = {},
    options: V1ClientOptions = {},
  ): Promise<{ client: V1Client; welcome: WelcomeFrame }> {
    const client = await V1Client.connect(port, options);
    client.send({ type: 'hello', name, ...extra });
    const welcome = await client.next('welcome');
    return { client, welcome };
  }

  send(frame: unknown): void {
    this.socket.send(JSON.stringify(frame));
  }

  sendRaw(data: string | Buffer, binary = false): void {
    this.socket.send(data, { binary });
  }

  say(id: string, text: string): void {
    this.send({ type: 'say', id, text });
  }

  next<T extends HostFrame['type']>(
    type: T,
    ms = DEFAULT_TIMEOUT_MS,
    where: (frame: FrameOf<T>) => boolean = () => true,
  ): Promise<FrameOf<T>> {
    return this.frames.take(
      (frame) => frame.type === type && where(frame as FrameOf<T>),
      ms,
      `a ${type} frame`,
    ) as Promise<FrameOf<T>>;
  }

  /** Every frame of `type` received so far (read or not). */
  received<T extends HostFrame['type']>(type: T): FrameOf<T>[] {
    return this.frames.all.filter((frame) => frame.type === type) as FrameOf<T>[];
  }

  waitClosed(ms = DEFAULT_TIMEOUT_MS): Promise<Closed> {
    return withTimeout(this.closed, ms, 'the socket to close');
  }

  close(): void {
    if (this.socket.readyState <= WebSocket.OPEN) this.socket.terminate();
  }
}

export class PlainClient {
  readonly lines = new Inbox<string>();
  readonly closed: Promise<Closed>;

  private constructor(readonly socket: WebSocket) {
    this.closed = closedPromise(socket);
    socket.on('error', () => {});
    socket.on('message', (data) => this.lines.push(data.toString()));
  }

  static async connect(
    port: number,
    query = '',
    options: V1ClientOptions = {},
  ): Promise<PlainClient> {
    const { path = '/ws', secure, ...socketOptions } = options;
    const url = socketUrl(port, `${path}${query}`, secure);
    const tls = secure ? { rejectUnauthorized: false } : {};
    const client = new PlainClient(createSocket(url, [], { ...tls, ...socketOptions }));
    await opened(client.socket, url);
    return client;
  }

  send(text: string): void {
    this.socket.send(text);
  }

  nextLine(
    matches: (line: string) => boolean = () => true,
    ms = DEFAULT_TIMEOUT_MS,
  ): Promise<string> {
    return this.lines.take(matches, ms, 'a line');
  }

  waitClosed(ms = DEFAULT_TIMEOUT_MS): Promise<Closed> {
    return withTimeout(this.closed, ms, 'the socket to close');
  }

  close(): void {
    if (this.socket.readyState <= WebSocket.OPEN) this.socket.terminate();
  }
}
