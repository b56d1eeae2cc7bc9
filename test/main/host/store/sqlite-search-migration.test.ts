/**
 * A data folder written by a host of schema version 2 (test/fixtures/store/v2-room, made by that
 * store itself, before the search index) opens with the current store: the index is built from
 * the texts already there, in their current state, and kept current from then on.
 */
import Database from 'libsql';
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { RoomStore } from '../../../../main/host/store/room-store';
import { SCHEMA_VERSION } from '../../../../main/host/store/sqlite-schema';
import { openSqliteStore } from '../../../../main/host/store/sqlite-store';
import { parseSearchQuery } from '../../../../main/host/store/search-query';
import { MATCH_END, MATCH_START } from '../../../../protocol/wire/entries';
import { directConversationId } from '../../../../protocol/wire/identity';
import { textEntry } from './entry-kit';
import { tempDirs } from './sqlite-test-kit';

const fixtureDir = fileURLToPath(
  new URL('../../../fixtures/store/v2-room/closed/', import.meta.url),
);
const CHANNEL = 'c_kitchen0000000000';
const DIRECT = directConversationId('u_alice', 'u_bob');

const dirs = tempDirs('sqlite-search-migration');
afterAll(() => dirs.removeAll());

function copyOfFixture(): string {
  const dir = dirs.make();
  for (const file of readdirSync(fixtureDir)) copyFileSync(join(fixtureDir, file), join(dir, file));
  return dir;
}

/** Where `reader` finds `q`, as `conv:seq`, newest first. */
function found(store: RoomStore, q: string, reader: string, conv?: string): string[] {
  const scope = conv === undefined ? { reader } : { reader, conv };
  return store.search(parseSearchQuery(q)!, scope, 50).map((hit) => `${hit.conv}:${hit.seq}`);
}

describe('SQLite store: a schema-version-2 room', () => {
  it('gets its search index built from the texts already there', async () => {
    const dir = copyOfFixture();
    const before = new Database(join(dir, 'parley.db'));
    expect(before.prepare('PRAGMA user_version').get()).toMatchObject({ user_version: 2 });
    before.close();

    const store = await openSqliteStore(dir, 'Not a new room');
    try {
      expect(store.room.name).toBe('Kitchen room');
      expect(found(store, 'creme cafe', 'u_carol')).toEqual(['general:1']);
      const [hit] = store.search(parseSearchQuery('brulee')!, { reader: 'u_carol' }, 5);
      expect(hit).toMatchObject({
        conv: 'general',
        seq: 1,
        from: { id: 'u_alice', name: 'Alice' },
      });
      expect(hit!.snippet).toBe(`Crème ${MATCH_START}brûlée${MATCH_END} for the café party`);
      expect(found(store, 'naive', 'u_carol')).toEqual([`${CHANNEL}:2`]);
      // The edited text by its current words only; the deleted one not at all.
      expect(found(store, 'menu', 'u_carol')).toEqual(['general:3']);
      expect(found(store, 'soup', 'u_carol')).toEqual(['general:3']);
      expect(found(store, 'draft', 'u_carol')).toEqual([]);
      expect(found(store, 'passwordhint', 'u_bob')).toEqual([]);
      // The direct conversation for its two members only.
      expect(found(store, 'cake', 'u_alice')).toEqual([`${DIRECT}:2`, `${DIRECT}:1`]);
      expect(found(store, 'cake', 'u_bob', DIRECT)).toEqual([`${DIRECT}:2`, `${DIRECT}:1`]);
      expect(found(store, 'cake', 'u_carol')).toEqual([]);
      expect(found(store, 'filler', 'u_carol')).toHaveLength(40);
      await store.append(textEntry(47, { text: 'a fresh croissant' }));
      expect(found(store, 'croiss', 'u_carol')).toEqual(['general:47']);
    } finally {
      await store.close();
    }

    const raw = new Database(join(dir, 'parley.db'));
    try {
      expect(raw.prepare('PRAGMA user_version').get()).toMatchObject({
        user_version: SCHEMA_VERSION,
      });
      expect(raw.prepare('PRAGMA integrity_check').all()).toMatchObject([
        { integrity_check: 'ok' },
      ]);
    } finally {
      raw.close();
    }
  });
});
