/**
 * parley.v2 requests fuzzed over real sockets: every frame type with fields of every shape (right
 * and wrong types, known and unknown conversations, ids, peers and seqs, prototype keys), from an
 * identity and from an ephemeral peer, in random orders. The host must never log an internal
 * error, answer only valid v2 host frames, keep answering a bystander quickly, and keep every
 * conversation's entries contiguous for its members.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Entry } from '../../protocol/wire/entries';
import { testHost } from '../main/host/helpers/host';
import { newIdentity, V2Client } from '../main/host/helpers/v2-client';

const LIMITS = { rateBurst: 1_000_000, ratePerSecond: 1_000_000, heartbeatIntervalMs: 0 };
const STALL_BOUND_MS = 1000;
const RUN_LIMITS = { numRuns: 25, interruptAfterTimeLimit: 20_000, markInterruptAsFailure: false };

let internalErrors: ReturnType<typeof vi.spyOn>;
const prototypesBefore = snapshotPrototypes();

beforeAll(() => {
  internalErrors = vi.spyOn(console, 'error').mockImplementation(() => {});
});

afterAll(() => {
  expect(internalErrors).not.toHaveBeenCalled();
  internalErrors.mockRestore();
  expect(snapshotPrototypes()).toEqual(prototypesBefore);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

function snapshotPrototypes() {
  return [Object.prototype, Array.prototype, Function.prototype].map((proto) =>
    Object.getOwnPropertyNames(proto).sort(),
  );
}

const TYPES = [
  'hello',
  'say',
  'edit',
  'delete',
  'react',
  'create_channel',
  'set_topic',
  'rename_channel',
  'join',
  'leave',
  'open_direct',
  'read',
  'typing',
  'history',
  'search',
  'peers',
  'ping',
  'bogus',
] as const;

/** Values a field may take: often the right kind, sometimes anything at all. */
function fieldsOf(known: { convs: string[]; peers: string[] }) {
  const wrong = fc.oneof(
    fc.constant(null),
    fc.constant({ __proto__: { polluted: true } }),
    fc.array(fc.integer(), { maxLength: 3 }),
    fc.double(),
    fc.boolean(),
  );
  const seq = fc.oneof(fc.integer({ min: -2, max: 12 }), fc.constant(2 ** 53), wrong);
  const text = fc.oneof(fc.string({ maxLength: 20 }), fc.constant('👍'), fc.constant(''), wrong);
  return fc.record(
    {
      id: fc.oneof(fc.string({ minLength: 1, maxLength: 4 }), fc.constant('__proto__'), wrong),
      conv: fc.oneof(fc.constantFrom(...known.convs), fc.string({ maxLength: 8 }), wrong),
      peer: fc.oneof(fc.constantFrom(...known.peers), fc.string({ maxLength: 24 }), wrong),
      text,
      name: text,
      topic: text,
      emoji: fc.oneof(fc.constantFrom('👍', '🎉', '👍🏽', 'x'), wrong),
      q: text,
      after: text,
      target: seq,
      seq,
      replyTo: seq,
      before: seq,
      limit: seq,
      on: fc.oneof(fc.boolean(), wrong),
      files: fc.oneof(fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 }), wrong),
      identity: fc.oneof(fc.constant(newIdentity().identity), fc.string({ maxLength: 50 })),
    },
    { requiredKeys: [] },
  );
}

/** Well-formed frames of every kind, ids from a small pool so that retries happen too. */
function wellFormed(known: { convs: string[]; peers: string[] }) {
  const id = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f');
  const conv = fc.constantFrom(...known.convs);
  const seq = fc.integer({ min: 0, max: 12 });
  const target = fc.integer({ min: 1, max: 12 });
  const text = fc.string({ minLength: 1, maxLength: 12 });
  return fc.oneof(
    fc.record({ type: fc.constant('say'), id, conv, text }),
    fc.record({ type: fc.constant('say'), id, conv, text, replyTo: target }),
    fc.record({ type: fc.constant('edit'), id, conv, target, text }),
    fc.record({ type: fc.constant('delete'), id, conv, target }),
    fc.record({
      type: fc.constant('react'),
      id,
      conv,
      target,
      emoji: fc.constantFrom('👍', '🎉'),
      on: fc.boolean(),
    }),
    fc.record({ type: fc.constant('create_channel'), id, name: fc.constantFrom('dev', 'x', 'y') }),
    fc.record({ type: fc.constant('set_topic'), id, conv, topic: fc.string({ maxLength: 5 }) }),
    fc.record({ type: fc.constant('rename_channel'), conv, name: fc.constantFrom('z', 'dev') }),
    fc.record({ type: fc.constantFrom('join', 'leave', 'typing'), conv }),
    fc.record({ type: fc.constant('open_direct'), peer: fc.constantFrom(...known.peers) }),
    fc.record({ type: fc.constant('read'), conv, seq }),
    fc.record({
      type: fc.constant('history'),
      conv,
      before: seq,
      limit: fc.integer({ min: 1, max: 5 }),
    }),
    fc.record({ type: fc.constant('peers'), limit: fc.integer({ min: 1, max: 5 }) }),
  );
}

describe('parley.v2 requests, fuzzed', () => {
  it('never break the host, its answers, or the order of any conversation', async () => {
    const host = await testHost({ limits: LIMITS });
    const alice = newIdentity();
    const bob = newIdentity();
    const { client: bystander } = await V2Client.join(host.port, 'bystander');
    const { client: bobClient } = await V2Client.join(host.port, 'bob', { identity: bob.identity });
    const { client: setup } = await V2Client.join(host.port, 'alice', { identity: alice.identity });
    setup.send({ type: 'create_channel', id: 'make', name: 'dev' });
    const dev = (await setup.next('ack')).conv;
    const known = { convs: ['general', dev, 'd_nothing'], peers: [alice.peerId, bob.peerId] };
    const frame = fc.oneof(
      {
        weight: 1,
        arbitrary: fc
          .record({ type: fc.constantFrom(...TYPES), fields: fieldsOf(known) })
          .map(({ type, fields }) => ({ ...fields, type }) as object),
      },
      { weight: 2, arbitrary: wellFormed(known) as fc.Arbitrary<object> },
    );
    let run = 0;

    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(frame, { minLength: 1, maxLength: 30 }),
        async (withIdentity, frames) => {
          run++;
          const { client } = await V2Client.join(
            host.port,
            `fuzz-${run}`,
            withIdentity ? { identity: newIdentity().identity } : {},
          );
          for (const sent of frames) client.send(sent);
          await client.sync();
          const started = performance.now();
          await bystander.sync();
          expect(performance.now() - started).toBeLessThan(STALL_BOUND_MS);
          expect(client.invalid).toEqual([]);
          client.close();
        },
      ),
      RUN_LIMITS,
    );

    // Whatever happened, each conversation bob and the bystander follow is contiguous.
    await Promise.all([bobClient.sync(), bystander.sync()]);
    for (const client of [bobClient, bystander]) {
      expect(client.invalid).toEqual([]);
      const byConv = new Map<string, number[]>();
      for (const received of client.frames.all) {
        const entries =
          received.type === 'catchup'
            ? received.messages
            : received.type === 'message'
              ? [received as unknown as Entry]
              : [];
        for (const entry of entries) {
          byConv.set(entry.conv, [...(byConv.get(entry.conv) ?? []), entry.seq]);
        }
      }
      for (const [conv, seqs] of byConv) {
        const first = seqs[0]!;
        expect(seqs, conv).toEqual(seqs.map((_, index) => first + index));
      }
    }
  }, 60_000);
});
