import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { Audience } from '../../../main/host/audience';
import { hostDeflateCount, OutboundFrame } from '../../../main/host/frame-encoding';
import { BroadcastGroup, sharedBufferCount } from '../../../main/host/turn-log';
import { withTimeout } from '../../support/wait';
import { channelRig, type RigClient } from './helpers/channel-rig';

const SHARED_DEFLATE = { threshold: 1024, serverNoContextTakeover: true };

function nextTurn(): Promise<void> {
  return withTimeout(new Promise((resolve) => setImmediate(resolve)), 1000, 'the next turn');
}

/** Time passing, for timers that have no event of their own to await. */
function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const EPHEMERAL_WITHIN_5_MS = { ephemeralDelayMsPerMember: 1, ephemeralMaxDelayMs: 5 };

function countWrites(client: RigClient): () => number {
  const spy = vi.spyOn(client.rawServer, 'write');
  return () => spy.mock.calls.length;
}

describe('the shared path', () => {
  it('writes N clients K broadcasts of one turn with one socket write each, from one buffer', async () => {
    const rig = await channelRig();
    const clients = await Promise.all(
      Array.from({ length: 12 }, (_, index) => rig.connect(`c${index}`)),
    );
    const group = new BroadcastGroup();
    for (const client of clients) group.add(client.channel);
    const writes = clients.map(countWrites);
    const texts = Array.from({ length: 25 }, (_, index) => `message ${index}`);
    const buffersBefore = sharedBufferCount();

    for (const text of texts) group.broadcast(new OutboundFrame(text));
    for (const client of clients) expect(await client.saw(texts.length)).toEqual(texts);

    expect(writes.map((count) => count())).toEqual(clients.map(() => 1));
    expect(sharedBufferCount() - buffersBefore).toBe(1);
  });

  it('puts a turn together once per wire variant and compresses each large frame once', async () => {
    const rig = await channelRig(SHARED_DEFLATE);
    const deflating = await Promise.all(
      [0, 1, 2, 3].map((index) => rig.connect(`d${index}`, { deflate: true })),
    );
    const plain = await Promise.all([0, 1, 2].map((index) => rig.connect(`p${index}`)));
    const group = new BroadcastGroup();
    for (const client of [...deflating, ...plain]) group.add(client.channel);
    const writes = [...deflating, ...plain].map(countWrites);
    const big = 'a chat line long enough to compress, '.repeat(200);
    const buffersBefore = sharedBufferCount();
    const deflatesBefore = hostDeflateCount();

    group.broadcast(new OutboundFrame('small'));
    group.broadcast(new OutboundFrame(big));
    group.broadcast(new OutboundFrame('small again'));
    for (const client of [...deflating, ...plain]) {
      expect(await client.saw(3)).toEqual(['small', big, 'small again']);
    }

    expect(writes.map((count) => count())).toEqual(writes.map(() => 1));
    expect(sharedBufferCount() - buffersBefore).toBe(2);
    expect(hostDeflateCount() - deflatesBefore).toBe(1);
  });

  it('lets presence wait a few milliseconds in a large room, so several joins share one write', async () => {
    const rig = await channelRig();
    const clients = await Promise.all([0, 1, 2].map((index) => rig.connect(`c${index}`)));
    // 3 members × 100 ms: presence may wait up to 300 ms, messages never wait.
    const group = new BroadcastGroup({ ephemeralDelayMsPerMember: 100, ephemeralMaxDelayMs: 1000 });
    for (const client of clients) group.add(client.channel);
    const writes = clients.map(countWrites);

    group.broadcast(new OutboundFrame('joined a'), undefined, 'ephemeral');
    await nextTurn();
    group.broadcast(new OutboundFrame('joined b'), undefined, 'ephemeral');
    await nextTurn();
    expect(writes.map((count) => count())).toEqual([0, 0, 0]);
    // A frame of its own is not held back: it takes the presence before it along.
    clients[0]!.channel.send('pong');
    expect(await clients[0]!.saw(3)).toEqual(['joined a', 'joined b', 'pong']);
    for (const client of clients.slice(1)) {
      expect(await client.saw(2, 1000)).toEqual(['joined a', 'joined b']);
    }
    expect(writes.slice(1).map((count) => count())).toEqual([1, 1]);

    // A message flushes at the end of its turn, with whatever presence waits before it.
    group.broadcast(new OutboundFrame('left a'), undefined, 'ephemeral');
    group.broadcast(new OutboundFrame('message'));
    await nextTurn();
    for (const client of clients) {
      expect((await client.saw(client === clients[0] ? 5 : 4)).slice(-2)).toEqual([
        'left a',
        'message',
      ]);
    }
  });
});

describe('audiences (conversations)', () => {
  it('gives the members of the same audiences one shared buffer, one write each, and only their frames', async () => {
    const rig = await channelRig();
    const clients = await Promise.all(
      Array.from({ length: 6 }, (_, index) => rig.connect(`c${index}`)),
    );
    const group = new BroadcastGroup();
    for (const client of clients) group.add(client.channel);
    const dev = new Audience();
    const ops = new Audience();
    for (const index of [0, 1, 2]) dev.add(clients[index]!.channel);
    for (const index of [2, 3]) ops.add(clients[index]!.channel);
    const writes = clients.map(countWrites);
    const buffersBefore = sharedBufferCount();

    group.broadcast(new OutboundFrame('general 1'));
    group.broadcast(new OutboundFrame('dev 1'), undefined, 'now', dev);
    group.broadcast(new OutboundFrame('ops 1'), undefined, 'now', ops);
    group.broadcast(new OutboundFrame('general 2'));
    group.broadcast(new OutboundFrame('dev 2'), undefined, 'now', dev);

    const expected = [
      ['general 1', 'dev 1', 'general 2', 'dev 2'],
      ['general 1', 'dev 1', 'general 2', 'dev 2'],
      ['general 1', 'dev 1', 'ops 1', 'general 2', 'dev 2'],
      ['general 1', 'ops 1', 'general 2'],
      ['general 1', 'general 2'],
      ['general 1', 'general 2'],
    ];
    for (const [index, client] of clients.entries()) {
      expect(await client.saw(expected[index]!.length)).toEqual(expected[index]);
    }
    expect(writes.map((count) => count())).toEqual(clients.map(() => 1));
    // One buffer per set of audiences: {dev}, {dev, ops}, {ops} and none.
    expect(sharedBufferCount() - buffersBefore).toBe(4);
  });

  it('counts a change of audience from the point of the turn where it happens', async () => {
    const rig = await channelRig();
    const [stays, joins, leaves] = await Promise.all(
      ['stays', 'joins', 'leaves'].map((name) => rig.connect(name)),
    );
    const group = new BroadcastGroup();
    const dev = new Audience();
    for (const client of [stays!, joins!, leaves!]) group.add(client.channel);
    dev.add(stays!.channel);
    dev.add(leaves!.channel);
    group.broadcast(new OutboundFrame('before'), undefined, 'now', dev);
    dev.add(joins!.channel);
    joins!.channel.send('catchup');
    dev.delete(leaves!.channel);
    group.broadcast(new OutboundFrame('after'), undefined, 'now', dev);
    expect(await stays!.saw(2)).toEqual(['before', 'after']);
    expect(await joins!.saw(2)).toEqual(['catchup', 'after']);
    expect(await leaves!.saw(1)).toEqual(['before']);
    await nextTurn();
    expect(leaves!.seen).toEqual(['before']);
  });
});

/** One step of a turn, as the room would make it. */
type Step =
  | { kind: 'broadcast'; large: boolean; ephemeral: boolean }
  | { kind: 'broadcastExcept'; client: number; ephemeral: boolean }
  | { kind: 'broadcastTo'; audience: number; large: boolean }
  | { kind: 'enter'; client: number; audience: number }
  | { kind: 'exit'; client: number; audience: number }
  | { kind: 'own'; client: number }
  | { kind: 'join'; client: number; welcome: boolean }
  | { kind: 'leave'; client: number }
  | { kind: 'turn' }
  | { kind: 'pause' };

const CLIENTS = 6;
const AUDIENCES = 2;
const clientIndex = fc.integer({ min: 0, max: CLIENTS - 1 });
const audienceIndex = fc.integer({ min: 0, max: AUDIENCES - 1 });
const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('broadcast'),
      large: fc.boolean(),
      ephemeral: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('broadcastExcept'),
      client: clientIndex,
      ephemeral: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('broadcastTo'),
      audience: audienceIndex,
      large: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('enter'),
      client: clientIndex,
      audience: audienceIndex,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('exit'),
      client: clientIndex,
      audience: audienceIndex,
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('own'), client: clientIndex }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('join'), client: clientIndex, welcome: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('leave'), client: clientIndex }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('turn') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('pause') }) },
) as fc.Arbitrary<Step>;

describe('order under mixed traffic', () => {
  it('gives every client exactly what a per-recipient send would, in the same order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArbitrary, { minLength: 5, maxLength: 40, size: 'max' }),
        async (steps) => {
          const rig = await channelRig(SHARED_DEFLATE);
          // Plain and deflate clients, so both variants and the slices of each are exercised.
          const clients = await Promise.all(
            Array.from({ length: CLIENTS }, (_, index) =>
              rig.connect(`c${index}`, { deflate: index % 2 === 1 }),
            ),
          );
          // Ephemeral broadcasts wait up to 5 ms here: several event-loop turns may pass first.
          const group = new BroadcastGroup(EPHEMERAL_WITHIN_5_MS);
          const expected = clients.map((): string[] => []);
          // Clients 0-3 start as members; 4 and 5 join (or not) along the way.
          for (let index = 0; index < 4; index++) group.add(clients[index]!.channel);
          // Two conversations: 0-2 in the first, 2-3 in the second, others enter and exit.
          const audiences = [new Audience(), new Audience()];
          for (const index of [0, 1, 2]) audiences[0]!.add(clients[index]!.channel);
          for (const index of [2, 3]) audiences[1]!.add(clients[index]!.channel);
          let counter = 0;
          const text = (what: string, large = false) =>
            `${what} ${counter++}${large ? ' padding'.repeat(300) : ''}`;

          for (const step of steps) {
            if (step.kind === 'turn') {
              await nextTurn();
            } else if (step.kind === 'pause') {
              await pause(EPHEMERAL_WITHIN_5_MS.ephemeralMaxDelayMs + 1);
            } else if (step.kind === 'broadcast' || step.kind === 'broadcastExcept') {
              const except = step.kind === 'broadcastExcept' ? clients[step.client] : undefined;
              const sent = text('broadcast', step.kind === 'broadcast' && step.large);
              const urgency = step.ephemeral ? 'ephemeral' : 'now';
              group.broadcast(new OutboundFrame(sent), except?.channel, urgency);
              clients.forEach((client, index) => {
                if (group.has(client.channel) && client !== except) expected[index]!.push(sent);
              });
            } else if (step.kind === 'broadcastTo') {
              const audience = audiences[step.audience]!;
              const sent = text(`to ${step.audience}`, step.large);
              group.broadcast(new OutboundFrame(sent), undefined, 'now', audience);
              clients.forEach((client, index) => {
                if (group.has(client.channel) && audience.has(client.channel)) {
                  expected[index]!.push(sent);
                }
              });
            } else if (step.kind === 'enter') {
              audiences[step.audience]!.add(clients[step.client]!.channel);
            } else if (step.kind === 'exit') {
              audiences[step.audience]!.delete(clients[step.client]!.channel);
            } else if (step.kind === 'own') {
              const sent = text(`own to ${step.client}`);
              clients[step.client]!.channel.send(sent);
              expected[step.client]!.push(sent);
            } else if (step.kind === 'join' && !group.has(clients[step.client]!.channel)) {
              if (step.welcome) {
                const welcome = text(`welcome ${step.client}`);
                clients[step.client]!.channel.send(welcome);
                expected[step.client]!.push(welcome);
              }
              group.add(clients[step.client]!.channel);
            } else if (step.kind === 'leave') {
              group.delete(clients[step.client]!.channel);
            }
          }
          // The last turn is flushed as it stands, then a frame of its own to each client marks
          // the end of what it should see.
          await nextTurn();
          clients.forEach((client, index) => {
            client.channel.send('end');
            expected[index]!.push('end');
          });
          for (const [index, client] of clients.entries()) {
            expect(await client.saw(expected[index]!.length)).toEqual(expected[index]);
          }
        },
      ),
      {
        numRuns: 40,
        // A member joining mid-turn without a welcome must not get the broadcasts before it.
        examples: [
          [
            [
              { kind: 'broadcast', large: false, ephemeral: false },
              { kind: 'join', client: 4, welcome: false },
              { kind: 'broadcast', large: true, ephemeral: false },
            ],
          ],
        ],
      },
    );
  }, 60_000);

  it('keeps order behind a frame only ws can compress (context takeover)', async () => {
    const rig = await channelRig({ threshold: 1024, serverNoContextTakeover: false });
    const takeover = await rig.connect('takeover', { deflate: true });
    const plain = await rig.connect('plain');
    const group = new BroadcastGroup();
    group.add(takeover.channel);
    group.add(plain.channel);
    const big = 'compressed by ws itself, '.repeat(400);
    const sent = ['first', big, 'after big', big, 'last'];
    group.broadcast(new OutboundFrame(sent[0]!));
    group.broadcast(new OutboundFrame(sent[1]!));
    group.broadcast(new OutboundFrame(sent[2]!));
    await nextTurn();
    group.broadcast(new OutboundFrame(sent[3]!));
    takeover.channel.send(sent[4]!);
    plain.channel.send(sent[4]!);
    expect(await takeover.saw(5)).toEqual(sent);
    expect(await plain.saw(5)).toEqual(sent);
  });

  it('sends a channel that closes mid-turn what came before its close, and nothing after', async () => {
    const rig = await channelRig();
    const replaced = await rig.connect('replaced');
    const other = await rig.connect('other');
    const group = new BroadcastGroup();
    group.add(replaced.channel);
    group.add(other.channel);
    group.broadcast(new OutboundFrame('before'));
    // Still a member: the group's flush must skip it once it is closing.
    replaced.channel.fail('replaced');
    group.broadcast(new OutboundFrame('after'));
    const seen = await replaced.saw(3);
    expect(seen[0]).toBe('before');
    expect(JSON.parse(seen[1]!)).toMatchObject({ type: 'error', code: 'replaced' });
    expect(seen[2]).toBe('close 4010');
    expect(await other.saw(2)).toEqual(['before', 'after']);
    expect(replaced.seen).toHaveLength(3);
  });
});

describe('the backlog rule on the shared path', () => {
  it('drops a client that stops reading with too_slow, bounded, and the others carry on', async () => {
    const maxBacklogBytes = 256 * 1024;
    const rig = await channelRig();
    const group = new BroadcastGroup();
    // As the room does: a closing member leaves the group and the others are told.
    const onClosing = (client: RigClient) => {
      group.delete(client.channel);
      group.broadcast(new OutboundFrame(`left ${client.name}`));
    };
    const slow = await rig.connect('slow', { maxBacklogBytes, onClosing });
    const fast = await rig.connect('fast', { maxBacklogBytes, onClosing });
    group.add(slow.channel);
    group.add(fast.channel);
    slow.rawClient.pause();

    const chunk = 's'.repeat(60_000);
    const turnBytes = 4 * (chunk.length + 4);
    let sent = 0;
    let worstBacklog = 0;
    // Bounded: loopback kernel buffers hold a few MB, far less than 2000 turns of 240 KB.
    for (let turn = 0; turn < 2000 && slow.channel.isOpen; turn++) {
      for (let index = 0; index < 4; index++, sent++) group.broadcast(new OutboundFrame(chunk));
      await nextTurn();
      worstBacklog = Math.max(worstBacklog, slow.server.bufferedAmount);
      // The fast client reads as it goes, as a real one would.
      await fast.saw(sent, 10_000);
    }
    expect(slow.channel.isOpen).toBe(false);
    // Memory stays bounded: the limit plus at most the one turn that crossed it.
    expect(worstBacklog).toBeLessThanOrEqual(maxBacklogBytes + turnBytes);
    expect(fast.channel.isOpen).toBe(true);
    expect((await fast.saw(sent + 1))[sent]).toBe('left slow');

    slow.rawClient.resume();
    const seen = await slow.saw(sent + 2, 10_000);
    expect(seen.slice(0, sent).every((text) => text === chunk)).toBe(true);
    expect(JSON.parse(seen[sent]!)).toMatchObject({ type: 'error', code: 'too_slow' });
    expect(seen[sent + 1]).toBe('close 4008');
  }, 30_000);
});
