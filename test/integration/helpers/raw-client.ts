/**
 * A parley.v1 client with nothing of ClientSession's help: it sends exactly the frames a test
 * writes, validates every host frame against the protocol schema, and exposes the TCP socket so a
 * test can stop reading from it or cut it.
 */
import type { Socket } from 'node:net';
import * as v from 'valibot';
import WebSocket, { type ClientOptions } from 'ws';
import { hostFrameSchema, type HostFrame, type WelcomeFrame } from '../../../protocol/wire/frames';
import { SUBPROTOCOL } from '../../../protocol/wire/limits';
import { withTimeout } from '../../support/wait';

type FrameOf<T extends HostFrame['type']> = Extract<HostFrame, { type: T }>;

export interface Closed {
  code: number;
  reason: string;
}

interface Waiter {
  matches: (frame: HostFrame) => boolean;
  resolve: (frame: HostFrame) => void;
}

const DEFAULT_WAIT_MS = 5000;
const live = new Set<RawClient>();

export class RawClient {
  /** Every valid host frame, in arrival order. */
  readonly frames: HostFrame[] = [];
  /** Frames that broke the host frame schema: every test expects none. */
  readonly invalid: string[] = [];
  readonly closed: Promise<Closed>;
  tcp: Socket | undefined;
  private readonly unread: HostFrame[] = [];
  private readonly waiters: Waiter[] = [];

  private constructor(readonly socket: WebSocket) {
    live.add(this);
    this.closed = new Promise((resolve) =>
      socket.once('close', (code, reason) => {
        live.delete(this);
        resolve({ code, reason: reason.toString() });
      }),
    );
    socket.on('error', () => {});
    socket.on('upgrade', (response) => (this.tcp = response.socket));
    socket.on('message', (data, isBinary) => this.receive(data.toString(), isBinary));
  }

  /** Opens a parley.v1 socket to `url`; resolves once it is open. */
  static async open(url: string, options: ClientOptions = {}): Promise<RawClient> {
    const client = new RawClient(new WebSocket(url, [SUBPROTOCOL], options));
    const opened = new Promise<void>((resolve, reject) => {
      client.socket.once('open', () => resolve());
      client.socket.once('error', reject);
    });
    await withTimeout(opened, DEFAULT_WAIT_MS, `a socket to ${url}`);
    return client;
  }

  /** Opens a socket and says hello; resolves with the welcome. */
  static async join(
    url: string,
    name: string,
    resume?: { token: string; lastSeq: number },
    options: ClientOptions = {},
  ): Promise<{ client: RawClient; welcome: WelcomeFrame }> {
    const client = await RawClient.open(url, options);
    client.send({ type: 'hello', name, ...(resume && { resume }) });
    return { client, welcome: await client.next('welcome') };
  }

  send(frame: object): void {
    this.socket.send(JSON.stringify(frame));
  }

  say(id: string, text: string): void {
    this.send({ type: 'say', id, text });
  }

  /** The first unread frame of `type` that passes `where`, now or when it arrives. */
  next<T extends HostFrame['type']>(
    type: T,
    where: (frame: FrameOf<T>) => boolean = () => true,
    ms = DEFAULT_WAIT_MS,
  ): Promise<FrameOf<T>> {
    const matches = (frame: HostFrame) => frame.type === type && where(frame as FrameOf<T>);
    const index = this.unread.findIndex(matches);
    if (index >= 0) return Promise.resolve(this.unread.splice(index, 1)[0] as FrameOf<T>);
    const waiter: Waiter = { matches, resolve: () => {} };
    const found = new Promise<HostFrame>((resolve) => (waiter.resolve = resolve));
    this.waiters.push(waiter);
    return withTimeout(found, ms, `a ${type} frame`).catch((error: unknown) => {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      throw error;
    }) as Promise<FrameOf<T>>;
  }

  /** Every frame of `type` received so far, read or not. */
  received<T extends HostFrame['type']>(type: T): FrameOf<T>[] {
    return this.frames.filter((frame) => frame.type === type) as FrameOf<T>[];
  }

  waitClosed(ms = DEFAULT_WAIT_MS): Promise<Closed> {
    return withTimeout(this.closed, ms, 'the socket to close');
  }

  terminate(): void {
    if (this.socket.readyState !== WebSocket.CLOSED) this.socket.terminate();
  }

  private receive(data: string, isBinary: boolean): void {
    let json: unknown;
    try {
      json = isBinary ? undefined : JSON.parse(data);
    } catch {
      json = undefined;
    }
    const parsed = v.safeParse(hostFrameSchema, json);
    if (!parsed.success) {
      this.invalid.push(data);
      return;
    }
    const frame = parsed.output;
    this.frames.push(frame);
    const index = this.waiters.findIndex((waiter) => waiter.matches(frame));
    if (index >= 0) this.waiters.splice(index, 1)[0]!.resolve(frame);
    else this.unread.push(frame);
  }
}

/** Drops every raw socket a test left open (afterEach). */
export function terminateRawClients(): void {
  for (const client of live) client.terminate();
  live.clear();
}
