/**
 * Searching parley.db's full-text index (text_search, sqlite-schema.ts): the person's terms
 * restricted to the text column, and the scope column narrowing the hits to what the reader may
 * read (and to one conversation), all inside one FTS5 query, so the index does the narrowing and
 * a query costs what its hits cost, not what the room holds.
 */
import type Database from 'libsql';
import * as v from 'valibot';
import { MATCH_END, MATCH_START, type SearchHit } from '../../../protocol/wire/entries';
import type { SearchScope } from './room-store';
import { SNIPPET_ELLIPSIS, SNIPPET_WORDS } from './search-match';
import { ftsExpression, ftsToken, type SearchQuery } from './search-query';
import { peerOf, rowParser } from './sqlite-rows';
import { encodeText, storedTextSchema } from './sqlite-schema';

export interface SearchStatements {
  /**
   * The index's hits for `query` in `scope`, newest first, read `pageSize` at a time for as long
   * as the caller takes more.
   */
  hits(query: SearchQuery, scope: SearchScope, pageSize: number): Generator<SearchHit>;
}

const integer = v.pipe(v.number(), v.safeInteger());
const rowIdSchema = v.tuple([integer]);
const hitRowSchema = v.tuple([
  storedTextSchema,
  integer,
  storedTextSchema,
  storedTextSchema,
  v.picklist([0, 1]),
  integer,
  v.string(),
  integer,
]);

/** The scope token of a person who may read a direct conversation (the schema's `r` + hex). */
const readerToken = (peerId: string): string =>
  `r${Buffer.from(encodeText(peerId), 'utf8').toString('hex')}`;

export function prepareSearchStatements(db: Database.Database, file: string): SearchStatements {
  const parseRow = rowParser(file);
  const conversationRow = db.prepare('SELECT row FROM conversations WHERE id = ?').raw();
  // CROSS JOIN keeps the index as the outer loop: it yields rowids newest first and stops at the
  // LIMIT, instead of SQLite walking a conversation's entries and probing the index for each.
  const page = db
    .prepare(
      `SELECT e.conv, e.seq, e.peer_id, e.peer_name, e.ephemeral, e.ts,
         snippet(text_search, 0, '${MATCH_START}', '${MATCH_END}', '${SNIPPET_ELLIPSIS}', ${SNIPPET_WORDS}),
         text_search.rowid
       FROM text_search CROSS JOIN entries e ON e.row = text_search.rowid
       WHERE text_search MATCH ? AND text_search.rowid < ?
       ORDER BY text_search.rowid DESC LIMIT ?`,
    )
    .raw();

  /** The FTS5 query: the terms in the text, the scope in the scope column. */
  const matchOf = (query: SearchQuery, scope: SearchScope): string | undefined => {
    const readers = `scope : (${ftsToken('rall')} OR ${ftsToken(readerToken(scope.reader))})`;
    let match = `text : (${ftsExpression(query)}) AND ${readers}`;
    if (scope.conv !== undefined) {
      const found = conversationRow.get(encodeText(scope.conv));
      if (found === undefined) return undefined;
      const [row] = parseRow(rowIdSchema, found);
      match += ` AND scope : ${ftsToken(`c${row}`)}`;
    }
    return match;
  };

  return {
    *hits(query, scope, pageSize) {
      const match = matchOf(query, scope);
      if (match === undefined) return;
      let before = Number.MAX_SAFE_INTEGER;
      for (;;) {
        const rows = page.all(match, before, pageSize).map((row) => parseRow(hitRowSchema, row));
        for (const [conv, seq, peer_id, peer_name, ephemeral, ts, snippet, rowid] of rows) {
          before = rowid;
          yield { conv, seq, from: peerOf({ peer_id, peer_name, ephemeral }), ts, snippet };
        }
        if (rows.length < pageSize) return;
      }
    },
  };
}
