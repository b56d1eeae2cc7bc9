/**
 * Redis goes away under a shared room: posting is refused with `unavailable` and nothing is
 * half-stored, connected clients stay connected, and once Redis is back (restarted from its
 * append-only file, synced on every write) the hosts carry on by themselves with every acked
 * entry kept.
 */
import { describe, expect, it } from 'vitest';
import type { V2Client as Client } from '../helpers/v2-client';
import { GENERAL } from '../../../../protocol/wire/identity';
import { newIdentity, V2Client } from '../helpers/v2-client';
import { sharedHost, TEST_TUNING, testRedis } from './helpers';

/** Leases outlast the outage: this test is about entries, not about hosts taken for dead. */
const TUNING = { ...TEST_TUNING, leaseMs: 20_000 };

/** Says `text` under `id` until a host acks it (Redis may still be reconnecting); its seq. */
async function sayUntilAcked(client: Client, id: string, text: string): Promise<number> {
  // One waiter for the ack, whichever attempt it answers: a retry is answered with the same ack.
  const acked = client.nextIn('ack', GENERAL, (ack) => ack.id === id, 20_000);
  for (let attempt = 0; attempt < 100; attempt++) {
    client.say(id, GENERAL, text);
    const answer = await Promise.race([
      acked,
      client.next('error', 20_000, (error) => error.ref === id),
    ]);
    if (answer.type === 'ack') return answer.seq;
    expect(answer.code).toBe('unavailable');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ack for ${id}`);
}

describe('a shared room whose Redis goes away', () => {
  it('refuses posts with unavailable, keeps clients connected, and recovers every acked entry', async () => {
    const redis = await testRedis({ appendfsync: 'always' });
    const [a, b] = [
      await sharedHost(redis, { scaleOutTuning: TUNING }),
      await sharedHost(redis, { scaleOutTuning: TUNING }),
    ];
    const { client: ann } = await V2Client.join(a.port, 'ann', newIdentity());
    const { client: bob } = await V2Client.join(b.port, 'bob', newIdentity());
    const acked: number[] = [];
    for (let index = 0; index < 5; index++)
      acked.push(await sayUntilAcked(ann, `b${index}`, `before ${index}`));

    await redis.kill('SIGKILL');
    ann.say('lost', GENERAL, 'while Redis is down');
    const refused = await ann.next('error', 5000, (error) => error.ref === 'lost');
    expect(refused.code).toBe('unavailable');
    ann.send({ type: 'create_channel', id: 'ch', name: 'outage' });
    expect((await ann.next('error', 5000, (error) => error.ref === 'ch')).code).toBe('unavailable');
    // Connected clients stay connected and answered.
    await ann.sync();
    await bob.sync();
    // A newcomer is told to come back later rather than let in half-way.
    const newcomer = await V2Client.connect(b.port);
    newcomer.send({ type: 'hello', name: 'cat', ...newIdentity() });
    expect((await newcomer.waitClosed(5000)).code).toBe(1013);

    await redis.restart();
    acked.push(await sayUntilAcked(ann, 'after', 'Redis is back'));
    const seen = await bob.nextIn('message', GENERAL, (frame) => frame.id === 'after');
    expect(seen.seq).toBe(acked.at(-1));
    expect(acked).toEqual(acked.map((_, index) => acked[0]! + index));

    for (const client of [ann, bob]) {
      client.send({ type: 'history', conv: GENERAL, before: 1_000, limit: 100 });
      const history = await client.nextIn('history', GENERAL);
      const texts = history.messages.filter((entry) => entry.kind === 'text');
      expect(texts.map((entry) => entry.seq)).toEqual(acked);
      expect(texts.map((entry) => entry.id)).not.toContain('lost');
    }
    // Typing travels over sharded pub/sub: node-redis subscribed again after the reconnect.
    bob.send({ type: 'typing', conv: GENERAL });
    expect((await ann.nextIn('typing', GENERAL)).peer.name).toBe('bob');
    expect(ann.socket.readyState).toBe(ann.socket.OPEN);
  });
});
