/**
 * The store acknowledges an entry only after the log sync that follows its commit, and shows
 * readers nothing (no entry, no effect) before that sync. These tests hold and fail thread-pool
 * syncs by hand (the path a slow disk takes), and check that on a fast disk the sync runs at once.
 * A shared room's replica ('committed' durability) resolves at the commit and syncs after.
 */
import { fdatasyncSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { RoomStore } from '../../../../main/host/store/room-store';
import { openSqliteStore, StoreError } from '../../../../main/host/store/sqlite-store';
import type { CommitInfo, Durability } from '../../../../main/host/store/sqlite-store';
import {
  alice,
  bob,
  deleteEntry,
  editEntry,
  everything,
  reactionEntry,
  textEntry,
} from './entry-kit';
import { tempDirs } from './sqlite-test-kit';

const dirs = tempDirs('sqlite-log-sync');
afterAll(() => dirs.removeAll());

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

interface Held {
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Opens a store whose log syncs run on the thread pool and wait for the test. Under 'committed'
 * durability the store chooses the thread pool itself.
 */
async function storeWithHeldSyncs(durability: Durability = 'synced') {
  const syncs: Held[] = [];
  const commits: CommitInfo[] = [];
  const store = await openSqliteStore(dirs.make(), 'Room', {
    onCommit: (commit) => commits.push(commit),
    durability,
    logSync: {
      ...(durability === 'synced' && { inlineLimitMs: 0 }),
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
  const opened: RoomStore[] = [];
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
    const append = store.append(textEntry(1)).then(() => order.push('durable'));
    // Queued after the commit's own setImmediate: it runs in the next check phase position.
    setImmediate(() => order.push('next immediate'));
    await append;
    await nextTurn();
    expect(order).toEqual(['durable', 'next immediate']);
    expect(inline).toBe(1);
    expect(store.page('general', 10, 10)).toEqual([textEntry(1)]);
  });

  it('resolves an append only once the log is synced, and shows nothing unsynced', async () => {
    const { store, started, commits } = await storeWithHeldSyncs();
    opened.push(store);
    let acked = false;
    const append = store.append(textEntry(1)).then(() => (acked = true));
    const sync = await started(1);
    // Committed, but not yet durable: not acknowledged, not in history, still a known say id.
    for (let turn = 0; turn < 5; turn++) await nextTurn();
    expect(acked).toBe(false);
    expect(store.lastDurableSeq('general')).toBe(0);
    expect(store.page('general', 10, 10)).toEqual([]);
    expect(store.findBySayId(alice.id, 'say-general-1')).toEqual({ conv: 'general', seq: 1 });
    expect(commits).toEqual([]);
    sync.resolve();
    await append;
    expect(store.lastDurableSeq('general')).toBe(1);
    expect(store.page('general', 10, 10)).toEqual([textEntry(1)]);
    expect(commits).toEqual([{ entries: 1, writes: 0, lastDurableSeqs: { general: 1 } }]);
  });

  it('keeps the event loop free during a sync, and lets the commits made meanwhile share the next one', async () => {
    const { store, syncs, started, commits } = await storeWithHeldSyncs();
    opened.push(store);
    const first = store.append(textEntry(1));
    const firstSync = await started(1);
    const later: Promise<void>[] = [];
    // Three more turns, three more commits, while the first sync is still on the disk.
    for (let seq = 2; seq <= 4; seq++) {
      later.push(store.append(textEntry(seq)));
      await nextTurn();
      await nextTurn();
    }
    expect(syncs).toHaveLength(1);
    firstSync.resolve();
    await first;
    (await started(2)).resolve();
    await Promise.all(later);
    expect(syncs).toHaveLength(2);
    expect(commits.map((commit) => commit.lastDurableSeqs)).toEqual(
      [1, 2, 3, 4].map((seq) => ({ general: seq })),
    );
    expect(store.lastDurableSeq('general')).toBe(4);
  });

  it('refuses the unsynced appends and every later one when a sync fails', async () => {
    const { store, started } = await storeWithHeldSyncs();
    opened.push(store);
    const lost = store.append(textEntry(1));
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
    expect(store.lastDurableSeq('general')).toBe(0);
    await expect(store.append(textEntry(2))).rejects.toBeInstanceOf(StoreError);
  });

  it('shows an effect only once the sync after its commit is done', async () => {
    const { store, started } = await storeWithHeldSyncs();
    opened.push(store);
    const posted = [textEntry(1), textEntry(2), editEntry(3, { target: 2, text: 'v2' })];
    const first = Promise.all(posted.map((entry) => store.append(entry)));
    (await started(1)).resolve();
    await first;
    const durable = everything(store);
    const changes = [
      editEntry(4, { target: 1, text: 'changed' }),
      reactionEntry(5, { target: 1, from: bob }),
      deleteEntry(6, { target: 2 }),
    ];
    const second = Promise.all(changes.map((entry) => store.append(entry)));
    const secondSync = await started(2);
    // Committed (the rows in the file changed) but not synced: readers see the durable state,
    // even the edit whose text the delete purged.
    for (let turn = 0; turn < 5; turn++) await nextTurn();
    expect(everything(store)).toEqual(durable);
    expect(store.textEntry('general', 2)).toEqual({
      ...textEntry(2),
      text: 'v2',
      edited: posted[2]!.ts,
    });
    // A third commit on top, waiting behind the second sync, changes nothing either.
    const third = store.append(editEntry(7, { target: 1, text: 'again' }));
    for (let turn = 0; turn < 5; turn++) await nextTurn();
    expect(everything(store)).toEqual(durable);
    secondSync.resolve();
    await second;
    expect(store.textEntry('general', 1)).toEqual({
      ...textEntry(1),
      text: 'changed',
      edited: changes[0]!.ts,
      reactions: { '👍': [bob.id] },
    });
    expect(store.page('general', 4, 1)).toEqual([editEntry(3, { target: 2, text: '' })]);
    (await started(3)).resolve();
    await third;
    expect(store.textEntry('general', 1)?.text).toBe('again');
  });

  it('keeps showing the durable state when the sync of an effect fails', async () => {
    const { store, started } = await storeWithHeldSyncs();
    opened.push(store);
    const first = store.append(textEntry(1));
    (await started(1)).resolve();
    await first;
    const lost = store.append(deleteEntry(2, { target: 1 }));
    (await started(2)).reject(
      Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }),
    );
    await expect(lost).rejects.toBeInstanceOf(StoreError);
    expect(store.textEntry('general', 1)).toEqual(textEntry(1));
    expect(everything(store)).toEqual([textEntry(1)]);
  });

  it('waits for the running sync before closing, so nothing acknowledged is left behind', async () => {
    const { store, started } = await storeWithHeldSyncs();
    const append = store.append(textEntry(1));
    const sync = await started(1);
    let closed = false;
    const closing = store.close().then(() => (closed = true));
    for (let turn = 0; turn < 5; turn++) await nextTurn();
    expect(closed).toBe(false);
    sync.resolve();
    await append;
    await closing;
    expect(store.lastDurableSeq('general')).toBe(1);
  });
});

describe("SQLite store: 'committed' durability (a shared room's replica)", () => {
  const opened: RoomStore[] = [];
  afterEach(async () => {
    await Promise.allSettled(opened.splice(0).map((store) => store.close()));
  });

  it('resolves an append and shows it at the commit, and still syncs the log on the thread pool', async () => {
    const { store, syncs, started, commits } = await storeWithHeldSyncs('committed');
    opened.push(store);
    const posted = [textEntry(1), editEntry(2, { target: 1, text: 'changed' })];
    await Promise.all(posted.map((entry) => store.append(entry)));
    // The sync the commit asked for is still held: readers see the commit all the same.
    expect(syncs).toHaveLength(1);
    expect(store.lastDurableSeq('general')).toBe(2);
    expect(store.textEntry('general', 1)?.text).toBe('changed');
    expect(commits).toEqual([{ entries: 2, writes: 0, lastDurableSeqs: { general: 2 } }]);
    let closed = false;
    const closing = store.close().then(() => (closed = true));
    for (let turn = 0; turn < 5; turn++) await nextTurn();
    expect(closed).toBe(false);
    (await started(1)).resolve();
    await closing;
  });

  it('takes no more appends once a sync failed', async () => {
    const { store, started } = await storeWithHeldSyncs('committed');
    opened.push(store);
    await store.append(textEntry(1));
    (await started(1)).reject(
      Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }),
    );
    for (let turn = 0; turn < 5; turn++) await nextTurn();
    const error: unknown = await store.append(textEntry(2)).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('io');
    expect(store.lastDurableSeq('general')).toBe(1);
  });

  it('refuses a durability it does not know', async () => {
    const options = { durability: 'eventually' as Durability };
    const error: unknown = await openSqliteStore(dirs.make(), 'Room', options).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('invalid');
    expect((error as StoreError).message).toContain('durability');
  });
});
