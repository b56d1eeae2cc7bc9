/**
 * A deleted message is purged, not hidden: once the store has closed (its log folded into
 * parley.db), the bytes of its text, of its edits and of its files' names are nowhere in the
 * data folder, while everything not deleted still is; nor are its words in the search index.
 */
import Database from 'libsql';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSearchQuery } from '../../../../main/host/store/search-query';
import { openSqliteStore } from '../../../../main/host/store/sqlite-store';
import { until } from '../../../support/wait';
import { appendMany, bob, deleteEntry, editEntry, reactionEntry, textEntry } from './entry-kit';
import { tempDirs } from './sqlite-test-kit';

const dirs = tempDirs('sqlite-purge');
afterAll(() => dirs.removeAll());

/** Every byte of the store's files in `dir`. */
function storeBytes(dir: string): Buffer {
  const files = ['parley.db', 'parley.db-wal'].map((name) => join(dir, name));
  return Buffer.concat(files.filter((file) => existsSync(file)).map((file) => readFileSync(file)));
}

describe('SQLite store: delete purges', () => {
  it('leaves no byte of a deleted text, its edits or its files in the folder', async () => {
    const dir = dirs.make();
    const store = await openSqliteStore(dir, 'Purge');
    await appendMany(store, 20);
    const file = {
      id: 'b'.repeat(64),
      name: 'FILE-SECRET.png',
      size: 3,
      mime: 'image/png',
      url: '/u',
    };
    await store.append(textEntry(21, { text: 'SHORT-SECRET sits in one page', files: [file] }));
    // Long enough for overflow pages, which are freed (and must be wiped) as a whole.
    await store.append(textEntry(22, { text: `LONG-SECRET ${'x'.repeat(9000)} LONG-SECRET` }));
    await store.append(textEntry(23, { text: 'KEEP-ME stays' }));
    await store.append(editEntry(24, { target: 21, text: 'EDIT-SECRET replaced it' }));
    await store.append(reactionEntry(25, { target: 21, from: bob }));
    await appendMany(store, 20);
    // Everything is in the files now: the grep below can find it.
    const before = storeBytes(dir).toString('latin1');
    for (const marker of ['SHORT-SECRET', 'LONG-SECRET', 'EDIT-SECRET', 'FILE-SECRET']) {
      expect(before).toContain(marker);
    }

    await store.append(deleteEntry(46, { target: 21 }));
    await store.append(deleteEntry(47, { target: 22 }));
    await appendMany(store, 5);
    expect(store.textEntry('general', 21)).toMatchObject({ text: '', deleted: true });
    await store.close();

    const after = storeBytes(dir).toString('latin1');
    expect(after).toContain('KEEP-ME');
    for (const marker of ['SHORT-SECRET', 'LONG-SECRET', 'EDIT-SECRET', 'FILE-SECRET']) {
      expect(after).not.toContain(marker);
    }
  });

  it('leaves no byte of a deleted text in the folder while the store stays open', async () => {
    const dir = dirs.make();
    const store = await openSqliteStore(dir, 'Purge');
    try {
      await appendMany(store, 20);
      await store.append(textEntry(21, { text: 'OPEN-SECRET while the host runs' }));
      await store.append(textEntry(22, { text: 'KEEP-ME stays' }));
      await appendMany(store, 20);
      expect(storeBytes(dir).toString('latin1')).toContain('OPEN-SECRET');

      await store.append(deleteEntry(43, { target: 21 }));
      // The log is cut just after the delete's commit is durable, not at close.
      await until(
        () => !storeBytes(dir).toString('latin1').includes('OPEN-SECRET'),
        5000,
        'the deleted text to leave the files',
      );
      expect(storeBytes(dir).toString('latin1')).toContain('KEEP-ME');
      // And the store goes on: the next append still gets its number.
      await store.append(textEntry(44, { text: 'after the purge' }));
      expect(store.textEntry('general', 44)).toMatchObject({ text: 'after the purge' });
    } finally {
      await store.close();
    }
  });

  it('takes a deleted message out of the search index, its words gone from the file', async () => {
    const dir = dirs.make();
    const store = await openSqliteStore(dir, 'Purge');
    await appendMany(store, 20);
    // Words no other word shares a first letter with, so the index stores them whole.
    await store.append(textEntry(21, { text: 'quixotryzzle vexwombat' }));
    await store.append(textEntry(22, { text: 'jollykeeper stays' }));
    await appendMany(store, 20);
    const search = (q: string) => store.search(parseSearchQuery(q)!, { reader: bob.id }, 5);
    expect(search('quixo')).toHaveLength(1);
    const before = storeBytes(dir).toString('latin1');
    expect(before).toContain('quixotryzzle');

    await store.append(deleteEntry(43, { target: 21 }));
    await appendMany(store, 5);
    expect(search('quixo')).toEqual([]);
    expect(search('vexwombat')).toEqual([]);
    await store.close();

    const after = storeBytes(dir).toString('latin1');
    expect(after).toContain('jollykeeper');
    expect(after).not.toContain('quixotryzzle');
    expect(after).not.toContain('vexwombat');
    // A fresh connection reading the index's own vocabulary: the words are not there either.
    const raw = new Database(join(dir, 'parley.db'));
    try {
      raw.exec(`CREATE VIRTUAL TABLE temp.words USING fts5vocab(main, text_search, 'row')`);
      const terms = raw.prepare('SELECT term FROM temp.words').all() as { term: string }[];
      const words = terms.map((row) => row.term);
      expect(words).toContain('jollykeeper');
      expect(words).not.toContain('quixotryzzle');
      expect(words).not.toContain('vexwombat');
    } finally {
      raw.close();
    }
  });
});
