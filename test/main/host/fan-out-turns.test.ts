/**
 * The host's fan-out through whole turns, on a real host: what each client receives when many
 * things happen in one event-loop turn, and a join storm.
 */
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { connect, Socket } from 'node:net';
import { SUBPROTOCOL } from '../../../protocol/wire/limits';
import { until, withTimeout } from '../../support/wait';
import { PlainClient, V1Client } from './helpers/clients';
import { onCleanup, testHost } from './helpers/host';
import { gatedStore } from './helpers/stores';
import { maskedTextFrame, rawSocketOf } from './helpers/ws-internals';

describe('one turn of mixed traffic', () => {
  it('gives each client its acks, the broadcasts and the presence in the order the host made them', async () => {
    const gated = gatedStore();
    const host = await testHost({ store: gated.store, limits: { rateBurst: 100 } });
    const { client: alice } = await V1Client.join(host.port, 'alice');
    const { client: bob } = await V1Client.join(host.port, 'bob');
    const carol = await PlainClient.connect(host.port, '?name=carol');
    await carol.nextLine((line) => line === '* carol joined');
    await alice.next('joined', 3000, (frame) => frame.peer.name === 'carol');
    await bob.next('joined', 3000, (frame) => frame.peer.name === 'carol');

    gated.hold();
    alice.say('a1', 'one');
    alice.say('a2', 'two');
    bob.say('b1', 'three');
    carol.send('four');
    await until(() => gated.store.lastSeq('general') === 4, 3000, 'the four appends');
    // Every append resolves at once: acks, messages and all go out in the same turn.
    gated.release();

    await alice.next('message', 3000, (message) => message.seq === 4);
    await bob.next('message', 3000, (message) => message.seq === 4);
    // The host numbers the four in the order they reached it; each sender's ack precedes its
    // message, as the room sends it just before the broadcast.
    const messages = alice.received('message');
    expect(messages.map((message) => message.seq)).toEqual([1, 2, 3, 4]);
    const expectedFor = (mine: string[]) =>
      messages.flatMap((message) =>
        mine.includes(message.id) ? [`ack ${message.id}`, message.text] : [message.text],
      );
    const order = (client: V1Client) =>
      client.frames.all
        .filter((frame) => frame.type === 'ack' || frame.type === 'message')
        .map((frame) => (frame.type === 'ack' ? `ack ${frame.id}` : frame.text));
    expect(order(alice)).toEqual(expectedFor(['a1', 'a2']));
    expect(order(bob)).toEqual(expectedFor(['b1']));
    expect(order(alice).filter((text) => !text.startsWith('ack'))).toEqual(
      expect.arrayContaining(['one', 'two', 'three', 'four']),
    );
    for (const message of messages) {
      expect(await carol.nextLine()).toBe(`${message.from.name}: ${message.text}`);
    }

    // A leave and a join in one turn reach everyone after those messages, in that order.
    bob.close();
    const { client: dave } = await V1Client.join(host.port, 'dave');
    await alice.next('joined', 3000, (frame) => frame.peer.name === 'dave');
    const presence = alice.frames.all
      .filter((frame) => frame.type === 'joined' || frame.type === 'left')
      .map((frame) => `${frame.type} ${frame.peer.name}`);
    expect(presence.slice(-2)).toEqual(['left bob', 'joined dave']);
    expect(await carol.nextLine()).toBe('* bob left');
    expect(await carol.nextLine()).toBe('* dave joined');
    expect(dave.received('joined')).toEqual([]);
    for (const client of [alice, bob, dave]) expect(client.invalid).toEqual([]);
  });
});

/**
 * A bare parley.v1 client on a raw TCP socket: it reads its welcome, then only counts presence
 * frames in the byte stream. A ws client per joiner would parse millions of frames in this
 * process, the host's own, and the test would measure itself rather than the host.
 */
interface StormClient {
  welcomePeers: number;
  joinedSeen: number;
}

const JOINED = Buffer.from('{"type":"joined"');
const HEADER_END = Buffer.from('\r\n\r\n');

/** The first frame, if `buffer` holds all of it (RFC 6455 5.2, unmasked). */
function firstFrame(buffer: Buffer): { opcode: number; payload: Buffer; rest: Buffer } | undefined {
  if (buffer.length < 2) return undefined;
  const short = buffer[1]! & 0x7f;
  const start = short === 126 ? 4 : short === 127 ? 10 : 2;
  if (buffer.length < start) return undefined;
  const length =
    short === 126
      ? buffer.readUInt16BE(2)
      : short === 127
        ? Number(buffer.readBigUInt64BE(2))
        : short;
  if (buffer.length < start + length) return undefined;
  return {
    opcode: buffer[0]! & 0x0f,
    payload: buffer.subarray(start, start + length),
    rest: buffer.subarray(start + length),
  };
}

function countJoined(text: Buffer): number {
  let count = 0;
  for (let at = text.indexOf(JOINED); at >= 0; at = text.indexOf(JOINED, at + 1)) count++;
  return count;
}

/** Opens the socket; `hello()` then sends the hello, and `welcomed` settles with the welcome. */
async function stormClient(
  port: number,
  name: string,
): Promise<{ client: StormClient; hello: () => void; leave: () => void; welcomed: Promise<void> }> {
  const socket = connect(port, '127.0.0.1');
  onCleanup(() => {
    socket.destroy();
  });
  socket.on('error', () => {});
  const client: StormClient = { welcomePeers: -1, joinedSeen: 0 };
  let pending: Buffer = Buffer.alloc(0);
  let phase: 'upgrade' | 'welcome' | 'counting' = 'upgrade';
  let upgraded: () => void = () => {};
  const open = new Promise<void>((resolve) => (upgraded = resolve));
  const welcomed = new Promise<void>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      if (phase === 'counting') {
        // A pattern cut in two by a chunk boundary is found with the tail kept from before.
        const text = Buffer.concat([pending, chunk]);
        client.joinedSeen += countJoined(text);
        pending = text.subarray(Math.max(0, text.length - JOINED.length + 1));
        return;
      }
      pending = Buffer.concat([pending, chunk]);
      if (phase === 'upgrade') {
        const end = pending.indexOf(HEADER_END);
        if (end < 0) return;
        pending = pending.subarray(end + HEADER_END.length);
        phase = 'welcome';
        upgraded();
      }
      let frame = firstFrame(pending);
      // The host's heartbeat may ping before the welcome: skip control frames.
      while (frame && frame.opcode !== 1) {
        pending = frame.rest;
        frame = firstFrame(pending);
      }
      if (!frame) return;
      const welcome = JSON.parse(frame.payload.toString()) as { peers: unknown[] };
      client.welcomePeers = welcome.peers.length;
      phase = 'counting';
      client.joinedSeen += countJoined(frame.rest);
      pending = frame.rest.subarray(Math.max(0, frame.rest.length - JOINED.length + 1));
      resolve();
    });
  });
  socket.write(
    [
      'GET /ws HTTP/1.1',
      `Host: 127.0.0.1:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      `Sec-WebSocket-Protocol: ${SUBPROTOCOL}`,
      '',
      '',
    ].join('\r\n'),
  );
  await withTimeout(open, 10_000, `${name} to connect`);
  const hello = () => socket.write(maskedTextFrame(JSON.stringify({ type: 'hello', name })));
  const leave = () => socket.destroy();
  return { client, hello, leave, welcomed: withTimeout(welcomed, 20_000, `${name}'s welcome`) };
}

describe('a join storm', () => {
  it('lets 2,000 clients join, each welcomed with the room so far and told of every later join', async () => {
    const total = 2000;
    // The bare clients do not answer pings: no heartbeat may drop them during the test.
    const host = await testHost({
      limits: { maxConnections: total + 10, heartbeatIntervalMs: 120_000 },
    });
    const clients: StormClient[] = [];
    const started = Date.now();
    // Bounded: 2,000 joins, 100 in flight at a time.
    for (let first = 0; first < total; first += 100) {
      const batch = await Promise.all(
        Array.from({ length: 100 }, (_, offset) =>
          stormClient(host.port, `storm-${first + offset}`),
        ),
      );
      // Hellos sent together, as in a real storm: the host takes several per turn.
      for (const joiner of batch) joiner.hello();
      await Promise.all(batch.map((joiner) => joiner.welcomed));
      clients.push(...batch.map((joiner) => joiner.client));
    }
    expect(host.peers()).toHaveLength(total);
    // Everyone knows everyone: the peers its welcome listed, plus each join after it.
    await until(
      () => clients.every((client) => client.welcomePeers + client.joinedSeen === total),
      20_000,
      'every client to know all 2,000 peers',
      () => {
        const short = clients.filter((c) => c.welcomePeers + c.joinedSeen !== total);
        return `${short.length} clients short`;
      },
    );
    expect(new Set(clients.map((client) => client.welcomePeers)).size).toBeGreaterThan(1);
    // Generous: it proves joins are not quadratic in JS, not a speed.
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 60_000);
});

/**
 * Counts the host's writes to the socket whose far end is `clientPort`: each `_write` or
 * `_writev` of a net.Socket is one write request (a corked batch is one `_writev`).
 */
function countHostWrites(clientPort: number): () => number {
  const prototype = Socket.prototype as unknown as Record<'_write' | '_writev', unknown>;
  let count = 0;
  for (const method of ['_write', '_writev'] as const) {
    const original = prototype[method] as (this: Socket, ...args: unknown[]) => unknown;
    prototype[method] = function (this: Socket, ...args: unknown[]) {
      if (this.remotePort === clientPort) count++;
      return original.apply(this, args);
    };
    onCleanup(() => {
      prototype[method] = original;
    });
  }
  return () => count;
}

describe('presence of one turn', () => {
  it('reaches each client as one write, for joins and for leaves', async () => {
    const total = 40;
    const host = await testHost({ limits: { heartbeatIntervalMs: 120_000 } });
    const { client: alice } = await V1Client.join(
      host.port,
      'alice',
      {},
      { perMessageDeflate: false },
    );
    const joiners = await Promise.all(
      Array.from({ length: total }, (_, index) => stormClient(host.port, `turn-${index}`)),
    );
    const writes = countHostWrites(rawSocketOf(alice.socket).localPort!);

    // Written from this process in one go, the hellos are all readable when the host's loop polls
    // next: it takes them in one turn.
    for (const joiner of joiners) joiner.hello();
    await Promise.all(joiners.map((joiner) => joiner.welcomed));
    await until(() => alice.received('joined').length === total, 5000, 'every joined');
    expect(writes()).toBe(1);

    const leavesBefore = writes();
    for (const joiner of joiners) joiner.leave();
    await until(() => alice.received('left').length === total, 5000, 'every left');
    expect(writes() - leavesBefore).toBe(1);
    expect(alice.invalid).toEqual([]);
  });
});
