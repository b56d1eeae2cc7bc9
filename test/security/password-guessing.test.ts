/**
 * Guessing a room's password over real sockets: guesses sent in parallel from one address take as
 * long as one by one, and many addresses (18 loopback addresses here) share one pace for the room.
 */
import { describe, expect, it } from 'vitest';
import { testHost } from '../main/host/helpers/host';
import { V1Client } from '../main/host/helpers/clients';

/** Sends a hello with `password` from `localAddress`; resolves with the ms until the answer. */
async function guess(port: number, localAddress: string, password: string, started: number) {
  const client = await V1Client.connect(port, { localAddress });
  client.send({ type: 'hello', name: `guest-${Math.random()}`, password });
  const answer = await Promise.race([
    client.next('error', 60_000).then((frame) => frame.code),
    client.next('welcome', 60_000).then(() => 'welcome'),
  ]);
  client.close();
  return { answer, ms: performance.now() - started };
}

describe('password guessing', () => {
  it('gives parallel guesses from one address their turn one after another', async () => {
    const host = await testHost({ password: 'sesame' });
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, n) => guess(host.port, '127.0.0.2', `wrong-${n}`, started)),
    );
    expect(answers.map(({ answer }) => answer)).toEqual(Array(5).fill('auth_failed'));
    // 0 + 250 + 500 + 1000 + 2000 ms, as for guesses sent one by one (they were all 2 s at most).
    expect(Math.max(...answers.map(({ ms }) => ms))).toBeGreaterThanOrEqual(3700);
  }, 30_000);

  it('paces the guesses of many addresses for the room as a whole', async () => {
    const host = await testHost({
      password: 'sesame',
      authThrottle: { roomFreeFailures: 5, roomSpacingMs: 400 },
    });
    const addresses = Array.from({ length: 18 }, (_, n) => `127.0.0.${n + 2}`);
    const started = performance.now();
    // One guess per address at once: no address has a delay of its own.
    const answers = await Promise.all(
      addresses.map((address) => guess(host.port, address, 'wrong', started)),
    );
    expect(answers.map(({ answer }) => answer)).toEqual(Array(18).fill('auth_failed'));
    // Five checked at once, then one per 400 ms: the last waited for twelve turns before it.
    expect(Math.max(...answers.map(({ ms }) => ms))).toBeGreaterThanOrEqual(12 * 400 - 100);

    // Someone with the password still gets in, after their turn.
    expect((await guess(host.port, '127.0.0.30', 'sesame', performance.now())).answer).toBe(
      'welcome',
    );
  }, 60_000);
});
