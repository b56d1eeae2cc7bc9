/**
 * What opening parley.db needs to know of the search index (sqlite-schema.ts), apart from
 * sqlite-search.ts so that sqlite-connection.ts imports nothing that imports it back.
 */

/**
 * What `PRAGMA quick_check` reports when the search index disagrees with itself or with the texts
 * (or holds a segment secure-delete emptied, which the SQLite of libsql 0.5 calls malformed).
 */
export const SEARCH_INDEX_DAMAGE = 'malformed inverted index for FTS5 table main.text_search';
/** Makes the search index anew from the current texts (sqlite-schema.ts). */
export const REBUILD_SEARCH_INDEX = `INSERT INTO text_search (text_search) VALUES ('rebuild')`;
