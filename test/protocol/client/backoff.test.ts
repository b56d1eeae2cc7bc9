import { describe, expect, it } from 'vitest';
import { Backoff } from '../../../protocol/client/backoff';

describe('Backoff', () => {
  it('doubles each step up to the cap, jittered between half and all of the step', () => {
    const low = new Backoff({ initialMs: 500, maxMs: 15_000, random: () => 0 });
    const high = new Backoff({ initialMs: 500, maxMs: 15_000, random: () => 0.999_999 });
    const lows = Array.from({ length: 8 }, () => low.next());
    const highs = Array.from({ length: 8 }, () => high.next());
    expect(lows).toEqual([250, 500, 1000, 2000, 4000, 7500, 7500, 7500]);
    expect(highs).toEqual([500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000]);
  });

  it('starts over after reset', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0.999_999 });
    backoff.next();
    backoff.next();
    expect(backoff.next()).toBe(400);
    backoff.reset();
    expect(backoff.next()).toBe(100);
  });

  it('keeps retrying forever at the cap without overflowing', () => {
    const backoff = new Backoff({ initialMs: 500, maxMs: 15_000 });
    let last = 0;
    for (let i = 0; i < 5000; i++) last = backoff.next();
    expect(last).toBeGreaterThanOrEqual(7500);
    expect(last).toBeLessThanOrEqual(15_000);
  });
});
