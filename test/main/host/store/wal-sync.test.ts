import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WalSync, type LogSyncer } from '../../../../main/host/store/wal-sync';

const dir = mkdtempSync(join(tmpdir(), 'parley-wal-sync-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Thread-pool syncs the test finishes by hand, counting how often one was asked for. */
function heldSyncs() {
  const waiting: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  let calls = 0;
  const syncer: LogSyncer = {
    now: () => {
      throw new Error('held syncs run on the thread pool only');
    },
    later: (fd) => {
      calls++;
      expect(fd).toBeGreaterThan(0);
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
  };
  return {
    options: { syncer, inlineLimitMs: 0 },
    get calls() {
      return calls;
    },
    async next(): Promise<{ resolve: () => void; reject: (error: Error) => void }> {
      const deadline = Date.now() + 5000;
      while (waiting.length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      const held = waiting.shift();
      if (!held) throw new Error('no sync was started');
      return held;
    },
  };
}

function logFile(name: string): string {
  const file = join(dir, name);
  writeFileSync(file, 'frames');
  return file;
}

describe('WalSync', () => {
  it('syncs the real log file with fdatasync by default', async () => {
    const wal = new WalSync(logFile('default.wal'));
    await expect(wal.sync()).resolves.toBeUndefined();
    await wal.close();
  });

  it('answers every call made during one sync with a single further sync', async () => {
    const held = heldSyncs();
    const wal = new WalSync(logFile('grouped.wal'), held.options);
    const settled: string[] = [];
    const first = wal.sync().then(() => settled.push('first'));
    const later = Array.from({ length: 5 }, (_, index) =>
      wal.sync().then(() => settled.push(`later-${index}`)),
    );
    (await held.next()).resolve();
    await first;
    expect(settled).toEqual(['first']);
    (await held.next()).resolve();
    await Promise.all(later);
    expect(held.calls).toBe(2);
    expect(settled).toHaveLength(6);
    await wal.close();
  });

  it('rejects only the callers of a failed sync; the next call syncs again', async () => {
    const held = heldSyncs();
    const wal = new WalSync(logFile('failing.wal'), held.options);
    const failed = wal.sync();
    const after = wal.sync();
    (await held.next()).reject(
      Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }),
    );
    await expect(failed).rejects.toThrow('EIO');
    (await held.next()).resolve();
    await expect(after).resolves.toBeUndefined();
    await wal.close();
  });

  it('syncs inline while the disk is fast, moves to the thread pool when it is slow, and probes again', async () => {
    let time = 0;
    let syncTakesMs = 0.1;
    const calls: string[] = [];
    const wal = new WalSync(logFile('adaptive.wal'), {
      clock: () => time,
      probeEveryMs: 1000,
      syncer: {
        now: () => {
          calls.push('inline');
          time += syncTakesMs;
        },
        later: () => {
          calls.push('pool');
          return Promise.resolve();
        },
      },
    });
    await wal.sync();
    await wal.sync();
    expect(calls).toEqual(['inline', 'inline']);
    // One sync the disk stalled on does not move the others off the loop.
    syncTakesMs = 20;
    await wal.sync();
    expect(wal.inline).toBe(true);
    // A disk that takes 20 ms sync after sync: the average passes 1 ms and the loop stops
    // waiting on it.
    await wal.sync();
    await wal.sync();
    await wal.sync();
    expect(wal.inline).toBe(false);
    await wal.sync();
    await wal.sync();
    expect(calls.slice(2)).toEqual(['inline', 'inline', 'inline', 'inline', 'pool', 'pool']);
    // A second later one sync runs inline again to re-measure; a fast disk is soon trusted again.
    syncTakesMs = 0.1;
    for (let probe = 0; probe < 30 && !wal.inline; probe++) {
      time += 1000;
      await wal.sync();
    }
    expect(wal.inline).toBe(true);
    await wal.close();
  });

  it('reports a failed inline sync to its caller', async () => {
    const wal = new WalSync(logFile('inline-failure.wal'), {
      syncer: {
        now: () => {
          throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
        },
        later: () => Promise.resolve(),
      },
    });
    await expect(wal.sync()).rejects.toMatchObject({ code: 'EIO' });
    await wal.close();
  });

  it('fails clearly when the log file is missing', async () => {
    const wal = new WalSync(join(dir, 'missing.wal'));
    await expect(wal.sync()).rejects.toMatchObject({ code: 'ENOENT' });
    await wal.close();
  });
});
