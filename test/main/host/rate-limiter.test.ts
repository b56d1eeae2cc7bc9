import { describe, expect, it } from 'vitest';
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
