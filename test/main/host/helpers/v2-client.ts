/**
 * A raw parley.v2 test client on a real socket: it validates every host frame against the
 * protocol's v2 schema and lets a test await the next frame of a kind (for one conversation).
 */
import { randomBytes } from 'node:crypto';
import * as v from 'valibot';
import WebSocket from 'ws';
import {
  hostFrameV2Schema,
  type HostFrameV2,
  type HostFrameV2Of,
  type WelcomeV2Frame,
} from '../../../../protocol/wire/frames-v2';
import { peerIdOf } from '../../../../protocol/wire/identity';
import { SUBPROTOCOL_V2 } from '../../../../protocol/wire/limits';
import { withTimeout } from '../../../support/wait';
import {
  closedPromise,
  createSocket,
  DEFAULT_TIMEOUT_MS,
  Inbox,
  opened,
  socketUrl,
  type Closed,
  type V1ClientOptions,
} from './clients';

/** A fresh identity secret (32 random bytes, base64url) and the peer id it gives. */
export function newIdentity(): { identity: string; peerId: string } {
  const identity = randomBytes(32).toString('base64url');
  return { identity, peerId: peerIdOf(identity) };
}

export interface V2Hello {
  identity?: string;
  password?: string;
  resume?: { token: string; cursors?: Record<string, number> };
}

export class V2Client {
  readonly frames = new Inbox<HostFrameV2>();
  /** Frames that failed the protocol's v2 host frame schema: every test expects none. */
  readonly invalid: unknown[] = [];
  readonly closed: Promise<Closed>;

  private constructor(readonly socket: WebSocket) {
    this.closed = closedPromise(socket);
    socket.on('error', () => {});
    socket.on('message', (data, isBinary) => {
      let json: unknown;
      try {
        json = isBinary ? undefined : JSON.parse(String(data));
      } catch {
        json = undefined;
      }
      const parsed = v.safeParse(hostFrameV2Schema, json);
      if (parsed.success) this.frames.push(parsed.output);
      else this.invalid.push(isBinary ? data : String(data));
    });
  }

  static async connect(port: number, options: V1ClientOptions = {}): Promise<V2Client> {
    const { path = '/ws', secure, ...socketOptions } = options;
    const url = socketUrl(port, path, secure);
    const tls = secure ? { rejectUnauthorized: false } : {};
    const client = new V2Client(createSocket(url, [SUBPROTOCOL_V2], { ...tls, ...socketOptions }));
    await opened(client.socket, url);
    return client;
  }

  /** Connects and says hello; resolves with the welcome (its catchups follow in `frames`). */
  static async join(
    port: number,
    name: string,
    hello: V2Hello = {},
    options: V1ClientOptions = {},
  ): Promise<{ client: V2Client; welcome: WelcomeV2Frame }> {
    const client = await V2Client.connect(port, options);
    client.send({ type: 'hello', name, ...hello });
    const welcome = await client.next('welcome');
    return { client, welcome };
  }

  send(frame: unknown): void {
    this.socket.send(JSON.stringify(frame));
  }

  sendRaw(data: string | Buffer, binary = false): void {
    this.socket.send(data, { binary });
  }

  say(id: string, conv: string, text: string, extra: object = {}): void {
    this.send({ type: 'say', id, conv, text, ...extra });
  }

  next<T extends HostFrameV2['type']>(
    type: T,
    ms = DEFAULT_TIMEOUT_MS,
    where: (frame: HostFrameV2Of<T>) => boolean = () => true,
  ): Promise<HostFrameV2Of<T>> {
    return this.frames.take(
      (frame) => frame.type === type && where(frame as HostFrameV2Of<T>),
      ms,
      `a ${type} frame`,
    ) as Promise<HostFrameV2Of<T>>;
  }

  /** The next frame of `type` about conversation `conv` (`conv` or, for `conversation`, `id`). */
  nextIn<T extends 'message' | 'catchup' | 'history' | 'read' | 'typing' | 'ack' | 'conversation'>(
    type: T,
    conv: string,
    where: (frame: HostFrameV2Of<T>) => boolean = () => true,
    ms = DEFAULT_TIMEOUT_MS,
  ): Promise<HostFrameV2Of<T>> {
    return this.next(
      type,
      ms,
      (frame) =>
        ('conv' in frame ? frame.conv : (frame as { id: string }).id) === conv && where(frame),
    );
  }

  /** Sends a ping and waits for its pong: every frame the host sent before has arrived. */
  async sync(): Promise<void> {
    this.send({ type: 'ping' });
    await this.next('pong');
  }

  /** Every frame of `type` received so far (read or not). */
  received<T extends HostFrameV2['type']>(type: T): HostFrameV2Of<T>[] {
    return this.frames.all.filter((frame) => frame.type === type) as HostFrameV2Of<T>[];
  }

  /** Every frame received so far about conversation `conv`, in arrival order. */
  receivedIn(conv: string): HostFrameV2[] {
    return this.frames.all.filter(
      (frame) =>
        ('conv' in frame && frame.conv === conv) ||
        (frame.type === 'conversation' && frame.id === conv),
    );
  }

  waitClosed(ms = DEFAULT_TIMEOUT_MS): Promise<Closed> {
    return withTimeout(this.closed, ms, 'the socket to close');
  }

  close(): void {
    if (this.socket.readyState <= WebSocket.OPEN) this.socket.terminate();
  }
}
