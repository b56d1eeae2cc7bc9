import { describe, expect, it } from 'vitest';
import type { RampPlan } from '../../bench/plan';
import { findMaxRate, stepPasses } from '../../bench/ramp';
import type { MeasuredPhase } from '../../bench/results';
import { phase } from './fixtures';

const plan: RampPlan = {
  startRate: 50,
  factor: 2,
  refineSteps: 3,
  maxSteps: 12,
  budgetMs: 60_000,
  p99LimitMs: 100,
  warmupMs: 0,
  windowMs: 1000,
};

/** A target that keeps p99 low up to `capacity` msg/s and falls behind above it. */
function targetWithCapacity(capacity: number, overload: Partial<MeasuredPhase> = {}) {
  const rates: number[] = [];
  const run = async (rate: number) => {
    rates.push(rate);
    const fine = rate <= capacity;
    return phase({
      offeredRate: rate,
      latency: { count: 100, p50Ms: 1, p95Ms: 2, p99Ms: fine ? 5 : 400, maxMs: 500 },
      ...(fine ? {} : overload),
    });
  };
  return { run, rates };
}

describe('findMaxRate', () => {
  it('doubles until a step fails, then bisects towards the limit', async () => {
    const target = targetWithCapacity(700);
    const result = await findMaxRate(plan, 4000, target.run);
    expect(target.rates).toEqual([50, 100, 200, 400, 800, 600, 700, 750]);
    expect(result.best?.offeredRate).toBe(700);
    expect(result.steps).toHaveLength(8);
    expect(result.stoppedBecause).toMatch(/800 msg\/s: p99 400\.0 ms/);
  });

  it('stops at the highest rate the load can offer', async () => {
    const target = targetWithCapacity(10_000);
    const result = await findMaxRate(plan, 300, target.run);
    expect(target.rates).toEqual([50, 100, 200, 300]);
    expect(result.best?.offeredRate).toBe(300);
    expect(result.stoppedBecause).toMatch(/highest offered rate/);
  });

  it('does not bisect after a failure that left a backlog or dropped clients', async () => {
    const target = targetWithCapacity(150, { drained: false, lost: 30 });
    const result = await findMaxRate(plan, 4000, target.run);
    expect(target.rates).toEqual([50, 100, 200]);
    expect(result.best?.offeredRate).toBe(100);
    expect(result.stoppedBecause).toMatch(/30 deliveries lost/);
  });

  it('reports no best rate when even the first step fails', async () => {
    const target = targetWithCapacity(10);
    const result = await findMaxRate({ ...plan, refineSteps: 2 }, 4000, target.run);
    expect(target.rates).toEqual([50, 25, 13]);
    expect(result.best).toBeUndefined();
  });

  it('is bounded in steps and in time', async () => {
    const target = targetWithCapacity(1e9);
    const stepped = await findMaxRate({ ...plan, maxSteps: 3 }, 1e9, target.run);
    expect(stepped.steps).toHaveLength(3);

    let clock = 0;
    const slow = async (rate: number) => {
      clock += 10_000;
      return phase({ offeredRate: rate });
    };
    const timed = await findMaxRate({ ...plan, budgetMs: 25_000 }, 1e9, slow, () => clock);
    expect(timed.steps).toHaveLength(3);
    expect(timed.stoppedBecause).toMatch(/budget/);
  });
});

describe('stepPasses', () => {
  it('needs p99 under the limit, nothing lost, nobody dropped and a full drain', () => {
    expect(stepPasses(phase(), 100)).toBe(true);
    expect(stepPasses(phase({ lost: 1 }), 100)).toBe(false);
    expect(stepPasses(phase({ droppedClients: 1 }), 100)).toBe(false);
    expect(stepPasses(phase({ drained: false }), 100)).toBe(false);
    expect(
      stepPasses(phase({ latency: { count: 5, p50Ms: 1, p95Ms: 1, p99Ms: 100, maxMs: 1 } }), 100),
    ).toBe(false);
    expect(
      stepPasses(phase({ latency: { count: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0, maxMs: 0 } }), 100),
    ).toBe(false);
  });
});
