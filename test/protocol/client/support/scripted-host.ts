/**
 * A tiny WebSocket server on 127.0.0.1 whose every frame is written by the test, for driving a
 * ClientSession through situations a well-behaved host never creates on cue (lost acks, silence,
 * out-of-order frames, fatal closes). Like a host without TLS it answers GET /api/info with its
 * room, so clients that derive their identity from the room id can join it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { SUBPROTOCOL_V2 } from '../../../../protocol/wire/limits';
import type { Conversation, Entry, PeerV2, TextEntry } from '../../../../protocol/wire/entries';
import { withTimeout } from '../../../support/wait';

export interface ScriptedConnection {
  socket: WebSocket;
  /** The next frame the client sent (parsed JSON), optionally of one type. */
  next(type?: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  send(frame: object): void;
  /** Every frame received so far. */
  readonly received: Record<string, unknown>[];
  closed: Promise<{ code: number }>;
}

export interface ScriptedHost {
  url: string;
  port: number;
  nextConnection(timeoutMs?: number): Promise<ScriptedConnection>;
  /**
   * The next connection that says `hello`, and its hello. A client gives up on an attempt whose
   * handshake outlives its deadline, before it says hello when the machine is slow, and tries
   * again: such connections are skipped.
   */
  nextHello(
    timeoutMs?: number,
  ): Promise<{ connection: ScriptedConnection; hello: Record<string, unknown> }>;
  connectionCount(): number;
  close(): Promise<void>;
}

const noop = () => {};

/** The room a scripted host says it serves (its welcome() default too). */
export const SCRIPTED_ROOM = { id: 'room-1', name: 'Test room' };

export async function startScriptedHost(
  options: {
    port?: number;
    subprotocol?: string;
    /** Answers HTTP requests other than /api/info (a test's file endpoint). */
    http?: (request: IncomingMessage, response: ServerResponse) => void;
  } = {},
): Promise<ScriptedHost> {
  const subprotocol = options.subprotocol ?? SUBPROTOCOL_V2;
  const http = createServer((request, response) => {
    if (request.url !== '/api/info') {
      if (options.http) options.http(request, response);
      else response.writeHead(404).end();
      return;
    }
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ app: 'parley', protocol: 2, room: SCRIPTED_ROOM }));
  });
  const server = new WebSocketServer({
    server: http,
    path: '/ws',
    handleProtocols: (protocols) => (protocols.has(subprotocol) ? subprotocol : false),
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const port = (http.address() as AddressInfo).port;
  const arrived: ScriptedConnection[] = [];
  const waiting: ((connection: ScriptedConnection) => void)[] = [];
  let count = 0;

  server.on('connection', (socket) => {
    count++;
    const connection = wrap(socket);
    const waiter = waiting.shift();
    if (waiter) waiter(connection);
    else arrived.push(connection);
  });

  const nextConnection = (timeoutMs = 5000) => {
    const ready = arrived.shift();
    if (ready) return Promise.resolve(ready);
    return withTimeout(
      new Promise<ScriptedConnection>((resolve) => waiting.push(resolve)),
      timeoutMs,
      'a client connection',
    );
  };

  return {
    url: `ws://127.0.0.1:${port}/ws`,
    port,
    nextConnection,
    async nextHello(timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const connection = await nextConnection(deadline - Date.now());
        const said = connection.next('hello', Math.max(0, deadline - Date.now()));
        await Promise.race([said.then(noop, noop), connection.closed]);
        const hello = connection.received.find((frame) => frame.type === 'hello');
        if (hello) return { connection, hello };
      }
    },
    connectionCount: () => count,
    close() {
      for (const client of server.clients) client.terminate();
      server.close();
      http.closeAllConnections();
      return new Promise((resolve) => http.close(() => resolve()));
    },
  };
}

function wrap(socket: WebSocket): ScriptedConnection {
  const received: Record<string, unknown>[] = [];
  const unread: Record<string, unknown>[] = [];
  let notify: (() => void) | undefined;
  socket.on('message', (data, isBinary) => {
    if (isBinary) return;
    const frame = JSON.parse(String(data)) as Record<string, unknown>;
    received.push(frame);
    unread.push(frame);
    notify?.();
  });
  const closed = new Promise<{ code: number }>((resolve) =>
    socket.on('close', (code) => resolve({ code })),
  );

  async function next(type?: string, timeoutMs = 5000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = unread.findIndex((frame) => type === undefined || frame.type === type);
      if (index >= 0) return unread.splice(index, 1)[0]!;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for a ${type ?? 'client'} frame`);
      await withTimeout(
        new Promise<void>((resolve) => (notify = resolve)),
        left,
        `a ${type ?? 'client'} frame`,
      );
    }
  }

  return {
    socket,
    received,
    next,
    send: (frame) => socket.send(JSON.stringify(frame)),
    closed,
  };
}

export const ALICE: PeerV2 = { id: 'u_alice0000000000000000', name: 'alice' };
export const BOB: PeerV2 = { id: 'u_bob000000000000000000', name: 'bob' };

/** A conversation as the host lists it; `general` unless named otherwise. */
export function conversation(id = 'general', overrides: Partial<Conversation> = {}): Conversation {
  return {
    id,
    kind: 'channel',
    name: id,
    member: true,
    lastSeq: 0,
    readSeq: 0,
    ...overrides,
  };
}

/** A well-formed version 2 welcome (alice in a room with only `general`), overridable per test. */
export function welcome(overrides: Record<string, unknown> = {}) {
  return {
    type: 'welcome',
    protocol: 2,
    room: SCRIPTED_ROOM,
    self: ALICE,
    token: 'token-1',
    peers: [ALICE],
    peerCount: 1,
    conversations: [conversation()],
    ...overrides,
  };
}

/** A text entry of `conv` (general by default) from bob unless said otherwise. */
export function text(
  seq: number,
  words: string,
  options: { conv?: string; from?: PeerV2; id?: string } = {},
): TextEntry {
  const conv = options.conv ?? 'general';
  return {
    seq,
    conv,
    id: options.id ?? `${conv}-${seq}`,
    from: options.from ?? BOB,
    ts: 1_700_000_000_000 + seq,
    kind: 'text',
    text: words,
  };
}

/** The `message` frame of an entry. */
export const message = (entry: Entry) => ({ type: 'message', ...entry });

/** A conversation's catchup. */
export const catchup = (conv: string, messages: Entry[], gap = false) => ({
  type: 'catchup',
  conv,
  messages,
  gap,
});

/** The `conversation` frame of a conversation. */
export const conversationFrame = (id: string, overrides: Partial<Conversation> = {}) => ({
  type: 'conversation',
  ...conversation(id, overrides),
});
