import { describe, expect, it } from 'vitest';
import { FrameBatcher } from '../../renderer/frame-batcher';
import type { FrameBatcherOptions } from '../../renderer/frame-batcher';

/** Frames and timers that run only when the test says so. */
function manualClock() {
  let nextHandle = 1;
  const frames = new Map<number, () => void>();
  const timers = new Map<number, { callback: () => void; ms: number }>();
  const options: Partial<FrameBatcherOptions> = {
    requestFrame: (callback) => {
      frames.set(nextHandle, callback);
      return nextHandle++;
    },
    cancelFrame: (handle) => void frames.delete(handle),
    setTimer: (callback, ms) => {
      timers.set(nextHandle, { callback, ms });
      return nextHandle++ as unknown as ReturnType<typeof setTimeout>;
    },
    clearTimer: (handle) => void timers.delete(handle as unknown as number),
  };
  return {
    options,
    frames,
    timers,
    /** Runs the callbacks of one animation frame (those requested before it started). */
    frame() {
      const due = [...frames.values()];
      frames.clear();
      for (const callback of due) callback();
    },
    fireTimers() {
      const due = [...timers.values()];
      timers.clear();
      for (const { callback } of due) callback();
    },
  };
}

function recordingBatcher(options: Partial<FrameBatcherOptions>) {
  const batches: number[][] = [];
  const batcher = new FrameBatcher<number>((items) => batches.push(items), options);
  return { batcher, batches };
}

describe('FrameBatcher', () => {
  it('hands everything that arrived before a frame over in one call, in arrival order', () => {
    const clock = manualClock();
    const { batcher, batches } = recordingBatcher(clock.options);
    for (let item = 1; item <= 500; item++) batcher.push(item);
    expect(batches).toEqual([]);
    expect(batcher.pending).toBe(500);
    // One frame requested for all of them, not one per item.
    expect(clock.frames.size).toBe(1);

    clock.frame();
    expect(batches).toHaveLength(1);
    expect(batches[0]).toEqual(Array.from({ length: 500 }, (_, index) => index + 1));
    expect(batcher.pending).toBe(0);
    // Nothing left scheduled: the fallback timer went with the frame.
    expect(clock.frames.size).toBe(0);
    expect(clock.timers.size).toBe(0);
  });

  it('puts items that arrive while a batch is handed over into the next frame', () => {
    const clock = manualClock();
    const batches: number[][] = [];
    const batcher = new FrameBatcher<number>((items) => {
      batches.push(items);
      if (items[0] === 1) batcher.push(3);
    }, clock.options);
    batcher.push(1);
    batcher.push(2);
    clock.frame();
    expect(batches).toEqual([[1, 2]]);
    expect(batcher.pending).toBe(1);
    clock.frame();
    expect(batches).toEqual([[1, 2], [3]]);
  });

  it('still hands the batch over when no frame comes (a hidden window)', () => {
    const clock = manualClock();
    const { batcher, batches } = recordingBatcher({ ...clock.options, fallbackMs: 123 });
    batcher.push(1);
    batcher.push(2);
    expect([...clock.timers.values()].map((timer) => timer.ms)).toEqual([123]);
    clock.fireTimers();
    expect(batches).toEqual([[1, 2]]);
    // The frame that never came is cancelled, so it cannot hand over an empty batch later.
    expect(clock.frames.size).toBe(0);
  });

  it('flushes on demand, so work outside the stream sees every earlier event', () => {
    const clock = manualClock();
    const { batcher, batches } = recordingBatcher(clock.options);
    batcher.flush();
    expect(batches).toEqual([]);
    batcher.push(7);
    batcher.push(8);
    batcher.flush();
    expect(batches).toEqual([[7, 8]]);
    expect(clock.frames.size).toBe(0);
    clock.frame();
    expect(batches).toEqual([[7, 8]]);
  });

  it('hands each item over at once when disabled, and lets go of waiting ones when switched off', () => {
    const clock = manualClock();
    const { batcher, batches } = recordingBatcher(clock.options);
    batcher.push(1);
    batcher.push(2);
    batcher.enabled = false;
    expect(batches).toEqual([[1, 2]]);
    batcher.push(3);
    batcher.push(4);
    expect(batches).toEqual([[1, 2], [3], [4]]);
    expect(clock.frames.size).toBe(0);

    const off = recordingBatcher({ ...clock.options, enabled: false });
    off.batcher.push(9);
    expect(off.batches).toEqual([[9]]);
    expect(off.batcher.enabled).toBe(false);
  });

  it('forgets what waits when cleared, and works again afterwards', () => {
    const clock = manualClock();
    const { batcher, batches } = recordingBatcher(clock.options);
    batcher.push(1);
    batcher.clear();
    expect(clock.frames.size).toBe(0);
    expect(clock.timers.size).toBe(0);
    clock.frame();
    expect(batches).toEqual([]);
    batcher.push(2);
    clock.frame();
    expect(batches).toEqual([[2]]);
  });

  it('keeps working after a batch whose delivery threw', () => {
    const clock = manualClock();
    const seen: number[][] = [];
    const batcher = new FrameBatcher<number>((items) => {
      seen.push(items);
      if (items.includes(1)) throw new Error('boom');
    }, clock.options);
    batcher.push(1);
    expect(() => clock.frame()).toThrow('boom');
    batcher.push(2);
    clock.frame();
    expect(seen).toEqual([[1], [2]]);
  });
});
