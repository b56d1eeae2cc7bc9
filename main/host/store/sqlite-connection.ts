/**
 * Opening parley.db with the settings durability depends on, and checking it is sound before the
 * store trusts a single row of it.
 */
import Database from 'libsql';
import * as v from 'valibot';
import { corruptError, StoreError, toStoreError } from './sqlite-errors';
import { createPrivateFile } from './sqlite-files';
import { rebuildSearchIndex, SEARCH_INDEX_DAMAGE } from './sqlite-search-index';

/**
 * How long a write waits for a lock held by another connection: the checkpoint worker's
 * (wal-checkpointer.ts), for the moment a copy and a commit meet on the log's locks, or a stray
 * reader (a `sqlite3` shell, a backup tool). The directory lock keeps other hosts out.
 */
export const BUSY_TIMEOUT_MS = 2000;

const rowsSchema = v.array(v.record(v.string(), v.unknown()));

/** Runs a pragma and returns the first column of each row. */
export function pragmaValues(db: Database.Database, pragma: string): unknown[] {
  const rows = v.parse(rowsSchema, db.prepare(`PRAGMA ${pragma}`).all());
  return rows.map((row) => Object.values(row)[0]);
}

export function pragmaNumber(db: Database.Database, pragma: string, file: string): number {
  const [value] = pragmaValues(db, pragma);
  const parsed = v.safeParse(v.pipe(v.number(), v.integer()), value);
  if (!parsed.success) throw corruptError(file, `PRAGMA ${pragma} returned ${String(value)}`);
  return parsed.output;
}

function configure(db: Database.Database, file: string): void {
  db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // WAL: a commit appends to the log instead of rewriting pages, and a torn tail is detected by
  // the frame checksums and dropped on recovery. NORMAL: a commit does not fsync the log itself;
  // the store syncs it off the event loop before any append of that commit resolves
  // (wal-sync.ts), so an acknowledged message survives power loss, not only a process crash.
  const [mode] = pragmaValues(db, 'journal_mode = WAL');
  if (mode !== 'wal') {
    throw new StoreError('io', file, `${file} cannot use WAL mode (journal mode ${String(mode)})`);
  }
  // fullfsync: on macOS a plain fsync leaves the data in the drive's cache; elsewhere a no-op.
  // (libuv's fsync of the log already uses F_FULLFSYNC there.)
  db.exec('PRAGMA synchronous = NORMAL; PRAGMA fullfsync = ON; PRAGMA checkpoint_fullfsync = ON');
  // A deleted message is purged, not hidden: SQLite overwrites what a write frees (cells, pages)
  // with zeros instead of leaving the old bytes in the file.
  db.exec('PRAGMA secure_delete = ON');
  // journal_size_limit stays at its default: the log is rewritten in place after a checkpoint,
  // never cut and grown again, because a sync that also has to write a new file size takes about
  // twice as long. The old frames it keeps (a deleted text among them) are cut once a delete is
  // durable (sqlite-room-store.ts) and at close.
  let problems = pragmaValues(db, 'quick_check');
  if (problems.length > 0 && problems.every((problem) => problem === SEARCH_INDEX_DAMAGE)) {
    // The search index is derived from the texts: when it alone is wrong, it is made anew.
    inTransaction(db, () => rebuildSearchIndex(db));
    problems = pragmaValues(db, 'quick_check');
  }
  if (problems.length !== 1 || problems[0] !== 'ok') {
    const first = problems.slice(0, 3).map(String).join('; ');
    throw corruptError(file, `integrity check failed: ${first}`);
  }
}

/**
 * Opens (creating if need be) the database file, recovers its WAL and checks its integrity.
 * Throws a StoreError naming the file.
 */
export function openDatabase(file: string, dir: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    createPrivateFile(file, dir);
    db = new Database(file);
    configure(db, file);
    return db;
  } catch (error) {
    db?.close();
    throw toStoreError(error, file, 'open the history');
  }
}

/**
 * Runs `work` in one write transaction. Unlike libsql's `transaction()`, a failing ROLLBACK (the
 * engine may already have rolled back on its own) never hides the error that caused it.
 */
export function inTransaction<T>(db: Database.Database, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.inTransaction) {
      try {
        db.exec('ROLLBACK');
      } catch {
        // The original error is the one worth reporting; the transaction is gone either way.
      }
    }
    throw error;
  }
}
