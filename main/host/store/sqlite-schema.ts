/**
 * The layout of parley.db and its versioning. `PRAGMA application_id` marks the file as Parley's
 * and `PRAGMA user_version` holds the schema version; both live in the database header, so they
 * change atomically with the schema itself.
 */
import type Database from 'libsql';
import * as v from 'valibot';
import type { RoomInfo } from '../../../protocol/wire/frames';
import { inTransaction, pragmaNumber } from './sqlite-connection';
import { corruptError } from './sqlite-errors';

/**
 * Every TEXT column holds JSON: a string JSON-encoded (a list of files as a JSON array). libsql
 * cuts a TEXT value at its first NUL when reading it back and replaces lone surrogates when
 * binding, and chat text or a client-chosen say id may contain either; JSON escapes both, so
 * every string comes back exactly as it was given and two different say ids never collide in
 * UNIQUE (peer_id, say_id). (A full-text index reads the text through json_extract(text, '$').)
 */
export const encodeText = (value: string): string => JSON.stringify(value);

export const storedTextSchema = v.pipe(
  v.string(),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    try {
      const value: unknown = JSON.parse(dataset.value);
      if (typeof value === 'string') return value;
    } catch {
      // Reported below, like any value that is not an encoded string.
    }
    addIssue({ message: 'not a JSON-encoded string' });
    return NEVER;
  }),
);

/** "Prly" in ASCII. */
export const PARLEY_APPLICATION_ID = 0x50726c79;

/**
 * MIGRATIONS[n] takes the schema from version n to n + 1; the current version is their count.
 * A future change appends an entry here and never edits an earlier one.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE room (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    created INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE messages (
    seq INTEGER PRIMARY KEY CHECK (seq >= 1),
    say_id TEXT NOT NULL,
    peer_id TEXT NOT NULL,
    peer_name TEXT NOT NULL,
    text TEXT NOT NULL,
    ts INTEGER NOT NULL,
    UNIQUE (peer_id, say_id)
  ) STRICT;

  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    peer_id TEXT NOT NULL,
    peer_name TEXT NOT NULL,
    created INTEGER NOT NULL,
    last_used INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;
  `,
  // Protocol v2: conversations, each with its own log, all logs in one table. The v1 room log
  // becomes general's, message for message (v1 peers had no identity: they are ephemeral).
  `
  CREATE TABLE conversations (
    row INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('"channel"', '"direct"')),
    name TEXT,
    name_key TEXT UNIQUE,
    topic TEXT,
    creator TEXT,
    created INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE members (
    row INTEGER PRIMARY KEY,
    conv TEXT NOT NULL,
    peer_id TEXT NOT NULL,
    UNIQUE (conv, peer_id)
  ) STRICT;

  CREATE TABLE entries (
    row INTEGER PRIMARY KEY,
    conv TEXT NOT NULL,
    seq INTEGER NOT NULL CHECK (seq >= 1),
    say_id TEXT NOT NULL,
    peer_id TEXT NOT NULL,
    peer_name TEXT NOT NULL,
    ephemeral INTEGER NOT NULL CHECK (ephemeral IN (0, 1)),
    ts INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('"text"', '"edit"', '"delete"', '"reaction"', '"system"')),
    target INTEGER,
    text TEXT,
    emoji TEXT,
    reaction_on INTEGER CHECK (reaction_on IN (0, 1)),
    event TEXT,
    name TEXT,
    topic TEXT,
    UNIQUE (conv, seq),
    UNIQUE (peer_id, say_id)
  ) STRICT;
  CREATE INDEX entries_by_target ON entries (conv, target) WHERE target IS NOT NULL;

  CREATE TABLE text_state (
    row INTEGER PRIMARY KEY,
    text TEXT NOT NULL,
    reply_to INTEGER,
    files TEXT,
    edited INTEGER,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
  ) STRICT;

  CREATE TABLE reactions (
    row INTEGER PRIMARY KEY,
    conv TEXT NOT NULL,
    target INTEGER NOT NULL,
    emoji TEXT NOT NULL,
    peer_id TEXT NOT NULL,
    UNIQUE (conv, target, emoji, peer_id)
  ) STRICT;

  CREATE TABLE read_markers (
    peer_id TEXT NOT NULL,
    conv TEXT NOT NULL,
    seq INTEGER NOT NULL CHECK (seq >= 0),
    PRIMARY KEY (peer_id, conv)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE identities (
    peer_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    last_seen INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;

  ALTER TABLE sessions ADD COLUMN ephemeral INTEGER NOT NULL DEFAULT 1 CHECK (ephemeral IN (0, 1));
  CREATE INDEX sessions_by_last_used ON sessions (last_used);

  INSERT INTO conversations (id, kind, name, name_key, created)
    SELECT '"general"', '"channel"', '"general"', '"general"', created FROM room;
  INSERT INTO entries (row, conv, seq, say_id, peer_id, peer_name, ephemeral, ts, kind)
    SELECT seq, '"general"', seq, say_id, peer_id, peer_name, 1, ts, '"text"' FROM messages;
  INSERT INTO text_state (row, text) SELECT seq, text FROM messages;
  DROP TABLE messages;
  `,
  // Full-text search (search-query.ts, sqlite-search.ts): an FTS5 index over the current text of
  // every text entry not deleted, with external content (the text lives once, in text_state) and
  // kept current by triggers. Besides the text it indexes a `scope`: the entry's conversation
  // (c + its conversations.row) and who may read it (rall for channels, r + hex of each member's
  // peer id for a direct conversation), so the index itself narrows a search to one conversation
  // or to what one person may read. A 'delete' must repeat the values indexed (FTS5 removes
  // exactly those tokens), so the triggers read them through the same expressions; a direct
  // conversation's members and a conversation's row never change. secure-delete makes a delete
  // remove the tokens from the index's pages instead of adding a delete marker beside them (the
  // default), so a deleted message's words leave the file at once rather than at some later
  // merge. The SQLite of libsql 0.5 (3.45.1) leaves a segment that secure-delete emptied in
  // place, and its integrity check then calls the index malformed (queries are right); a small
  // merge after each delete folds such a segment into its neighbours (sqlite-connection.ts
  // rebuilds the index for the rare one left alone on its level). Texts are JSON in text_state:
  // the index reads them decoded, NUL as a space. Every typed word is a prefix: FTS5 reads a
  // prefix of 1 to 6 characters from its own prefix index, lazily, newest first, stopping at the
  // limit, while a longer prefix merges the whole doclists of every word it begins (few words
  // share 7 characters), so these six lengths keep a search's cost to what it returns.
  `
  CREATE VIEW text_search_scopes (row, scope) AS
    SELECT e.row, 'c' || c.row || ' ' || CASE c.kind
      WHEN '"direct"' THEN (
        SELECT 'r' || hex(min(m.peer_id)) || ' r' || hex(max(m.peer_id))
        FROM members m WHERE m.conv = e.conv
      )
      ELSE 'rall'
    END
    FROM entries e JOIN conversations c ON c.id = e.conv;

  CREATE VIEW text_search_source (row, text, scope) AS
    SELECT t.row, replace(json_extract(t.text, '$'), char(0), ' '), s.scope
    FROM text_state t JOIN text_search_scopes s ON s.row = t.row
    WHERE t.deleted = 0;

  CREATE VIRTUAL TABLE text_search USING fts5 (
    text, scope,
    content = 'text_search_source', content_rowid = 'row',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4 5 6'
  );
  INSERT INTO text_search (text_search, rank) VALUES ('secure-delete', 1);

  CREATE TRIGGER text_search_insert AFTER INSERT ON text_state WHEN new.deleted = 0 BEGIN
    INSERT INTO text_search (rowid, text, scope)
      SELECT row, text, scope FROM text_search_source WHERE row = new.row;
  END;
  CREATE TRIGGER text_search_update AFTER UPDATE OF text, deleted ON text_state BEGIN
    INSERT INTO text_search (text_search, rowid, text, scope)
      SELECT 'delete', old.row, replace(json_extract(old.text, '$'), char(0), ' '), scope
      FROM text_search_scopes WHERE row = old.row AND old.deleted = 0;
    INSERT INTO text_search (rowid, text, scope)
      SELECT row, text, scope FROM text_search_source WHERE row = new.row;
    INSERT INTO text_search (text_search, rank) SELECT 'merge', -1 WHERE old.deleted = 0;
  END;
  CREATE TRIGGER text_search_delete AFTER DELETE ON text_state WHEN old.deleted = 0 BEGIN
    INSERT INTO text_search (text_search, rowid, text, scope)
      SELECT 'delete', old.row, replace(json_extract(old.text, '$'), char(0), ' '), scope
      FROM text_search_scopes WHERE row = old.row;
    INSERT INTO text_search (text_search, rank) VALUES ('merge', -1);
  END;

  INSERT INTO text_search (text_search) VALUES ('rebuild');
  `,
  // Files (issue 14; file-book.ts, sqlite-file-book.ts): the room file secret, finished uploads,
  // stored files, and file_refs: which text entries list which file ids now, kept by triggers on
  // text_state (a deleted message's files are purged from text_state, so its refs go with them in
  // the same commit). Ids are JSON-encoded like every TEXT column.
  `
  CREATE TABLE file_secret (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    secret BLOB NOT NULL
  ) STRICT;

  CREATE TABLE file_uploads (
    upload_id TEXT PRIMARY KEY,
    file_id TEXT NOT NULL,
    peer_id TEXT NOT NULL,
    conv TEXT NOT NULL,
    name TEXT NOT NULL,
    finished INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX file_uploads_by_file ON file_uploads (file_id, peer_id, conv, finished);
  CREATE INDEX file_uploads_by_finished ON file_uploads (finished);

  CREATE TABLE file_blobs (
    id TEXT PRIMARY KEY,
    size INTEGER NOT NULL CHECK (size >= 0),
    mime TEXT NOT NULL,
    width INTEGER,
    height INTEGER,
    thumb TEXT,
    created INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX file_blobs_by_thumb ON file_blobs (thumb) WHERE thumb IS NOT NULL;

  CREATE TABLE file_refs (
    file_id TEXT NOT NULL,
    row INTEGER NOT NULL,
    PRIMARY KEY (file_id, row)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX file_refs_by_row ON file_refs (row);

  CREATE TRIGGER file_refs_insert AFTER INSERT ON text_state WHEN new.files IS NOT NULL BEGIN
    INSERT OR IGNORE INTO file_refs (file_id, row)
      SELECT json_quote(json_extract(f.value, '$.id')), new.row FROM json_each(new.files) f
      WHERE json_type(f.value, '$.id') = 'text';
  END;
  CREATE TRIGGER file_refs_update AFTER UPDATE OF files ON text_state BEGIN
    DELETE FROM file_refs WHERE row = old.row;
    INSERT OR IGNORE INTO file_refs (file_id, row)
      SELECT json_quote(json_extract(f.value, '$.id')), new.row FROM json_each(new.files) f
      WHERE new.files IS NOT NULL AND json_type(f.value, '$.id') = 'text';
  END;
  CREATE TRIGGER file_refs_delete AFTER DELETE ON text_state BEGIN
    DELETE FROM file_refs WHERE row = old.row;
  END;

  INSERT OR IGNORE INTO file_refs (file_id, row)
    SELECT json_quote(json_extract(f.value, '$.id')), t.row FROM text_state t, json_each(t.files) f
    WHERE t.files IS NOT NULL AND json_type(f.value, '$.id') = 'text';
  `,
  // Deferred search indexing (sqlite-search-indexer.ts): a new text is no longer indexed in the
  // commit that stores it, where FTS5 flushed a segment of its own for every commit (most of an
  // append's cost at one message per turn), but in batches after it. search_progress.upto is the
  // highest text_state row the index has seen; the triggers keep the index current for those rows
  // only, and the indexer adds the rows after it (in their current state) before any search.
  `
  CREATE TABLE search_progress (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    upto INTEGER NOT NULL
  ) STRICT;
  INSERT INTO search_progress (singleton, upto) SELECT 1, coalesce(max(row), 0) FROM text_state;

  DROP TRIGGER text_search_insert;
  DROP TRIGGER text_search_update;
  DROP TRIGGER text_search_delete;
  CREATE TRIGGER text_search_update AFTER UPDATE OF text, deleted ON text_state
  WHEN old.row <= (SELECT upto FROM search_progress) BEGIN
    INSERT INTO text_search (text_search, rowid, text, scope)
      SELECT 'delete', old.row, replace(json_extract(old.text, '$'), char(0), ' '), scope
      FROM text_search_scopes WHERE row = old.row AND old.deleted = 0;
    INSERT INTO text_search (rowid, text, scope)
      SELECT row, text, scope FROM text_search_source WHERE row = new.row;
    INSERT INTO text_search (text_search, rank) SELECT 'merge', -1 WHERE old.deleted = 0;
  END;
  CREATE TRIGGER text_search_delete AFTER DELETE ON text_state
  WHEN old.deleted = 0 AND old.row <= (SELECT upto FROM search_progress) BEGIN
    INSERT INTO text_search (text_search, rowid, text, scope)
      SELECT 'delete', old.row, replace(json_extract(old.text, '$'), char(0), ' '), scope
      FROM text_search_scopes WHERE row = old.row;
    INSERT INTO text_search (text_search, rank) VALUES ('merge', -1);
  END;
  `,
];

/*
 * The tables of schema version 2, for whoever reads the file:
 * - conversations: general, the channels and the direct conversations; `row` is creation order,
 *   name_key (channels) is nameKey(name), unique.
 * - members: a channel's joined members and a direct conversation's two peers, `row` in join
 *   order (general has none: everyone is in it).
 * - entries: every entry of every log, with the fields of its kind (text entries keep theirs in
 *   text_state). `row` is an INTEGER PRIMARY KEY so it survives VACUUM: a full-text index
 *   (FTS5, external content) can key on it. An edit's text is emptied when its target is deleted.
 * - text_state: the current state of each text entry (row = the entry's row): latest text,
 *   reply_to, files (JSON array), edited (ts), deleted (text and files purged).
 * - reactions: who reacts with what now, `row` in reaction order.
 * - read_markers, identities (the name an identity last used), sessions (resume tokens by hash;
 *   pruned by last_used).
 * Schema version 3 adds the search index: text_search (FTS5 over the view text_search_source,
 * with its shadow tables text_search_data, _idx, _docsize and _config) and its triggers.
 * Schema version 4 adds files: file_secret, file_uploads, file_blobs, file_refs (kept by
 * triggers on text_state); see sqlite-file-book.ts.
 * Schema version 5 indexes texts for search in batches after their commit: search_progress.
 */

export const SCHEMA_VERSION = MIGRATIONS.length;

const roomRowSchema = v.object({
  id: v.pipe(storedTextSchema, v.minLength(1)),
  name: storedTextSchema,
});
const countRowSchema = v.object({ count: v.number() });

function migrate(db: Database.Database, from: number, to = SCHEMA_VERSION): void {
  for (const sql of MIGRATIONS.slice(from, to)) db.exec(sql);
  // Pragmas take no bound parameters; the value is a constant of this module.
  db.exec(`PRAGMA user_version = ${to}`);
}

/** A new room takes the path of a version 1 room being upgraded, so there is only one path. */
function createRoom(db: Database.Database, room: RoomInfo): void {
  db.exec(`PRAGMA application_id = ${PARLEY_APPLICATION_ID}`);
  migrate(db, 0, 1);
  db.prepare('INSERT INTO room (singleton, id, name, created) VALUES (1, ?, ?, ?)').run(
    encodeText(room.id),
    encodeText(room.name),
    Date.now(),
  );
  migrate(db, 1);
}

/**
 * Creates the schema and the room in an empty database, upgrades an older schema, or refuses a
 * file that is not a Parley history of a known version. Returns the room stored in the file.
 */
export function prepareSchema(
  db: Database.Database,
  file: string,
  roomName: string,
  createRoomId: () => string,
): RoomInfo {
  const applicationId = pragmaNumber(db, 'application_id', file);
  const version = pragmaNumber(db, 'user_version', file);
  const tables = v.parse(
    countRowSchema,
    db.prepare('SELECT count(*) AS count FROM sqlite_schema').get(),
  ).count;

  if (applicationId === 0 && version === 0 && tables === 0) {
    inTransaction(db, () => createRoom(db, { id: createRoomId(), name: roomName }));
  } else if (applicationId !== PARLEY_APPLICATION_ID) {
    throw corruptError(file, 'it belongs to another application');
  } else if (version < 1 || version > SCHEMA_VERSION) {
    throw corruptError(
      file,
      `unknown schema version ${version}; this Parley knows versions 1 to ${SCHEMA_VERSION}`,
    );
  } else if (version < SCHEMA_VERSION) {
    inTransaction(db, () => migrate(db, version));
  }

  return readRoom(db, file);
}

const TABLES = [
  'room',
  'conversations',
  'members',
  'entries',
  'text_state',
  'reactions',
  'read_markers',
  'identities',
  'sessions',
  'text_search',
  'file_secret',
  'file_uploads',
  'file_blobs',
  'file_refs',
  'search_progress',
] as const;

function readRoom(db: Database.Database, file: string): RoomInfo {
  const names = TABLES.map(() => '?').join(', ');
  const present = v.parse(
    countRowSchema,
    db
      .prepare(
        `SELECT count(*) AS count FROM sqlite_schema WHERE type = 'table' AND name IN (${names})`,
      )
      .get(...TABLES),
  ).count;
  if (present !== TABLES.length) throw corruptError(file, 'some of its tables are missing');
  const row = db.prepare('SELECT id, name FROM room WHERE singleton = 1').get();
  const room = v.safeParse(roomRowSchema, row);
  if (!room.success) throw corruptError(file, 'the room record is missing');
  return { id: room.output.id, name: room.output.name };
}
