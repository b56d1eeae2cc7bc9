/**
 * The data directory on disk: created private, and checked up front so that a permission problem
 * is reported as such. libsql reports a failed open only as "unable to open", which cannot tell
 * a forbidden file from a missing one.
 */
import { accessSync, closeSync, constants, fsyncSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { toStoreError } from './sqlite-errors';

export const DATABASE_FILE_NAME = 'parley.db';
export const LOCK_FILE_NAME = 'parley.lock';

/** Every file SQLite may open in the directory: the database, its log and index, the lock. */
const STORE_FILES = [
  DATABASE_FILE_NAME,
  `${DATABASE_FILE_NAME}-wal`,
  `${DATABASE_FILE_NAME}-shm`,
  LOCK_FILE_NAME,
];

const hasErrno = (error: unknown, code: string): boolean =>
  v.safeParse(v.object({ code: v.literal(code) }), error).success;

function checkAccess(path: string, mode: number, dataFile: string): void {
  try {
    accessSync(path, mode);
  } catch (error) {
    if (hasErrno(error, 'ENOENT')) return;
    throw toStoreError(error, dataFile, `open ${path}`);
  }
}

/**
 * Creates `dir` (mode 0o700) if missing and checks this user may read and write it and every
 * store file already in it. Throws a StoreError ('unreadable' for permissions, else 'io').
 */
export function prepareDataDir(dir: string): { dataFile: string; lockFile: string } {
  const dataFile = join(dir, DATABASE_FILE_NAME);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw toStoreError(error, dir, 'create the data directory');
  }
  // SQLite creates its -wal and -shm files next to the database, so the directory must be writable.
  checkAccess(dir, constants.R_OK | constants.W_OK | constants.X_OK, dataFile);
  for (const name of STORE_FILES) {
    checkAccess(join(dir, name), constants.R_OK | constants.W_OK, dataFile);
  }
  return { dataFile, lockFile: join(dir, LOCK_FILE_NAME) };
}

/** Creates the file with owner-only permissions (SQLite gives its -wal and -shm the same mode). */
export function createPrivateFile(file: string, dir: string): void {
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (error) {
    if (hasErrno(error, 'EEXIST')) return;
    throw error;
  }
  // A new directory entry is only durable once the directory itself is synced.
  const dirHandle = openSync(dir, 'r');
  try {
    fsyncSync(dirHandle);
  } finally {
    closeSync(dirHandle);
  }
}
