import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketIndex, bucketUpperBound, LatencyHistogram } from '../../../bench/load/histogram';

describe('latency histogram buckets', () => {
  it('puts every value in a bucket whose upper edge is within 1.6 % above it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 39 }), (micros) => {
        const upper = bucketUpperBound(bucketIndex(micros));
        expect(upper).toBeGreaterThanOrEqual(micros);
        expect(upper - micros).toBeLessThanOrEqual(Math.max(0, micros / 64));
      }),
    );
  });

  it('orders buckets like the values they hold', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 38 }),
        fc.integer({ min: 0, max: 2 ** 38 }),
        (a, b) => {
          if (a <= b) expect(bucketIndex(a)).toBeLessThanOrEqual(bucketIndex(b));
        },
      ),
    );
  });

  it('keeps small values exact and clamps absurd ones into the top bucket', () => {
    expect(bucketIndex(0)).toBe(0);
    expect(bucketIndex(127)).toBe(127);
    expect(bucketUpperBound(bucketIndex(128))).toBe(129);
    expect(bucketIndex(-5)).toBe(0);
    expect(bucketIndex(2 ** 60)).toBe(bucketIndex(2 ** 61));
  });
});

describe('LatencyHistogram', () => {
  it('reports percentiles of recorded latencies in milliseconds', () => {
    const histogram = new LatencyHistogram();
    // 1..1000 ms: p50 is 500 ms, p99 990 ms, within the bucket precision.
    for (let ms = 1; ms <= 1000; ms++) histogram.record(ms * 1000);
    const summary = histogram.summary();
    expect(summary.count).toBe(1000);
    expect(summary.p50Ms).toBeGreaterThanOrEqual(500);
    expect(summary.p50Ms).toBeLessThan(500 * 1.016);
    expect(summary.p95Ms).toBeGreaterThanOrEqual(950);
    expect(summary.p95Ms).toBeLessThan(950 * 1.016);
    expect(summary.p99Ms).toBeGreaterThanOrEqual(990);
    expect(summary.maxMs).toBe(1000);
  });

  it('never reports a percentile above the largest value recorded', () => {
    const histogram = new LatencyHistogram();
    histogram.record(130);
    expect(histogram.percentile(99)).toBe(130);
  });

  it('reports zeros when nothing was recorded', () => {
    expect(new LatencyHistogram().summary()).toEqual({
      count: 0,
      p50Ms: 0,
      p95Ms: 0,
      p99Ms: 0,
      maxMs: 0,
    });
  });
});
