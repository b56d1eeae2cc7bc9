/**
 * Clients that send requests but do not read the answers: they write JSON `ping` frames as fast
 * as TCP takes them without reading a byte. The host stops reading from such a client once its
 * answers pile up (backpressure) instead of building more of them, so it neither holds them in
 * memory nor drops the client for its own answers: once the client reads, every ping is answered.
 */
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { readRssKiB } from '../../bench/proc/linux-proc';
import { SUBPROTOCOL } from '../../protocol/wire/limits';
import { withTimeout } from '../support/wait';
import { startCliHost } from './helpers/cli-process';
import { useCliTestFile } from './helpers/cli-test-file';

const dirs = useCliTestFile('request-flood');

/** A connection the host has not read from for this long counts as stopped by the host. */
const STALL_MS = 1500;
const PONG = '{"type":"pong"}';

/** `{"type":"ping"}` as a masked text frame (a zero mask: the payload reads as it is). */
const PING = Buffer.concat([
  Buffer.from([0x81, 0x80 | 15, 0, 0, 0, 0]),
  Buffer.from('{"type":"ping"}'),
]);
const PINGS_PER_CHUNK = Math.floor(65536 / PING.length);
const CHUNK = Buffer.concat(Array<Buffer>(PINGS_PER_CHUNK).fill(PING));

interface Flooder {
  socket: WebSocket;
  tcp: Socket;
  pongs: number;
  closed: { code: number } | undefined;
}

/** Joins as `name` with a socket of its own, then stops reading. */
async function flooder(url: string, name: string): Promise<Flooder> {
  const socket = new WebSocket(url, [SUBPROTOCOL], { perMessageDeflate: false });
  const client: Partial<Flooder> & { socket: WebSocket } = { socket, pongs: 0 };
  socket.on('upgrade', (response) => (client.tcp = response.socket));
  socket.on('error', () => undefined);
  socket.on('close', (code) => (client.closed = { code }));
  const welcomed = new Promise<void>((resolve) =>
    socket.once('message', (data) => {
      expect(String(data)).toMatch(/^\{"type":"welcome"/);
      resolve();
    }),
  );
  socket.once('open', () => socket.send(JSON.stringify({ type: 'hello', name })));
  await withTimeout(welcomed, 5000, `${name} to be welcomed`);
  socket.on('message', (data) => {
    if (String(data) === PONG) client.pongs! += 1;
  });
  socket.pause();
  return client as Flooder;
}

/**
 * Writes pings to `tcp` until `maxBytes` went, the socket closed, or the host stopped taking
 * them for STALL_MS. Resolves with the number of pings written.
 */
function flood(tcp: Socket, maxBytes: number): Promise<number> {
  return new Promise((resolve) => {
    let chunks = 0;
    let stall: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(stall);
      tcp.off('drain', write);
      tcp.off('close', done);
      resolve(chunks * PINGS_PER_CHUNK);
    };
    const write = () => {
      clearTimeout(stall);
      while ((chunks + 1) * CHUNK.length <= maxBytes && !tcp.destroyed) {
        chunks++;
        if (!tcp.write(CHUNK)) {
          stall = setTimeout(done, STALL_MS);
          return;
        }
      }
      done();
    };
    tcp.on('drain', write);
    tcp.once('close', done);
    tcp.on('error', () => undefined);
    write();
  });
}

describe('clients that send pings and do not read', () => {
  it('are not read from while their answers pile up, and get every answer once they read', async () => {
    const host = await startCliHost({
      dataDir: await dirs.make(),
      flags: ['--max-backlog-bytes', String(256 * 1024), '--heartbeat-interval-ms', '120000'],
    });
    const client = await flooder(host.url, 'flooder');
    // 64 MiB of pings: their answers are far more than TCP's buffers and the backlog limit.
    const sent = await withTimeout(flood(client.tcp, 64 * 1024 * 1024), 60_000, 'the flood');
    expect(client.closed).toBeUndefined();
    // The host stopped reading: the client could not write all it wanted.
    expect(sent).toBeLessThan((64 * 1024 * 1024) / PING.length);

    client.socket.resume();
    // Once it reads, the host reads the rest of its pings too, and answers each of them.
    const everyPong = new Promise<void>((resolve) => {
      const check = () => {
        if (client.pongs < sent) return;
        client.socket.off('message', check);
        resolve();
      };
      client.socket.on('message', check);
    });
    await withTimeout(everyPong, 60_000, () => `${sent} pongs (got ${client.pongs})`);
    expect(client.closed).toBeUndefined();
    client.socket.terminate();
  }, 150_000);

  it('cannot make the host hold their answers: twenty of them from one address', async () => {
    const host = await startCliHost({ dataDir: await dirs.make() });
    const clients = await Promise.all(
      Array.from({ length: 20 }, (_, n) => flooder(host.url, `flooder-${n}`)),
    );
    const baseKiB = readRssKiB(host.pid) ?? 0;
    let peakKiB = baseKiB;
    const sampler = setInterval(() => {
      peakKiB = Math.max(peakKiB, readRssKiB(host.pid) ?? 0);
    }, 20);
    try {
      await withTimeout(
        Promise.all(clients.map((client) => flood(client.tcp, 16 * 1024 * 1024))),
        90_000,
        'the flooders to stop',
      );
    } finally {
      clearInterval(sampler);
    }
    const growthMiB = (peakKiB - baseKiB) / 1024;
    // Their answers held in full would be hundreds of MiB; what is held per client is bounded
    // by half the backlog limit (2 MiB) and a read's answers.
    expect(growthMiB).toBeLessThan(150);
    for (const client of clients) {
      expect(client.closed).toBeUndefined();
      client.socket.terminate();
    }
  }, 150_000);
});
