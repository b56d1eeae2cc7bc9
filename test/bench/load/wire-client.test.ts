import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { ClientPool } from '../../../bench/load/client-pool';
import { DIALECT_BY_NAME } from '../../../bench/load/dialects';
import { WireClient, type WireClientHandler } from '../../../bench/load/wire-client';

const WAIT_MS = 5000;

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function wsServer(options: { protocols?: boolean } = {}) {
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    perMessageDeflate: false,
    ...(options.protocols ? { handleProtocols: (offered: Set<string>) => [...offered][0]! } : {}),
  });
  await once(server, 'listening');
  cleanup.push(
    () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  );
  return { server, port: (server.address() as AddressInfo).port };
}

/** A handler that records what the client reports and lets a test await it. */
function recorder() {
  const messages: string[] = [];
  const log: string[] = [];
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((check) => check());
  const handler: WireClientHandler<undefined> = {
    opened: () => {
      log.push('opened');
      notify();
    },
    arrived: () => undefined,
    message: (_client, data, start, end) => {
      messages.push(data.toString('utf8', start, end));
      notify();
    },
    ended: (_client, reason) => {
      log.push(`ended: ${reason}`);
      notify();
    },
  };
  const until = (condition: () => boolean, what: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}; log: ${log.join(' | ')}`));
      }, WAIT_MS);
      const check = () => {
        if (!condition()) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
    });
  return { handler, messages, log, until, notify };
}

function connect(port: number, handler: WireClientHandler<undefined>, protocols: string[] = []) {
  const client = new WireClient({ port, path: '/chat?x=1', protocols }, handler, undefined);
  cleanup.push(() => client.terminate());
  return client;
}

describe('WireClient against a ws server', () => {
  it('upgrades with the subprotocol and path, then sends and receives texts of every length class', async () => {
    const { server, port } = await wsServer({ protocols: true });
    const connection = once(server, 'connection') as Promise<[WebSocket, { url: string }]>;
    const events = recorder();
    const client = connect(port, events.handler, ['parley.v1']);
    const [peer, request] = await connection;
    await events.until(() => client.isOpen, 'open');
    expect(client.protocol).toBe('parley.v1');
    expect(peer.protocol).toBe('parley.v1');
    expect(request.url).toBe('/chat?x=1');

    const sizes = [0, 1, 125, 126, 65_535, 65_536, 200_000];
    const received: string[] = [];
    peer.on('message', (data, isBinary) => {
      expect(isBinary).toBe(false);
      received.push(data.toString());
      events.notify();
    });
    for (const size of sizes) client.sendText('a'.repeat(size));
    client.sendText('héllo ✓');
    for (const size of sizes) peer.send('b'.repeat(size));
    await events.until(() => events.messages.length === sizes.length, 'every message');
    expect(events.messages.map((text) => text.length)).toEqual(sizes);
    expect(events.messages.every((text) => /^b*$/.test(text))).toBe(true);
    await events.until(() => received.length === sizes.length + 1, 'the server to read all');
    expect(received.map((text) => text.length)).toEqual([...sizes, 7]);
    expect(received.at(-1)).toBe('héllo ✓');
  });

  it('reads a greeting the server sends in the same read as its 101', async () => {
    const { server, port } = await wsServer();
    server.on('connection', (peer) => peer.send('welcome'));
    const events = recorder();
    connect(port, events.handler);
    await events.until(() => events.messages.length === 1, 'the greeting');
    expect(events.messages).toEqual(['welcome']);
  });

  it('assembles a message the server sends in fragments', async () => {
    const { server, port } = await wsServer();
    server.on('connection', (peer) => {
      peer.send('frag', { fin: false });
      peer.send('men', { fin: false });
      peer.send('ted', { fin: true });
    });
    const events = recorder();
    connect(port, events.handler);
    await events.until(() => events.messages.length === 1, 'the fragmented message');
    expect(events.messages).toEqual(['fragmented']);
  });

  it('answers a ping with a pong carrying the same payload', async () => {
    const { server, port } = await wsServer();
    const connection = once(server, 'connection') as Promise<[WebSocket]>;
    const events = recorder();
    connect(port, events.handler);
    const [peer] = await connection;
    const pong = once(peer, 'pong') as Promise<[Buffer]>;
    peer.ping('still there?');
    const [payload] = await pong;
    expect(payload.toString()).toBe('still there?');
  });

  it('answers the server closing with the same code, then reports why it ended', async () => {
    const { server, port } = await wsServer();
    const connection = once(server, 'connection') as Promise<[WebSocket]>;
    const events = recorder();
    const client = connect(port, events.handler);
    const [peer] = await connection;
    const closed = once(peer, 'close') as Promise<[number, Buffer]>;
    peer.close(4001, 'bye');
    const [code] = await closed;
    expect(code).toBe(4001);
    await events.until(() => events.log.some((line) => line.startsWith('ended')), 'the end');
    expect(events.log).toEqual(['opened', 'ended: closed by the server with 4001']);
    expect(client.isOpen).toBe(false);
  });

  it('closes cleanly from its side: the server sees the code', async () => {
    const { server, port } = await wsServer();
    const connection = once(server, 'connection') as Promise<[WebSocket]>;
    const events = recorder();
    const client = connect(port, events.handler);
    const [peer] = await connection;
    await events.until(() => client.isOpen, 'open');
    const closed = once(peer, 'close') as Promise<[number]>;
    client.close(1001);
    expect((await closed)[0]).toBe(1001);
    await events.until(() => events.log.length === 2, 'the end');
    expect(events.log[1]).toBe('ended: closed by the client');
  });

  it('reports a refused connection with the socket error', async () => {
    const { server, port } = await wsServer();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const events = recorder();
    connect(port, events.handler);
    await events.until(() => events.log.length === 1, 'the failure');
    expect(events.log[0]).toMatch(/^ended: .*ECONNREFUSED/);
  });
});

/** A TCP server that answers any request with `reply`, like a broken or foreign server would. */
async function rawServer(reply: (request: string) => string) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let request = '';
    socket.on('data', (chunk) => {
      request += chunk.toString('latin1');
      if (request.includes('\r\n\r\n')) socket.write(reply(request), 'latin1');
    });
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanup.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  );
  return (server.address() as AddressInfo).port;
}

describe('WireClient against a broken server', () => {
  it('refuses a wrong Sec-WebSocket-Accept and says so', async () => {
    const port = await rawServer(() =>
      [
        'HTTP/1.1 101 Switching Protocols',
        'Upgrade: websocket',
        'Connection: Upgrade',
        'Sec-WebSocket-Accept: bm90IHRoZSByaWdodCBrZXk=',
        '',
        '',
      ].join('\r\n'),
    );
    const events = recorder();
    connect(port, events.handler);
    await events.until(() => events.log.length === 1, 'the failure');
    expect(events.log[0]).toMatch(/^ended: websocket upgrade failed \(bad_accept\)/);
    expect(events.log).not.toContain('opened');
  });

  it('drops a server that masks its frames', async () => {
    const { acceptKeyFor } = await import('../../../bench/load/upgrade');
    const port = await rawServer((request) => {
      const key = /Sec-WebSocket-Key: (\S+)/.exec(request)![1]!;
      const head = [
        'HTTP/1.1 101 Switching Protocols',
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Accept: ${acceptKeyFor(key)}`,
        '',
        '',
      ].join('\r\n');
      return head + String.fromCharCode(0x81, 0x82, 0, 0, 0, 0) + 'hi';
    });
    const events = recorder();
    connect(port, events.handler);
    await events.until(() => events.log.length === 2, 'the failure');
    expect(events.log).toEqual([
      'opened',
      expect.stringMatching(/^ended: websocket framing error \(masked_frame\)/),
    ]);
    expect(events.messages).toEqual([]);
  });

  it('makes the pool report the handshake failure as the reason clients did not connect', async () => {
    const port = await rawServer(() => 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
    const pool = new ClientPool(DIALECT_BY_NAME.ws);
    cleanup.push(() => pool.closeAll());
    const outcome = await pool.connect({ port, clients: 3, concurrency: 2, timeoutMs: WAIT_MS });
    expect(outcome).toMatchObject({ open: 0, failed: 3 });
    expect(outcome.errors).toEqual([
      'websocket upgrade failed (bad_status): expected 101 Switching Protocols, got 404 Not Found',
    ]);
  });
});
