/**
 * Wrong passwords slowed per address, over real sockets: the delay, the lockout, both modes sharing
 * one budget, and frames sent during the delay answered in order, after the welcome.
 */
import { describe, expect, it } from 'vitest';
import { PlainClient, V1Client } from './helpers/clients';
import { testHost } from './helpers/host';

const SLOW = 300;
const throttle = { delaysMs: [0, SLOW, 2000], maxFailures: 3, lockoutMs: 60_000 };

/** Sends a hello and resolves with what answered it (welcome or error) and how long it took. */
async function attempt(port: number, password: string | undefined, name = 'eve') {
  const client = await V1Client.connect(port);
  const started = Date.now();
  client.send({ type: 'hello', name, ...(password === undefined ? {} : { password }) });
  const answer = await Promise.race([client.next('welcome', 5000), client.next('error', 5000)]);
  return { client, answer, tookMs: Date.now() - started };
}

describe('password attempts', () => {
  it('checks the first at once, later ones after growing delays, then locks the address out', async () => {
    const host = await testHost({ password: 'sesame', authThrottle: throttle });
    const first = await attempt(host.port, 'wrong');
    expect(first.answer).toMatchObject({ type: 'error', code: 'auth_failed' });
    expect((await first.client.waitClosed()).code).toBe(4003);
    expect(first.tookMs).toBeLessThan(SLOW);

    const second = await attempt(host.port, 'still wrong');
    expect(second.answer).toMatchObject({ code: 'auth_failed' });
    expect(second.tookMs).toBeGreaterThanOrEqual(SLOW - 20);

    const third = await attempt(host.port, 'wrong again');
    expect(third.tookMs).toBeGreaterThanOrEqual(2000 - 20);

    // Locked out: refused at once, even with the right password, and told for how long.
    const locked = await attempt(host.port, 'sesame');
    expect(locked.answer).toEqual({
      type: 'error',
      code: 'auth_failed',
      message: expect.stringMatching(
        /^Too many wrong passwords from your address\. Try again in (1 minute|60 seconds)\.$/,
      ),
    });
    expect(locked.tookMs).toBeLessThan(SLOW);
    expect((await locked.client.waitClosed()).code).toBe(4003);
  });

  it('shares one budget between parley.v1 and plain mode', async () => {
    const host = await testHost({ password: 'sesame', authThrottle: throttle });
    const plain = await PlainClient.connect(host.port, '?name=eve&password=nope');
    expect(await plain.nextLine()).toBe('* error auth_failed: Wrong password for this room.');
    const started = Date.now();
    const slowed = await PlainClient.connect(host.port, '?name=eve&password=nope');
    await slowed.nextLine();
    expect(Date.now() - started).toBeGreaterThanOrEqual(SLOW - 20);
    const v1 = await attempt(host.port, 'nope');
    expect(v1.tookMs).toBeGreaterThanOrEqual(2000 - 20);
  });

  it('clears the record on the right password', async () => {
    const host = await testHost({ password: 'sesame', authThrottle: throttle });
    await attempt(host.port, 'wrong');
    const right = await attempt(host.port, 'sesame', 'alice');
    expect(right.answer.type).toBe('welcome');
    const afterwards = await attempt(host.port, 'wrong');
    expect(afterwards.tookMs).toBeLessThan(SLOW);
  });

  it('does not count an attempt whose client left during the delay', async () => {
    const host = await testHost({ password: 'sesame', authThrottle: throttle });
    await attempt(host.port, 'wrong');
    const leaving = await V1Client.connect(host.port);
    leaving.send({ type: 'hello', name: 'eve', password: 'wrong' });
    leaving.close();
    await leaving.waitClosed();
    // Still the second delay, not the third: the abandoned attempt was not a failure.
    const next = await attempt(host.port, 'wrong');
    expect(next.tookMs).toBeLessThan(2000 - 100);
  });

  it('leaves open rooms alone: no delay however often the password is wrong', async () => {
    const host = await testHost({ authThrottle: throttle });
    for (let index = 0; index < 5; index++) {
      const open = await attempt(host.port, `guess ${index}`, `guest${index}`);
      expect(open.answer.type).toBe('welcome');
      expect(open.tookMs).toBeLessThan(SLOW);
    }
  });
});

describe('frames sent while a password is being checked', () => {
  it('are answered after the welcome, in the order they were sent', async () => {
    const host = await testHost({ password: 'sesame', authThrottle: throttle });
    await attempt(host.port, 'wrong');
    const client = await V1Client.connect(host.port);
    client.send({ type: 'hello', name: 'alice', password: 'sesame' });
    client.say('first', 'one');
    client.send({ type: 'ping' });
    client.send({ type: 'history', before: 1, limit: 5 });
    client.say('second', 'two');
    await client.next('ack', 5000, (ack) => ack.id === 'second');
    const types = client.frames.all.map((frame) => frame.type);
    expect(types[0]).toBe('welcome');
    // Acks follow the store, so they may come after the direct answers; each kind keeps its order.
    expect(types.filter((type) => type === 'pong' || type === 'history')).toEqual([
      'pong',
      'history',
    ]);
    expect(client.received('ack').map((ack) => `${ack.id} ${ack.seq}`)).toEqual([
      'first 1',
      'second 2',
    ]);
  });

  it('are lines a plain guest sends before joining, sent once it has joined', async () => {
    const host = await testHost({ password: 'sesame', authThrottle: throttle });
    await attempt(host.port, 'wrong');
    const watcher = (await attempt(host.port, 'sesame', 'watcher')).client;
    const guest = await PlainClient.connect(host.port, '?name=bob&password=sesame');
    guest.send('typed early');
    expect(await guest.nextLine()).toBe('* bob joined');
    expect(await guest.nextLine()).toBe('bob: typed early');
    expect((await watcher.next('message')).text).toBe('typed early');
  });

  it('do not let the hello deadline cut off a hello that arrived in time', async () => {
    const host = await testHost({
      password: 'sesame',
      authThrottle: throttle,
      limits: { helloTimeoutMs: 100 },
    });
    await attempt(host.port, 'wrong');
    const late = await attempt(host.port, 'sesame', 'alice');
    expect(late.answer.type).toBe('welcome');
    expect(late.tookMs).toBeGreaterThan(100);
  });
});
