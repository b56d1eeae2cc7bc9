import { afterEach, describe, expect, it, vi } from 'vitest';
import { HeartbeatWatch } from '../../../protocol/client/heartbeat-watch';

afterEach(() => {
  vi.useRealTimers();
});

describe('HeartbeatWatch', () => {
  it('asks for a ping after two silent intervals and gives up one interval later', () => {
    vi.useFakeTimers();
    const calls: string[] = [];
    const watch = new HeartbeatWatch({
      intervalMs: 1000,
      onQuiet: () => calls.push('ping'),
      onDead: () => calls.push('dead'),
    });
    watch.start();
    vi.advanceTimersByTime(1999);
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(calls).toEqual(['ping']);
    vi.advanceTimersByTime(1000);
    expect(calls).toEqual(['ping', 'dead']);
    vi.advanceTimersByTime(10_000);
    expect(calls).toEqual(['ping', 'dead']);
  });

  it('counts any traffic as life, including an answer to its ping', () => {
    vi.useFakeTimers();
    const calls: string[] = [];
    const watch = new HeartbeatWatch({
      intervalMs: 1000,
      onQuiet: () => calls.push('ping'),
      onDead: () => calls.push('dead'),
    });
    watch.start();
    vi.advanceTimersByTime(1500);
    watch.touch();
    vi.advanceTimersByTime(1500);
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(500);
    expect(calls).toEqual(['ping']);
    watch.touch();
    vi.advanceTimersByTime(1999);
    expect(calls).toEqual(['ping']);
    watch.stop();
    vi.advanceTimersByTime(10_000);
    expect(calls).toEqual(['ping']);
  });
});
