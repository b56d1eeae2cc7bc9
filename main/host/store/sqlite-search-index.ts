/**
 * What opening parley.db needs to know of the search index (sqlite-schema.ts), apart from
 * sqlite-search.ts so that sqlite-connection.ts imports nothing that imports it back.
 */
import type Database from 'libsql';

/**
 * What `PRAGMA quick_check` reports when the search index disagrees with itself or with the texts
 * (or holds a segment secure-delete emptied, which the SQLite of libsql 0.5 calls malformed).
 */
export const SEARCH_INDEX_DAMAGE = 'malformed inverted index for FTS5 table main.text_search';

/**
 * Makes the search index anew from the current texts (sqlite-schema.ts). Every text is then
 * indexed, so the deferred indexer (schema version 5 on) has nothing left to add.
 */
export function rebuildSearchIndex(db: Database.Database): void {
  db.exec(`INSERT INTO text_search (text_search) VALUES ('rebuild')`);
  const progress = db
    .prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'search_progress'`)
    .get();
  if (progress) {
    db.exec('UPDATE search_progress SET upto = (SELECT coalesce(max(row), 0) FROM text_state)');
  }
}
