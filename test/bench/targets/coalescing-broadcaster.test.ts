import { Duplex } from 'node:stream';
import { once } from 'node:events';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { CoalescingBroadcaster } from '../../../bench/targets/coalescing-broadcaster';
import { startCoalescedWsServer } from '../../../bench/targets/coalesced-ws';
import type { RunningServer } from '../../../bench/targets/loopback';

/** A socket stand-in that records each write call. */
class RecordingSocket extends Duplex {
  readonly writes: Buffer[] = [];
  override _read(): void {}
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.writes.push(chunk);
    done();
  }
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('CoalescingBroadcaster', () => {
  it('writes everything one turn produced to each socket in a single write', async () => {
    const broadcaster = new CoalescingBroadcaster();
    const sockets = [new RecordingSocket(), new RecordingSocket()];
    for (const socket of sockets) broadcaster.add(socket);
    broadcaster.broadcast(Buffer.from('one'), false);
    broadcaster.broadcast(Buffer.from('two'), false);
    broadcaster.broadcast(Buffer.from([1, 2]), true);
    expect(sockets[0]!.writes).toHaveLength(0);
    await nextTurn();
    for (const socket of sockets) {
      expect(socket.writes).toHaveLength(1);
      // Unmasked frames: FIN+opcode, length, payload.
      expect([...socket.writes[0]!]).toEqual([
        0x81,
        3,
        ...Buffer.from('one'),
        0x81,
        3,
        ...Buffer.from('two'),
        0x82,
        2,
        1,
        2,
      ]);
    }
  });

  it('stops writing to a socket once it closed', async () => {
    const broadcaster = new CoalescingBroadcaster();
    const socket = new RecordingSocket();
    broadcaster.add(socket);
    socket.destroy();
    await once(socket, 'close');
    expect(broadcaster.size).toBe(0);
    broadcaster.broadcast(Buffer.from('late'), false);
    await nextTurn();
    expect(socket.writes).toHaveLength(0);
  });
});

describe('the coalesced ws server', () => {
  let server: RunningServer | undefined;
  const clients: WebSocket[] = [];
  afterEach(async () => {
    for (const client of clients) client.terminate();
    clients.length = 0;
    await server?.close();
  });

  it('delivers every message, in order, to every client (the sender included)', async () => {
    server = await startCoalescedWsServer();
    const sent = Array.from({ length: 40 }, (_, index) => `message ${index}`);
    const received: string[][] = [[], [], []];
    let allArrived = () => {};
    const arrived = new Promise<void>((resolve) => (allArrived = resolve));
    for (let index = 0; index < 3; index++) {
      const client = new WebSocket(`ws://127.0.0.1:${server.port}/`);
      client.on('message', (data) => {
        received[index]!.push(String(data));
        if (received.every((list) => list.length >= sent.length)) allArrived();
      });
      clients.push(client);
      await once(client, 'open');
    }
    for (const text of sent) clients[0]!.send(text);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      arrived,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('deliveries timed out')), 5000);
      }),
    ]);
    clearTimeout(timer);
    for (const list of received) expect(list).toEqual(sent);
  });
});
