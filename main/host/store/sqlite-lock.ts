/**
 * One Parley host per data directory. Two hosts sharing a history would hand out the same seqs,
 * so the second one must fail with a clear error.
 *
 * The lock is an exclusive SQLite transaction held open on a small side file. SQLite takes it
 * with kernel file locks, so it works across processes and between connections of one process,
 * and the kernel drops it when the holder dies, even by SIGKILL: no stale lock file to clean up.
 *
 * Why a side file instead of `locking_mode = EXCLUSIVE` on parley.db: libsql closes a connection
 * only once every prepared statement on it is garbage-collected, so an exclusive lock on the
 * history itself would outlive `close()` and refuse a reopen. The lock connection only ever runs
 * `exec` (no prepared statements), so closing it releases the lock at once.
 */
import Database from 'libsql';
import { truncateSync } from 'node:fs';
import { lockedError, toStoreError } from './sqlite-errors';

export interface DirectoryLock {
  /** Releases the lock. Idempotent. */
  release(): void;
}

const TAKE_LOCK = [
  // No journal: the lock file never holds data, and this keeps the directory free of -journal files.
  'PRAGMA journal_mode = OFF',
  'PRAGMA locking_mode = EXCLUSIVE',
  'BEGIN EXCLUSIVE',
].join(';\n');

function tryLock(lockFile: string): Database.Database {
  // timeout 0: a held lock is reported at once instead of blocking the event loop.
  const db = new Database(lockFile, { timeout: 0 });
  try {
    db.exec(TAKE_LOCK);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Takes the directory lock through `lockFile`; errors name `dataFile`, the file the user knows.
 * Throws a StoreError: 'locked' when another host holds it, 'unreadable' or 'io' otherwise.
 */
export function acquireDirectoryLock(lockFile: string, dataFile: string): DirectoryLock {
  const explain = (error: unknown) => {
    const storeError = toStoreError(error, dataFile, 'lock the history');
    return storeError.code === 'locked' ? lockedError(dataFile, error) : storeError;
  };
  let db: Database.Database;
  try {
    db = tryLock(lockFile);
  } catch (first) {
    const error = explain(first);
    if (error.code !== 'corrupt') throw error;
    // The lock file holds nothing; if something overwrote it, an empty file is a valid lock again.
    try {
      truncateSync(lockFile, 0);
      db = tryLock(lockFile);
    } catch (second) {
      throw explain(second);
    }
  }
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      db.close();
    },
  };
}
