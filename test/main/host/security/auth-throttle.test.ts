import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import {
  createAuthThrottle,
  lockoutMessage,
  type AuthDecision,
  type AuthThrottleOptions,
} from '../../../../main/host/security/auth-throttle';
import { ensureCertificate } from '../../../../main/tls/certificate';

const IP = '192.168.1.50';

let time = 1_000_000;

/** A throttle on a clock of its own, which only `advance` and the attempts of failOnce move. */
function throttleWithClock(options: AuthThrottleOptions = {}) {
  time = 1_000_000;
  const throttle = createAuthThrottle({ ...options, now: () => time });
  return {
    throttle,
    advance(ms: number) {
      time += ms;
    },
  };
}

function allowed(decision: AuthDecision) {
  if (!decision.allowed)
    throw new Error(`expected an allowed attempt, got ${JSON.stringify(decision)}`);
  return decision;
}

/**
 * Runs one whole attempt as a client that waits for each answer: begin, wait the delay as the
 * host does, then report a wrong password. Returns the delay it got.
 */
function failOnce(throttle: ReturnType<typeof createAuthThrottle>, address = IP): number {
  const decision = allowed(throttle.begin(address));
  time += decision.delayMs;
  decision.attempt.fail();
  return decision.delayMs;
}

describe('auth throttle delays', () => {
  it('answers the first attempt at once and waits longer after each wrong password', () => {
    const { throttle } = throttleWithClock();
    const delays = Array.from({ length: 9 }, () => failOnce(throttle));
    expect(delays).toEqual([0, 250, 500, 1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('clears the record on a right password', () => {
    const { throttle } = throttleWithClock();
    for (let i = 0; i < 4; i++) failOnce(throttle);
    allowed(throttle.begin(IP)).attempt.succeed();
    expect(failOnce(throttle)).toBe(0);
  });

  it('forgets wrong passwords older than the window', () => {
    const { throttle, advance } = throttleWithClock({ windowMs: 60_000 });
    failOnce(throttle);
    failOnce(throttle);
    advance(30_000);
    expect(failOnce(throttle)).toBe(500);
    advance(30_001);
    expect(failOnce(throttle)).toBe(250); // the first two expired, the third still counts
  });

  it('counts attempts still in flight, so parallel connections gain nothing', () => {
    const { throttle } = throttleWithClock({ maxFailures: 4 });
    const decisions = Array.from({ length: 6 }, () => throttle.begin(IP));
    // Each waits its turn: its own delay after the one before it is checked.
    expect(decisions.map((decision) => (decision.allowed ? decision.delayMs : 'refused'))).toEqual([
      0,
      250,
      750,
      1750,
      'refused',
      'refused',
    ]);
  });

  it('takes as long for ten guesses sent in parallel as for ten sent one by one', () => {
    const parallel = throttleWithClock();
    const decisions = Array.from({ length: 10 }, () => parallel.throttle.begin(IP));
    // Parallel guesses beyond the 20 s a client would wait are refused, not checked early.
    expect(decisions.map((decision) => decision.allowed)).toEqual([
      ...Array<boolean>(7).fill(true),
      false,
      false,
      false,
    ]);
    const lastParallel = allowed(decisions[6]!).delayMs;
    const oneByOne = throttleWithClock();
    const start = time;
    for (let i = 0; i < 7; i++) failOnce(oneByOne.throttle);
    expect(lastParallel).toBe(time - start);
    expect(lastParallel).toBe(15_750);
  });

  it('refuses at once an attempt whose turn would come after maxWaitMs', () => {
    const { throttle } = throttleWithClock({ delaysMs: [5000], maxWaitMs: 12_000 });
    const delays = Array.from({ length: 4 }, () => throttle.begin(IP));
    expect(delays.map((decision) => (decision.allowed ? decision.delayMs : decision))).toEqual([
      5000,
      10_000,
      { allowed: false, retryAfterMs: 3000 },
      { allowed: false, retryAfterMs: 3000 },
    ]);
  });

  it('does not count an attempt whose client left before the check', () => {
    const { throttle } = throttleWithClock();
    allowed(throttle.begin(IP)).attempt.abandon();
    expect(failOnce(throttle)).toBe(0);
  });

  it('stops counting an attempt the host never reported, after a while', () => {
    const { throttle, advance } = throttleWithClock({ maxFailures: 2 });
    throttle.begin(IP);
    throttle.begin(IP);
    expect(throttle.begin(IP).allowed).toBe(false);
    advance(8000 + 60_000);
    expect(allowed(throttle.begin(IP)).delayMs).toBe(0);
  });

  it('counts each attempt once, whatever the host reports later', () => {
    const { throttle } = throttleWithClock();
    const { attempt } = allowed(throttle.begin(IP));
    attempt.fail();
    attempt.fail();
    attempt.succeed();
    expect(failOnce(throttle)).toBe(250);
  });

  it('keeps addresses apart, and one IPv4 client under both of its spellings together', () => {
    const { throttle } = throttleWithClock();
    failOnce(throttle, IP);
    failOnce(throttle, `::ffff:${IP}`);
    expect(failOnce(throttle, IP)).toBe(500);
    expect(failOnce(throttle, '192.168.1.51')).toBe(0);
  });
});

describe('auth throttle lockout', () => {
  it('refuses an address after maxFailures wrong passwords, until the lockout ends', () => {
    const { throttle, advance } = throttleWithClock({ maxFailures: 5, lockoutMs: 300_000 });
    for (let i = 0; i < 5; i++) failOnce(throttle);
    expect(throttle.begin(IP)).toEqual({ allowed: false, retryAfterMs: 300_000 });
    advance(299_000);
    expect(throttle.begin(IP)).toEqual({ allowed: false, retryAfterMs: 1000 });
    expect(throttle.begin('192.168.1.51').allowed).toBe(true);
    advance(1000);
    expect(failOnce(throttle)).toBe(0);
  });

  it('says when to try again in words', () => {
    expect(lockoutMessage(300_000)).toBe(
      'Too many wrong passwords from your address. Try again in 5 minutes.',
    );
    expect(lockoutMessage(61_000)).toBe(
      'Too many wrong passwords from your address. Try again in 2 minutes.',
    );
    expect(lockoutMessage(4_200)).toBe(
      'Too many wrong passwords from your address. Try again in 5 seconds.',
    );
    expect(lockoutMessage(0)).toBe(
      'Too many wrong passwords from your address. Try again in 1 second.',
    );
  });
});

describe('auth throttle for the whole room', () => {
  it('checks one password per roomSpacingMs once the room’s free failures are spent', () => {
    // No delays per address: only the room's pace is under test.
    const { throttle } = throttleWithClock({
      delaysMs: [0],
      roomFreeFailures: 5,
      roomSpacingMs: 2000,
    });
    // Eighteen addresses, ten guesses each, sent one by one.
    const started = time;
    let checked = 0;
    for (let round = 0; round < 10; round++) {
      for (let host = 1; host <= 18; host++) {
        const decision = throttle.begin(`10.0.0.${host}`);
        if (!decision.allowed) continue;
        time += decision.delayMs;
        decision.attempt.fail();
        checked++;
      }
    }
    expect(checked).toBe(180);
    // The first six were checked at once (the sixth opened the room's pace); every later one
    // 2 s after the one before.
    expect(time - started).toBe((180 - 6) * 2000);
  });

  it('refuses, naming the room, an attempt that would wait too long for the room', () => {
    const { throttle } = throttleWithClock({
      roomFreeFailures: 2,
      roomSpacingMs: 10_000,
      maxWaitMs: 15_000,
    });
    const turns = Array.from({ length: 5 }, (_, host) => throttle.begin(`10.0.1.${host}`));
    expect(turns.map((decision) => (decision.allowed ? decision.delayMs : decision))).toEqual([
      0,
      0,
      0,
      10_000,
      { allowed: false, retryAfterMs: 5000, room: true },
    ]);
    expect(lockoutMessage(5000, true)).toBe(
      'Too many wrong passwords for this room lately. Try again in 5 seconds.',
    );
  });
});

describe('auth throttle memory', () => {
  it('stays within maxAddresses however many addresses guess', () => {
    // Only the per-address records are under test here, not the room's pace.
    const { throttle } = throttleWithClock({ maxAddresses: 1000, roomFreeFailures: 100_000 });
    for (let i = 0; i < 20_000; i++)
      failOnce(throttle, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    expect(throttle.size()).toBeLessThanOrEqual(1000);
    // The most recent guessers are still remembered.
    expect(failOnce(throttle, '10.0.78.31')).toBe(250);
  });

  it('forgets an address as soon as nothing is held against it', () => {
    const { throttle, advance } = throttleWithClock({ windowMs: 1000 });
    allowed(throttle.begin(IP)).attempt.succeed();
    expect(throttle.size()).toBe(0);
    failOnce(throttle, '10.0.0.1');
    advance(1001);
    allowed(throttle.begin('10.0.0.2')).attempt.succeed();
    expect(throttle.size()).toBe(0);
  });

  it('rejects options it cannot use', () => {
    expect(() => createAuthThrottle({ delaysMs: [] })).toThrow(TypeError);
    expect(() => createAuthThrottle({ maxFailures: 0 })).toThrow(TypeError);
  });
});

describe('auth throttle applied by a wss host', () => {
  it('slows down a guesser over real connections and then refuses it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-throttle-'));
    const certificate = await ensureCertificate(dir);
    const throttle = createAuthThrottle({ delaysMs: [0, 100, 200], maxFailures: 3 });
    const server = createServer({ cert: certificate.cert, key: certificate.key });
    const sockets = new WebSocketServer({ server });
    const hello = v.object({ type: v.literal('hello'), password: v.string() });
    // What the host does on `hello` in a password room.
    sockets.on('connection', (socket, req) => {
      socket.once('message', async (data) => {
        const frame = v.safeParse(hello, JSON.parse(String(data)));
        if (!frame.success) return socket.close(1008);
        const decision = throttle.begin(req.socket.remoteAddress);
        if (!decision.allowed) {
          socket.send(
            JSON.stringify({
              type: 'error',
              code: 'auth_failed',
              message: lockoutMessage(decision.retryAfterMs),
            }),
          );
          return socket.close(4003);
        }
        await sleep(decision.delayMs);
        if (frame.output.password === 'right') {
          decision.attempt.succeed();
          return socket.send(JSON.stringify({ type: 'welcome' }));
        }
        decision.attempt.fail();
        socket.send(
          JSON.stringify({
            type: 'error',
            code: 'auth_failed',
            message: 'Wrong password for this room.',
          }),
        );
        socket.close(4003);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;

    const guess = (password: string) =>
      new Promise<{ ms: number; reply: { code?: string; message?: string; type: string } }>(
        (resolve, reject) => {
          const client = new WebSocket(`wss://127.0.0.1:${port}`, { ca: certificate.cert });
          const timer = setTimeout(() => reject(new Error('no answer within 5 s')), 5000);
          let started = 0;
          client.once('open', () => {
            started = performance.now();
            client.send(JSON.stringify({ type: 'hello', password }));
          });
          client.once('message', (data) => {
            clearTimeout(timer);
            client.close();
            resolve({ ms: performance.now() - started, reply: JSON.parse(String(data)) });
          });
          client.once('error', reject);
        },
      );

    try {
      const first = await guess('wrong-1');
      const second = await guess('wrong-2');
      const third = await guess('wrong-3');
      const fourth = await guess('right');
      expect(first.reply.code).toBe('auth_failed');
      expect(second.ms).toBeGreaterThanOrEqual(90);
      expect(third.ms).toBeGreaterThanOrEqual(190);
      // Locked out: even the right password is not checked now.
      expect(fourth.reply).toMatchObject({ code: 'auth_failed' });
      expect(fourth.reply.message).toMatch(/Too many wrong passwords/);
    } finally {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    }
  });
});
