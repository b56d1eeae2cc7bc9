import { describe, expect, it } from 'vitest';
import type { LoopStalls } from '../../../main/host/loop-stalls';
import { RateLimiter } from '../../../main/host/rate-limiter';

function limiterWithClock(burst: number, perSecond: number) {
  let now = 0;
  const limiter = new RateLimiter(burst, perSecond, () => now);
  return { limiter, advance: (ms: number) => (now += ms) };
}

describe('RateLimiter', () => {
  it('allows a burst, then refuses until tokens refill at the sustained rate', () => {
    const { limiter, advance } = limiterWithClock(20, 5);
    for (let index = 0; index < 20; index++) expect(limiter.take('alice')).toBe(true);
    expect(limiter.take('alice')).toBe(false);
    advance(199);
    expect(limiter.take('alice')).toBe(false);
    advance(1);
    expect(limiter.take('alice')).toBe(true);
    expect(limiter.take('alice')).toBe(false);
    advance(1000);
    for (let index = 0; index < 5; index++) expect(limiter.take('alice')).toBe(true);
    expect(limiter.take('alice')).toBe(false);
  });

  it('never refills past the burst', () => {
    const { limiter, advance } = limiterWithClock(3, 5);
    advance(60_000);
    for (let index = 0; index < 3; index++) expect(limiter.take('alice')).toBe(true);
    expect(limiter.take('alice')).toBe(false);
  });

  it('keeps one bucket per key', () => {
    const { limiter } = limiterWithClock(1, 1);
    expect(limiter.take('alice')).toBe(true);
    expect(limiter.take('alice')).toBe(false);
    expect(limiter.take('bob')).toBe(true);
  });

  it('forgets only buckets that have refilled completely', () => {
    const { limiter, advance } = limiterWithClock(2, 1);
    limiter.take('alice');
    limiter.take('bob');
    limiter.take('bob');
    advance(1000);
    limiter.prune();
    expect(limiter.size).toBe(1);
    expect(limiter.take('bob')).toBe(true);
    expect(limiter.take('bob')).toBe(false);
  });

  it('sweeps at most once per refill time, so a storm of leaves does not rescan every bucket', () => {
    const { limiter, advance } = limiterWithClock(2, 1);
    limiter.take('alice');
    advance(2000);
    limiter.prune();
    expect(limiter.size).toBe(0);
    limiter.take('bob');
    advance(2000);
    // The last sweep was exactly one refill time (2 s) ago: due again.
    limiter.prune();
    expect(limiter.size).toBe(0);
    limiter.take('carol');
    advance(1999);
    limiter.prune();
    expect(limiter.size).toBe(1);
    advance(2001);
    limiter.prune();
    expect(limiter.size).toBe(0);
  });

  it('refuses everything with a burst of 0', () => {
    const { limiter } = limiterWithClock(0, 5);
    expect(limiter.take('alice')).toBe(false);
  });
});

describe('RateLimiter after a stall of the host’s loop', () => {
  /** A clock, and a loop that stood still for `stalledMs` as of now (0: running). */
  function stalledLimiter(burst: number, perSecond: number) {
    let now = 0;
    let stalledMs = 0;
    const stalls: LoopStalls = { recentStallMs: () => stalledMs };
    const limiter = new RateLimiter(burst, perSecond, () => now, stalls);
    return {
      limiter,
      advance: (ms: number) => (now += ms),
      stall: (ms: number) => {
        now += ms;
        stalledMs = ms;
      },
      caughtUp: () => (stalledMs = 0),
    };
  }

  it('takes the messages of an honest sender that arrive together after the stall', () => {
    const { limiter, advance, stall } = stalledLimiter(20, 5);
    // Four a second, as the sender sent them: always within the rate.
    for (let n = 0; n < 8; n++) {
      advance(250);
      expect(limiter.take('steady')).toBe(true);
    }
    // The host stood still for 10 s; the 40 messages sent meanwhile are read at once.
    stall(10_000);
    for (let n = 0; n < 40; n++) expect(limiter.take('steady'), `message ${n}`).toBe(true);
  });

  it('gives no more than the rate would have over the stall, and drops the excess afterwards', () => {
    const { limiter, stall, caughtUp } = stalledLimiter(20, 5);
    for (let n = 0; n < 20; n++) expect(limiter.take('eager')).toBe(true);
    expect(limiter.take('eager')).toBe(false);
    // 10 s at 5 a second: 50 messages, however many the sender piled up.
    stall(10_000);
    for (let n = 0; n < 10; n++) expect(limiter.take('eager')).toBe(true);
    // Caught up: the 40 left are cut back to the usual burst.
    caughtUp();
    const after = Array.from({ length: 60 }, () => limiter.take('eager')).filter(Boolean);
    expect(after).toHaveLength(20);
  });
});
