/**
 * Texts reach the search index in batches after their commit (sqlite-search-indexer.ts), yet a
 * search sees every text committed before it, in its current state: edited, deleted (whose words
 * never reach the index), or left unindexed by a host that died.
 */
import Database from 'libsql';
import { fdatasyncSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSearchQuery } from '../../../../main/host/store/search-query';
import { openSqliteStore } from '../../../../main/host/store/sqlite-store';
import type { RoomStore } from '../../../../main/host/store/room-store';
import { appendMany, bob, deleteEntry, editEntry, textEntry } from './entry-kit';
import { copyStoreFiles, tempDirs } from './sqlite-test-kit';

const dirs = tempDirs('sqlite-search-indexer');
afterAll(() => dirs.removeAll());

const search = (store: RoomStore, words: string) =>
  store.search(parseSearchQuery(words)!, { reader: bob.id }, 10).map((hit) => hit.seq);

/** The words the index of the store files in `dir` holds, read by a connection of its own. */
function indexedWords(dir: string): string[] {
  const raw = new Database(join(dir, 'parley.db'));
  try {
    raw.exec(`CREATE VIRTUAL TABLE temp.words USING fts5vocab(main, text_search, 'row')`);
    return (raw.prepare('SELECT term FROM temp.words').all() as { term: string }[]).map(
      (row) => row.term,
    );
  } finally {
    raw.close();
  }
}

describe('SQLite store: search indexing after the commit', () => {
  it('finds a text posted just before the search, in its current state', async () => {
    const store = await openSqliteStore(dirs.make(), 'Index');
    await store.append(textEntry(1, { text: 'marmalade sandwich' }));
    expect(search(store, 'marmalade')).toEqual([1]);

    await store.append(textEntry(2, { text: 'quinceplum before' }));
    await store.append(editEntry(3, { target: 2, text: 'gooseberry after' }));
    expect(search(store, 'quinceplum')).toEqual([]);
    expect(search(store, 'gooseberry')).toEqual([2]);
    await store.close();
  });

  it('never indexes the words of a text deleted before it was indexed', async () => {
    const dir = dirs.make();
    const store = await openSqliteStore(dir, 'Index');
    await store.append(textEntry(1, { text: 'zanzibarite secret' }));
    await store.append(textEntry(2, { text: 'keepsake stays' }));
    await store.append(deleteEntry(3, { target: 1 }));
    expect(search(store, 'zanzibarite')).toEqual([]);
    expect(search(store, 'keepsake')).toEqual([2]);
    await store.close();
    const words = indexedWords(dir);
    expect(words).toContain('keepsake');
    expect(words).not.toContain('zanzibarite');
  });

  it('indexes a full batch of texts soon after their commit, without waiting for a search', async () => {
    const dir = dirs.make();
    const store = await openSqliteStore(dir, 'Index');
    await appendMany(store, 300);
    await new Promise((resolve) => setImmediate(resolve));
    expect(indexedWords(dir)).toContain('message');
    await store.close();
  });

  it('indexes a backlog a slice per event-loop turn, never the whole batch in one turn', async () => {
    const dir = dirs.make();
    const store = await openSqliteStore(dir, 'Index');
    await appendMany(store, 300);
    const raw = new Database(join(dir, 'parley.db'));
    try {
      const read = (sql: string) => (raw.prepare(sql).get() as { value: number }).value;
      const last = read('SELECT max(row) AS value FROM text_state');
      const seen = [read('SELECT upto AS value FROM search_progress')];
      for (let turn = 0; turn < 50 && seen.at(-1)! < last; turn += 1) {
        await new Promise((resolve) => setImmediate(resolve));
        seen.push(read('SELECT upto AS value FROM search_progress'));
      }
      expect(seen.at(-1)).toBe(last);
      const steps = seen.slice(1).map((upto, turn) => upto - seen[turn]!);
      expect(Math.max(...steps)).toBeLessThanOrEqual(32);
      expect(steps.filter((step) => step > 0).length).toBeGreaterThan(5);
    } finally {
      raw.close();
    }
    await store.close();
  });

  it('indexes texts that come one at a time in batches, not one transaction per text', async () => {
    const dir = dirs.make();
    // Every sync at once, however long it takes, as on a fast disk: each append then commits on
    // the turn after the one before, and every turn has a commit, as on a busy host.
    const store = await openSqliteStore(dir, 'Index', {
      logSync: {
        inlineLimitMs: Number.MAX_SAFE_INTEGER,
        syncer: {
          now: (fd) => fdatasyncSync(fd),
          later: () => Promise.reject(new Error('every sync runs at once here')),
        },
      },
    });
    const raw = new Database(join(dir, 'parley.db'));
    try {
      const upto = () =>
        (raw.prepare('SELECT upto AS value FROM search_progress').get() as { value: number }).value;
      // One person sending fast: each text is stored, acknowledged and followed by the next.
      const texts = 600;
      let advances = 0;
      let last = upto();
      for (let seq = 1; seq <= texts; seq += 1) {
        await store.append(textEntry(seq, { id: `typed-${seq}` }));
        if (upto() !== last) advances += 1;
        last = upto();
      }
      // Batches of 256 (or what waited half a second on a slow machine), a slice of 32 a turn:
      // about 20 index transactions, where indexing one text at a time made 340 and more.
      expect(last).toBeGreaterThan(0);
      expect(advances).toBeLessThanOrEqual(texts / 10);
      expect(search(store, 'message')).toHaveLength(10);
      expect(upto()).toBeGreaterThanOrEqual(texts);
    } finally {
      raw.close();
    }
    await store.close();
  });

  it('indexes at the next open what a host that died had not indexed yet', async () => {
    const dir = dirs.make();
    const store = await openSqliteStore(dir, 'Index');
    await store.append(textEntry(1, { text: 'lighthouse keeper' }));
    // The files as a crash right now would leave them: the text stored, not yet indexed.
    const crashed = dirs.make();
    copyStoreFiles(dir, crashed);
    await store.close();
    expect(indexedWords(crashed)).not.toContain('lighthouse');

    const reopened = await openSqliteStore(crashed, 'Index');
    expect(indexedWords(crashed)).toContain('lighthouse');
    expect(search(reopened, 'lighthouse')).toEqual([1]);
    await reopened.close();
  });
});
