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
 * Every TEXT column holds its string JSON-encoded. libsql cuts a TEXT value at its first NUL when
 * reading it back and replaces lone surrogates when binding, and chat text or a client-chosen say
 * id may contain either; JSON escapes both, so every string comes back exactly as it was given
 * and two different say ids never collide in UNIQUE (peer_id, say_id).
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
];

export const SCHEMA_VERSION = MIGRATIONS.length;

const roomRowSchema = v.object({
  id: v.pipe(storedTextSchema, v.minLength(1)),
  name: storedTextSchema,
});
const countRowSchema = v.object({ count: v.number() });

function migrate(db: Database.Database, from: number): void {
  for (const sql of MIGRATIONS.slice(from)) db.exec(sql);
  // Pragmas take no bound parameters; both values are constants of this module.
  db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
}

function createRoom(db: Database.Database, room: RoomInfo): void {
  db.exec(`PRAGMA application_id = ${PARLEY_APPLICATION_ID}`);
  migrate(db, 0);
  db.prepare('INSERT INTO room (singleton, id, name, created) VALUES (1, ?, ?, ?)').run(
    encodeText(room.id),
    encodeText(room.name),
    Date.now(),
  );
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

const TABLES = ['room', 'messages', 'sessions'] as const;

function readRoom(db: Database.Database, file: string): RoomInfo {
  const present = v.parse(
    countRowSchema,
    db
      .prepare(
        `SELECT count(*) AS count FROM sqlite_schema WHERE type = 'table' AND name IN (?, ?, ?)`,
      )
      .get(...TABLES),
  ).count;
  if (present !== TABLES.length) throw corruptError(file, 'some of its tables are missing');
  const row = db.prepare('SELECT id, name FROM room WHERE singleton = 1').get();
  const room = v.safeParse(roomRowSchema, row);
  if (!room.success) throw corruptError(file, 'the room record is missing');
  return { id: room.output.id, name: room.output.name };
}
