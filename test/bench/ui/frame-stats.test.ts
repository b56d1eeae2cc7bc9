import { describe, expect, it } from 'vitest';
import { percentile, summarizeFrames } from '../../../bench/ui/frame-stats';

describe('frame stats', () => {
  it('takes nearest-rank percentiles', () => {
    const sorted = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(sorted, 0.95)).toBe(95);
    expect(percentile(sorted, 0.5)).toBe(50);
    expect(percentile([7], 0.95)).toBe(7);
    expect(percentile([], 0.95)).toBe(0);
  });

  it('counts a gap of n frame intervals as n - 1 dropped frames, and ignores jitter', () => {
    const stats = summarizeFrames(
      {
        deltas: [16.7, 16.6, 17.2, 33.4, 16.7, 100.1, 16.7],
        longFrames: [
          { duration: 60, blocking: 10 },
          { duration: 95, blocking: 45 },
        ],
      },
      16.7,
    );
    expect(stats.frames).toBe(7);
    expect(stats.dropped).toBe(1 + 5);
    expect(stats.droppedPercent).toBeCloseTo((6 / 13) * 100, 1);
    expect(stats.longestMs).toBe(100.1);
    expect(stats.medianMs).toBe(16.7);
    expect(stats.longFrames).toBe(2);
    expect(stats.longestLongFrameMs).toBe(95);
    expect(stats.blockingMs).toBe(55);
  });

  it('reports zeros for a recording without frames, and never divides by a zero interval', () => {
    expect(summarizeFrames({ deltas: [], longFrames: [] }, 16.7)).toEqual({
      frames: 0,
      longestMs: 0,
      p95Ms: 0,
      medianMs: 0,
      dropped: 0,
      droppedPercent: 0,
      longFrames: 0,
      longestLongFrameMs: 0,
      blockingMs: 0,
    });
    expect(summarizeFrames({ deltas: [16.7, 50], longFrames: [] }, 0).dropped).toBe(2);
  });
});
