/**
 * A tiny WebSocket server on 127.0.0.1 whose every frame is written by the test, for driving a
 * ClientSession through situations a well-behaved host never creates on cue (lost acks, silence,
 * out-of-order frames, fatal closes).
 */
import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { SUBPROTOCOL } from '../../../../protocol/wire/limits';
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
  connectionCount(): number;
  close(): Promise<void>;
}

export async function startScriptedHost(options: { port?: number } = {}): Promise<ScriptedHost> {
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: options.port ?? 0,
    path: '/ws',
    handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
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

  return {
    url: `ws://127.0.0.1:${port}/ws`,
    port,
    nextConnection(timeoutMs = 5000) {
      const ready = arrived.shift();
      if (ready) return Promise.resolve(ready);
      return withTimeout(
        new Promise<ScriptedConnection>((resolve) => waiting.push(resolve)),
        timeoutMs,
        'a client connection',
      );
    },
    connectionCount: () => count,
    close() {
      for (const client of server.clients) client.terminate();
      return new Promise((resolve) => server.close(() => resolve()));
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

/** A well-formed welcome, with fields overridable per test. */
export function welcome(overrides: Record<string, unknown> = {}) {
  return {
    type: 'welcome',
    protocol: 1,
    room: { id: 'room-1', name: 'Test room' },
    self: { id: 'peer-1', name: 'alice' },
    token: 'token-1',
    peers: [{ id: 'peer-1', name: 'alice' }],
    history: [],
    lastSeq: 0,
    gap: false,
    ...overrides,
  };
}

export function chat(seq: number, text: string, from = { id: 'peer-2', name: 'bob' }, id?: string) {
  return { seq, id: id ?? `say-${seq}`, from, text, ts: 1_700_000_000_000 + seq };
}
