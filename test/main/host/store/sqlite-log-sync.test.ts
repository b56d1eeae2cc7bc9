/**
 * The store acknowledges a message only after the log sync that follows its commit. These tests
 * hold and fail thread-pool syncs by hand (the path a slow disk takes), and check that on a fast
 * disk the sync runs at once.
 */
import { fdatasyncSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { MessageStore } from '../../../../main/host/store/message-store';
import { openSqliteStore, StoreError } from '../../../../main/host/store/sqlite-store';
import type { CommitInfo } from '../../../../main/host/store/sqlite-store';
import { chatMessage } from './store-contract';
import { tempDirs } from './sqlite-test-kit';

const dirs = tempDirs('sqlite-log-sync');
afterAll(() => dirs.removeAll());

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

interface Held {
  resolve: () => void;
  reject: (error: Error) => void;
}

/** Opens a store whose log syncs run on the thread pool and wait for the test. */
async function storeWithHeldSyncs() {
  const syncs: Held[] = [];
  const commits: CommitInfo[] = [];
  const store = await openSqliteStore(dirs.make(), 'Room', {
    onCommit: (commit) => commits.push(commit),
    logSync: {
      inlineLimitMs: 0,
      syncer: {
        now: () => {
          throw new Error('this store syncs on the thread pool only');
        },
        later: async (fd: number) => {
          await new Promise<void>((resolve, reject) => syncs.push({ resolve, reject }));
          fdatasyncSync(fd);
        },
      },
    },
  });
  const started = async (count: number): Promise<Held> => {
    // Opening the log file takes a trip through the thread pool: poll, bounded in time.
    const deadline = Date.now() + 5000;
    while (syncs.length < count && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(syncs).toHaveLength(count);
    return syncs[count - 1]!;
  };
  return { store, syncs, commits, started };
}

describe('SQLite store: the log sync', () => {
  const opened: MessageStore[] = [];
  afterEach(async () => {
    await Promise.allSettled(opened.splice(0).map((store) => store.close()));
  });

  it('syncs at once on a fast disk: the append is durable before the next turn starts', async () => {
    let inline = 0;
    const store = await openSqliteStore(dirs.make(), 'Room', {
      logSync: {
        syncer: {
          now: (fd) => {
            inline++;
            fdatasyncSync(fd);
          },
          later: () => Promise.reject(new Error('a fast disk needs no thread-pool sync')),
        },
      },
    });
    opened.push(store);
    const order: string[] = [];
    const append = store.append(chatMessage(1)).then(() => order.push('durable'));
    // Queued after the commit's own setImmediate: it runs in the next check phase position.
    setImmediate(() => order.push('next immediate'));
    await append;
    await nextTurn();
    expect(order).toEqual(['durable', 'next immediate']);
    expect(inline).toBe(1);
    expect(store.page(10, 10)).toEqual([chatMessage(1)]);
  });

  it('resolves an append only once the log is synced, and shows nothing unsynced', async () => {
    const { store, started, commits } = await storeWithHeldSyncs();
    opened.push(store);
    let acked = false;
    const append = store.append(chatMessage(1)).then(() => (acked = true));
    const sync = await started(1);
    // Committed, but not yet durable: not acknowledged, not in history, still a known say id.
    for (let turn = 0; turn < 5; turn++) await nextTurn();
    expect(acked).toBe(false);
    expect(store.lastDurableSeq).toBe(0);
    expect(store.page(10, 10)).toEqual([]);
    expect(store.findSeqBySayId('p_alice', 'say-1')).toBe(1);
    expect(commits).toEqual([]);
    sync.resolve();
    await append;
    expect(store.lastDurableSeq).toBe(1);
    expect(store.page(10, 10)).toEqual([chatMessage(1)]);
    expect(commits).toEqual([{ messages: 1, sessions: 0, lastDurableSeq: 1 }]);
  });

  it('keeps the event loop free during a sync, and lets the commits made meanwhile share the next one', async () => {
    const { store, syncs, started, commits } = await storeWithHeldSyncs();
    opened.push(store);
    const first = store.append(chatMessage(1));
    const firstSync = await started(1);
    const later: Promise<void>[] = [];
    // Three more turns, three more commits, while the first sync is still on the disk.
    for (let seq = 2; seq <= 4; seq++) {
      later.push(store.append(chatMessage(seq)));
      await nextTurn();
      await nextTurn();
    }
    expect(syncs).toHaveLength(1);
    firstSync.resolve();
    await first;
    (await started(2)).resolve();
    await Promise.all(later);
    expect(syncs).toHaveLength(2);
    expect(commits.map((commit) => commit.lastDurableSeq)).toEqual([1, 2, 3, 4]);
    expect(store.lastDurableSeq).toBe(4);
  });

  it('refuses the unsynced appends and every later one when a sync fails', async () => {
    const { store, started } = await storeWithHeldSyncs();
    opened.push(store);
    const lost = store.append(chatMessage(1));
    (await started(1)).reject(
      Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }),
    );
    const error: unknown = await lost.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('io');
    expect((error as StoreError).message).toContain('parley.db');
    expect(store.lastDurableSeq).toBe(0);
    await expect(store.append(chatMessage(2))).rejects.toBeInstanceOf(StoreError);
  });

  it('waits for the running sync before closing, so nothing acknowledged is left behind', async () => {
    const { store, started } = await storeWithHeldSyncs();
    const append = store.append(chatMessage(1));
    const sync = await started(1);
    let closed = false;
    const closing = store.close().then(() => (closed = true));
    for (let turn = 0; turn < 5; turn++) await nextTurn();
    expect(closed).toBe(false);
    sync.resolve();
    await append;
    await closing;
    expect(store.lastDurableSeq).toBe(1);
  });
});
