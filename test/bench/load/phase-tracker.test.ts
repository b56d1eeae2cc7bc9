import { describe, expect, it } from 'vitest';
import { PhaseTracker } from '../../../bench/load/phase-tracker';

describe('PhaseTracker', () => {
  it('counts lost and duplicated deliveries per message', () => {
    const tracker = new PhaseTracker(1, 3, 2, 0);
    for (let index = 0; index < 3; index++) tracker.markSent(0);
    tracker.delivery(0, 1000);
    tracker.delivery(0, 1000);
    tracker.delivery(1, 1000);
    tracker.delivery(2, 1000);
    tracker.delivery(2, 1000);
    tracker.delivery(2, 1000);
    expect(tracker.losses()).toEqual({ lost: 1, duplicates: 1 });
  });

  it('expects each message at as many clients as its conversation has', async () => {
    const tracker = new PhaseTracker(1, 2, 10, 0);
    tracker.markSent(0, 3);
    tracker.markSent(0, 2);
    for (let delivery = 0; delivery < 3; delivery++) tracker.delivery(0, 1000);
    const allArrived = tracker.waitForAll(5000, 5000);
    tracker.delivery(1, 1000);
    tracker.delivery(1, 1000);
    await expect(allArrived).resolves.toBe(true);
    tracker.delivery(1, 1000);
    expect(tracker.losses()).toEqual({ lost: 0, duplicates: 1 });
  });

  it('records latency only for messages sent inside the window', () => {
    const tracker = new PhaseTracker(1, 4, 1, 0);
    for (let index = 0; index < 4; index++) tracker.markSent(index < 2 ? 0 : 1000);
    tracker.setFirstWindowIndex(2);
    tracker.openWindow();
    tracker.delivery(0, 500_000);
    tracker.delivery(2, 3000);
    tracker.delivery(3, 5000);
    tracker.closeWindow();
    tracker.delivery(1, 9000);
    expect(tracker.latencySummary().count).toBe(2);
    expect(tracker.latencySummary().maxMs).toBe(4);
    expect(tracker.windowDeliveries).toBe(3);
  });

  it('ignores indexes the phase never sent and counts error frames by code', () => {
    const tracker = new PhaseTracker(1, 2, 1, 0);
    tracker.markSent(0);
    tracker.delivery(5, 10);
    tracker.delivery(1, 10);
    tracker.error('rate_limited');
    tracker.error('rate_limited');
    expect(tracker.losses().lost).toBe(1);
    expect(tracker.errorCounts()).toEqual({ rate_limited: 2 });
  });

  it('resolves the drain as soon as the last delivery arrives', async () => {
    const tracker = new PhaseTracker(1, 2, 1, 0);
    tracker.markSent(0);
    tracker.markSent(0);
    tracker.delivery(0, 1);
    const drained = tracker.waitForAll(5000, 5000);
    setTimeout(() => tracker.delivery(1, 1), 20);
    const started = performance.now();
    await expect(drained).resolves.toBe(true);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('gives up on the drain once deliveries stall', async () => {
    const tracker = new PhaseTracker(1, 1, 1, 0);
    tracker.markSent(0);
    const started = performance.now();
    await expect(tracker.waitForAll(10_000, 100)).resolves.toBe(false);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('keeps waiting while the target is still sending older frames', async () => {
    const tracker = new PhaseTracker(1, 1, 1, 0);
    tracker.markSent(0);
    let lastFrameAt = performance.now();
    // Older frames keep arriving for 300 ms, then the missing delivery comes.
    const busy = setInterval(() => (lastFrameAt = performance.now()), 20);
    setTimeout(() => {
      clearInterval(busy);
      tracker.delivery(0, 1);
    }, 300);
    await expect(tracker.waitForAll(5000, 100, () => lastFrameAt)).resolves.toBe(true);
  });
});
