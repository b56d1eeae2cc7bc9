import { afterEach, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { DialectName } from '../../../bench/ipc';
import { ClientPool } from '../../../bench/load/client-pool';
import { createDialect, DIALECT_BY_NAME } from '../../../bench/load/dialects';
import { runPhase } from '../../../bench/load/phase-runner';
import { startCoalescedWsServer } from '../../../bench/targets/coalesced-ws';
import type { RunningServer } from '../../../bench/targets/loopback';
import { startNaiveWsServer } from '../../../bench/targets/naive-ws';
import { startParleyServer } from '../../../bench/targets/parley';
import { startSocketIoServer } from '../../../bench/targets/socket-io';

const TARGETS: { name: string; dialect: DialectName; start: () => Promise<RunningServer> }[] = [
  { name: 'coalesced ws', dialect: 'ws', start: startCoalescedWsServer },
  { name: 'naive ws', dialect: 'ws', start: startNaiveWsServer },
  { name: 'Socket.IO', dialect: 'socket.io', start: startSocketIoServer },
  {
    name: 'Parley host',
    dialect: 'parley',
    start: () => startParleyServer({ maxConnections: 50 }),
  },
  {
    name: 'Parley host, one channel each (v2)',
    dialect: 'parley-v2',
    start: () => startParleyServer({ maxConnections: 50 }),
  },
];

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe.each(TARGETS)('the generator against $name', ({ dialect, start }) => {
  it('joins every client and delivers every message to every client', async () => {
    const server = await start();
    cleanup.push(() => server.close());
    const pool = new ClientPool(createDialect(dialect));
    cleanup.push(async () => pool.closeAll());

    const connected = await pool.connect({
      port: server.port,
      clients: 6,
      concurrency: 3,
      timeoutMs: 10_000,
    });
    expect(connected).toMatchObject({ open: 6, failed: 0, errors: [] });

    const edges: string[] = [];
    const result = await runPhase(
      pool,
      {
        phase: 1,
        rate: 20,
        perSenderRate: 4,
        warmupMs: 100,
        windowMs: 400,
        drainMs: 5000,
        drainStallMs: 2000,
      },
      { windowEdge: (edge) => edges.push(edge) },
    );
    expect(edges).toEqual(['start', 'end']);
    expect(result.senders).toBe(5);
    expect(result.sent).toBe(10);
    expect(result.receivers).toBe(6);
    expect(result).toMatchObject({
      lost: 0,
      duplicates: 0,
      drained: true,
      droppedClients: 0,
      errorFrames: {},
    });
    expect(result.latency.count).toBeGreaterThan(0);
    expect(result.latency.p99Ms).toBeGreaterThan(0);
  });
});

describe('the generator in channels and direct conversations (parley.v2)', () => {
  it('delivers each message to its conversation only: the channel or the pair', async () => {
    const server = await startParleyServer({ maxConnections: 50 });
    cleanup.push(() => server.close());
    const pool = new ClientPool(createDialect('parley-v2'));
    cleanup.push(async () => pool.closeAll());
    // 10 founders, one channel each; clients 10-23 join them in 7 pairs with a direct conversation.
    const clients = 24;
    const connected = await pool.connect({
      port: server.port,
      clients,
      concurrency: 4,
      timeoutMs: 15_000,
    });
    expect(connected).toMatchObject({ open: clients, failed: 0, errors: [] });

    const result = await runPhase(
      pool,
      {
        phase: 1,
        rate: 40,
        perSenderRate: 4,
        warmupMs: 100,
        windowMs: 400,
        drainMs: 5000,
        drainStallMs: 2000,
      },
      { windowEdge: () => undefined },
    );
    // Anyone outside a message's conversation receiving it would count as a duplicate.
    expect(result).toMatchObject({
      sent: 20,
      lost: 0,
      duplicates: 0,
      drained: true,
      droppedClients: 0,
      errorFrames: {},
    });
    expect(result.windowDeliveries).toBeLessThan(result.sent * clients);
  });
});

describe('the generator', () => {
  it('reports clients it could not connect, with the reason', async () => {
    const server = await startCoalescedWsServer();
    const port = server.port;
    await server.close();
    const pool = new ClientPool(DIALECT_BY_NAME.ws);
    const connected = await pool.connect({ port, clients: 3, concurrency: 2, timeoutMs: 5000 });
    expect(connected.open).toBe(0);
    expect(connected.failed).toBe(3);
    expect(connected.errors.join(' ')).toMatch(/ECONNREFUSED/);
  });

  it('never makes a sender exceed the per-sender rate, even with few clients', async () => {
    const server = await startCoalescedWsServer();
    cleanup.push(() => server.close());
    const pool = new ClientPool(DIALECT_BY_NAME.ws);
    cleanup.push(async () => pool.closeAll());
    await pool.connect({ port: server.port, clients: 2, concurrency: 2, timeoutMs: 5000 });
    const result = await runPhase(
      pool,
      {
        phase: 1,
        rate: 100,
        perSenderRate: 4,
        warmupMs: 0,
        windowMs: 500,
        drainMs: 3000,
        drainStallMs: 1000,
      },
      { windowEdge: () => undefined },
    );
    expect(result.senders).toBe(2);
    expect(result.offeredRate).toBe(8);
    expect(result.sent).toBe(4);
    expect(result.lost).toBe(0);
  });

  it('keeps phases apart: a second phase on the same clients counts only its own messages', async () => {
    const server = await startCoalescedWsServer();
    cleanup.push(() => server.close());
    const pool = new ClientPool(DIALECT_BY_NAME.ws);
    cleanup.push(async () => pool.closeAll());
    await pool.connect({ port: server.port, clients: 4, concurrency: 4, timeoutMs: 5000 });
    const phase = (number: number) =>
      runPhase(
        pool,
        {
          phase: number,
          rate: 16,
          perSenderRate: 4,
          warmupMs: 0,
          windowMs: 250,
          drainMs: 3000,
          drainStallMs: 1000,
        },
        { windowEdge: () => undefined },
      );
    const first = await phase(1);
    const second = await phase(2);
    for (const result of [first, second]) {
      expect(result).toMatchObject({ sent: 4, lost: 0, duplicates: 0, drained: true });
      expect(result.latency.count).toBe(16);
    }
  });

  it('counts clients the target drops after they joined', async () => {
    const server = await startNaiveWsServer();
    cleanup.push(() => server.close());
    const pool = new ClientPool(DIALECT_BY_NAME.ws);
    cleanup.push(async () => pool.closeAll());
    await pool.connect({ port: server.port, clients: 3, concurrency: 3, timeoutMs: 5000 });
    expect(pool.openCount).toBe(3);
    await server.close();
    // The pool has no drop event to await: poll, bounded to 5 s.
    for (let attempt = 0; attempt < 250 && pool.dropped < 3; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(pool.dropped).toBe(3);
    expect(pool.openCount).toBe(0);
  });
});

describe('the generator against several servers of one room', () => {
  it('splits its clients evenly across the ports it is given', async () => {
    const servers = await Promise.all(
      [0, 1].map(
        () =>
          new Promise<WebSocketServer>((resolve) => {
            const wss: WebSocketServer = new WebSocketServer({ port: 0, host: '127.0.0.1' }, () =>
              resolve(wss),
            );
          }),
      ),
    );
    cleanup.push(async () => {
      for (const wss of servers) {
        for (const client of wss.clients) client.terminate();
        await new Promise((resolve) => wss.close(resolve));
      }
    });
    const ports = servers.map((wss) => (wss.address() as AddressInfo).port);
    const pool = new ClientPool(DIALECT_BY_NAME.ws);
    cleanup.push(async () => pool.closeAll());

    const connected = await pool.connect({
      port: ports[0]!,
      ports,
      clients: 6,
      concurrency: 3,
      timeoutMs: 10_000,
    });
    expect(connected).toMatchObject({ open: 6, failed: 0 });
    expect(servers.map((wss) => wss.clients.size)).toEqual([3, 3]);
  });
});
