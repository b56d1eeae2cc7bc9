/** The monitor of the event loop's stalls, on this process's real loop. */
import { describe, expect, it } from 'vitest';
import { CATCH_UP_MS, processLoopStalls } from '../../../main/host/loop-stalls';
import { until } from '../../support/wait';

function blockLoop(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // Busy on purpose: the loop stands still, as under CPU starvation.
  }
}

describe('processLoopStalls', () => {
  it('counts a stall while it lasts and while it is caught up with, then forgets it', async () => {
    const stalls = processLoopStalls();
    await until(() => stalls.recentStallMs(performance.now()) === 0, 5000, 'a quiet loop');
    blockLoop(1200);
    // Still going on for the monitor: its late tick has not run yet.
    expect(stalls.recentStallMs(performance.now())).toBeGreaterThanOrEqual(1000);
    // Once the tick ran, it is a stall just ended, still counted while the host catches up.
    await new Promise((resolve) => setTimeout(resolve, 0));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stalls.recentStallMs(performance.now())).toBeGreaterThanOrEqual(1000);
    await until(
      () => stalls.recentStallMs(performance.now()) === 0,
      CATCH_UP_MS + 3000,
      'the stall to be forgotten',
    );
  });
});
