import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WalSync } from '../../../../main/host/store/wal-sync';

const dir = mkdtempSync(join(tmpdir(), 'parley-wal-sync-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A sync the test finishes by hand, counting how often the store asked for one. */
function heldSyncs() {
  const waiting: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  let calls = 0;
  return {
    syncLog: (log: FileHandle): Promise<void> => {
      calls++;
      expect(log.fd).toBeGreaterThan(0);
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
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
    const wal = new WalSync(logFile('grouped.wal'), held.syncLog);
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
    const wal = new WalSync(logFile('failing.wal'), held.syncLog);
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

  it('fails clearly when the log file is missing', async () => {
    const wal = new WalSync(join(dir, 'missing.wal'));
    await expect(wal.sync()).rejects.toMatchObject({ code: 'ENOENT' });
    await wal.close();
  });
});
