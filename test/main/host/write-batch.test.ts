import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer, type PerMessageDeflateOptions } from 'ws';
import { Channel, formatV1Error } from '../../../main/host/channel';
import { hostDeflateCount, OutboundFrame } from '../../../main/host/frame-encoding';
import { flushSoon, reserveFlush } from '../../../main/host/write-batch';
import { withTimeout } from '../../support/wait';
import { onCleanup } from './helpers/host';
import { rawSocketOf, senderBusy } from './helpers/ws-internals';

/** What the client saw, in arrival order. */
type Seen = { kind: 'message'; text: string } | { kind: 'ping' } | { kind: 'close'; code: number };

interface Pair {
  channel: Channel;
  server: WebSocket;
  client: WebSocket;
  seen: Seen[];
  /** Resolves once the client has seen `count` events. */
  saw(count: number): Promise<Seen[]>;
}

async function pair(
  options: { deflate?: PerMessageDeflateOptions | false; maxBacklogBytes?: number } = {},
): Promise<Pair> {
  const wss = new WebSocketServer({
    port: 0,
    host: '127.0.0.1',
    perMessageDeflate: options.deflate ?? false,
  });
  onCleanup(() => new Promise<void>((resolve) => wss.close(() => resolve())));
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  const accepted = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
  const { port } = wss.address() as AddressInfo;
  const client = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: !!options.deflate });
  onCleanup(() => client.terminate());
  const clientOpen = new Promise<void>((resolve) => client.once('open', () => resolve()));
  const seen: Seen[] = [];
  const listeners: (() => void)[] = [];
  const record = (event: Seen) => {
    seen.push(event);
    for (const listener of listeners.splice(0)) listener();
  };
  client.on('message', (data) => record({ kind: 'message', text: String(data) }));
  client.on('ping', () => record({ kind: 'ping' }));
  client.on('close', (code) => record({ kind: 'close', code }));
  client.on('error', () => {});
  const server = await withTimeout(accepted, 3000, 'the server socket');
  await withTimeout(clientOpen, 3000, 'the client socket');
  onCleanup(() => server.terminate());
  const channel = new Channel(server, {
    maxBacklogBytes: options.maxBacklogBytes ?? 1024 * 1024,
    formatError: formatV1Error,
  });
  const saw = (count: number): Promise<Seen[]> => {
    const reached = new Promise<Seen[]>((resolve) => {
      const check = () => (seen.length >= count ? resolve(seen) : listeners.push(check));
      check();
    });
    return withTimeout(reached, 3000, () => `${count} events (saw ${JSON.stringify(seen)})`);
  };
  return { channel, server, client, seen, saw };
}

const message = (text: string): Seen => ({ kind: 'message', text });

describe('Channel writes', () => {
  it('batches the frames of one turn and keeps their order', async () => {
    const { channel, saw } = await pair();
    const shared = new OutboundFrame('shared');
    channel.send('one');
    channel.send(Buffer.from('two'));
    channel.send(shared);
    expect(channel.backlogBytes).toBeGreaterThan(0);
    expect(await saw(3)).toEqual([message('one'), message('two'), message('shared')]);
  });

  it('lets pings through between whole frames and sends queued frames before a close', async () => {
    const { channel, server, saw } = await pair();
    channel.send('before ping');
    server.ping();
    channel.send('after ping');
    channel.close(4000, 'done');
    channel.send('after close');
    const seen = await saw(4);
    // ws writes pings at once; the host's frames follow in the order it sent them.
    expect(seen).toEqual([
      { kind: 'ping' },
      message('before ping'),
      message('after ping'),
      { kind: 'close', code: 4000 },
    ]);
  });

  it('queues behind a frame ws is still compressing instead of overtaking it', async () => {
    const { channel, server, saw } = await pair({
      deflate: { threshold: 16, serverNoContextTakeover: false },
    });
    const big = 'compressed by ws '.repeat(2000);
    // With context takeover only ws can compress, so this goes through ws's own deflate stream.
    channel.send(big);
    expect(senderBusy(server)).toBe(true);
    channel.send('x');
    channel.send('after');
    expect(await saw(3)).toEqual([message(big), message('x'), message('after')]);
  });

  it('compresses a large frame once for every deflate client, and intact for each', async () => {
    const clients = await Promise.all(
      [1, 2, 3].map(() => pair({ deflate: { threshold: 1024, serverNoContextTakeover: true } })),
    );
    const plainClient = await pair();
    const text = JSON.stringify({ type: 'message', text: 'a chat line, '.repeat(1000) });
    const frame = new OutboundFrame(text);
    const before = hostDeflateCount();
    for (const { channel } of [...clients, plainClient]) channel.send(frame);
    for (const { saw } of [...clients, plainClient]) expect(await saw(1)).toEqual([message(text)]);
    expect(hostDeflateCount() - before).toBe(1);
  });

  it('does not mistake a burst of one turn for a slow client', async () => {
    const { channel, saw } = await pair({ maxBacklogBytes: 256 * 1024 });
    const chunk = 'b'.repeat(60_000);
    // 2.4 MB queued in one turn, ten times the limit: the kernel takes it, the client stays.
    for (let index = 0; index < 40; index++) channel.send(chunk);
    expect(channel.isOpen).toBe(true);
    const seen = await saw(40);
    expect(seen.every((event) => event.kind === 'message' && event.text === chunk)).toBe(true);
  });

  it('drops a client that stops reading with too_slow and 4008, after what was queued', async () => {
    const { channel, client, saw } = await pair({ maxBacklogBytes: 256 * 1024 });
    const raw = rawSocketOf(client);
    raw.pause();
    const chunk = 's'.repeat(60_000);
    let sent = 0;
    // Bounded: loopback kernel buffers hold a few MB, far less than 20 000 × 60 KB.
    for (let turn = 0; turn < 2000 && channel.isOpen; turn++) {
      for (let index = 0; index < 10 && channel.isOpen; index++, sent++) channel.send(chunk);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(channel.isOpen).toBe(false);
    raw.resume();
    const seen = await saw(sent + 2);
    expect(seen.slice(0, sent).every((event) => event.kind === 'message')).toBe(true);
    expect(JSON.parse((seen[sent] as { text: string }).text)).toMatchObject({ code: 'too_slow' });
    expect(seen[sent + 1]).toEqual({ kind: 'close', code: 4008 });
  }, 30_000);

  it('drops what was queued when the peer closes first', async () => {
    const { channel, server, saw } = await pair();
    channel.send('first');
    await saw(1);
    const closed = new Promise<void>((resolve) => server.once('close', () => resolve()));
    server.close(1000);
    channel.send('never');
    await withTimeout(closed, 3000, 'the close');
    expect(channel.isOpen).toBe(false);
    expect(channel.backlogBytes).toBe(0);
  });
});

describe('reserveFlush', () => {
  /** Runs `work` the way a store commit does: in a setImmediate, broadcasting from a callback. */
  const recordFlushTurn = (reserve: boolean) =>
    new Promise<string[]>((resolve) => {
      const events: string[] = [];
      setImmediate(() => {
        // The commit is queued first (at the `say`), then the flush is reserved after it.
        setImmediate(() => {
          void Promise.resolve().then(() => {
            flushSoon({ flushQueued: () => events.push('flushed'), abandon: () => {} });
          });
        });
        if (reserve) reserveFlush();
        setImmediate(() => events.push('rest of the turn'));
        setImmediate(() => setImmediate(() => resolve(events)));
      });
    });

  it("writes what a commit's callbacks broadcast in the same turn as the commit", async () => {
    expect(await recordFlushTurn(true)).toEqual(['flushed', 'rest of the turn']);
  });

  it('is what makes that happen: without it the write waits for the next turn', async () => {
    expect(await recordFlushTurn(false)).toEqual(['rest of the turn', 'flushed']);
  });
});
