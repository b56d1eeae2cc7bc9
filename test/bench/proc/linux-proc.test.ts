import { describe, expect, it } from 'vitest';
import {
  clockTicksPerSecond,
  readAllowedCpus,
  readCpuMs,
  readOpenFileLimit,
  readRssKiB,
} from '../../../bench/proc/linux-proc';

const NO_SUCH_PID = 2 ** 31 - 1;

describe('reading a process from /proc', () => {
  it('sees CPU time grow as this process works', () => {
    const before = readCpuMs(process.pid)!;
    const started = performance.now();
    let spin = 0;
    // Bounded busy loop: at most 2 s, enough for several clock ticks of CPU time.
    while (performance.now() - started < 2000 && (readCpuMs(process.pid) ?? 0) - before < 50)
      spin++;
    expect(spin).toBeGreaterThan(0);
    expect(readCpuMs(process.pid)! - before).toBeGreaterThanOrEqual(50);
    expect(clockTicksPerSecond()).toBeGreaterThan(0);
  });

  it('reads resident memory, allowed CPUs and the open-file limit', () => {
    const rss = readRssKiB(process.pid)!;
    expect(rss * 1024).toBeGreaterThan(process.memoryUsage().heapUsed / 2);
    expect(readAllowedCpus('self')).toMatch(/^[0-9][0-9,-]*$/);
    expect(readOpenFileLimit()).toBeGreaterThan(0);
  });

  it('answers undefined (or 0) for a process that does not exist', () => {
    expect(readCpuMs(NO_SUCH_PID)).toBeUndefined();
    expect(readRssKiB(NO_SUCH_PID)).toBeUndefined();
    expect(readOpenFileLimit(NO_SUCH_PID)).toBe(0);
  });
});
