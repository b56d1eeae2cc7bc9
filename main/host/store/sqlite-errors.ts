/**
 * Errors of the SQLite history store. Every failure carries a stable `code` and names the file it
 * concerns, so the CLI and the desktop app can tell the user what to do instead of starting a
 * silent fresh room.
 */
import * as v from 'valibot';

export const STORE_ERROR_CODES = [
  /** The file is not a database, fails its integrity check, or has an unknown schema version. */
  'corrupt',
  /** The process may not read or write the file or its directory. */
  'unreadable',
  /** Another Parley host has the directory open. */
  'locked',
  /** Any other failure of the disk or the database engine. */
  'io',
  /** The caller broke the store contract (out-of-order seq, a duplicate say id, a bad argument). */
  'invalid',
  /** The store was used after `close()`. */
  'closed',
] as const;

export type StoreErrorCode = (typeof STORE_ERROR_CODES)[number];

export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly code: StoreErrorCode;
  /** The file (or directory) the error is about. */
  readonly file: string;

  constructor(code: StoreErrorCode, file: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.file = file;
  }
}

const codedErrorSchema = v.object({ code: v.string() });
const messageSchema = v.object({ message: v.string() });

/** SQLite result codes (extended ones share the primary prefix) and errno names, by meaning. */
const CORRUPT = /^SQLITE_(CORRUPT|NOTADB|FORMAT)/;
const LOCKED = /^SQLITE_(BUSY|LOCKED)/;
const UNREADABLE = /^(SQLITE_(CANTOPEN|PERM|READONLY|AUTH)|EACCES$|EPERM$|EROFS$|EISDIR$)/;

/**
 * libsql reports a failed open as a plain Error with an empty code and the SQLite result code
 * only in its text, e.g. `ConnectionFailed("Unable to open connection to local database …: 14")`.
 */
const CONNECTION_FAILED = /^ConnectionFailed\(.*: (\d+)"?\)$/s;
const PRIMARY_RESULT_CODES: Readonly<Record<number, string>> = {
  3: 'SQLITE_PERM',
  5: 'SQLITE_BUSY',
  6: 'SQLITE_LOCKED',
  8: 'SQLITE_READONLY',
  10: 'SQLITE_IOERR',
  11: 'SQLITE_CORRUPT',
  14: 'SQLITE_CANTOPEN',
  23: 'SQLITE_AUTH',
  26: 'SQLITE_NOTADB',
};

function resultCodeName(error: unknown): string | undefined {
  const coded = v.safeParse(codedErrorSchema, error);
  if (coded.success && coded.output.code !== '') return coded.output.code;
  const withMessage = v.safeParse(messageSchema, error);
  const number = withMessage.success
    ? CONNECTION_FAILED.exec(withMessage.output.message)?.[1]
    : undefined;
  return number === undefined ? undefined : PRIMARY_RESULT_CODES[Number(number) & 0xff];
}

function classify(error: unknown): Exclude<StoreErrorCode, 'invalid' | 'closed'> {
  const code = resultCodeName(error);
  if (code === undefined) return 'io';
  if (CORRUPT.test(code)) return 'corrupt';
  if (LOCKED.test(code)) return 'locked';
  if (UNREADABLE.test(code)) return 'unreadable';
  return 'io';
}

export function describeCause(error: unknown): string {
  const withMessage = v.safeParse(messageSchema, error);
  const text = withMessage.success ? withMessage.output.message : String(error);
  const code = resultCodeName(error);
  return code !== undefined && !text.includes(code) ? `${code}: ${text}` : text;
}

/** A damaged or foreign database file: the user has to move it aside or restore a backup. */
export function corruptError(file: string, detail: string, cause?: unknown): StoreError {
  return new StoreError(
    'corrupt',
    file,
    `${file} is damaged or is not a Parley history database (${detail}). ` +
      'Move it aside to start a new room, or restore it from a backup.',
    { cause },
  );
}

export function lockedError(file: string, cause?: unknown): StoreError {
  return new StoreError('locked', file, `${file} is in use by another Parley host`, { cause });
}

/**
 * Wraps any failure of the database engine or the file system in a StoreError naming `file`.
 * `doing` says what the store was doing ("open", "store messages"), for the io case.
 */
export function toStoreError(error: unknown, file: string, doing: string): StoreError {
  if (error instanceof StoreError) return error;
  const detail = describeCause(error);
  switch (classify(error)) {
    case 'corrupt':
      return corruptError(file, detail, error);
    case 'locked':
      return new StoreError(
        'locked',
        file,
        `could not ${doing} in ${file}: another program holds a lock on it (${detail})`,
        { cause: error },
      );
    case 'unreadable':
      return new StoreError(
        'unreadable',
        file,
        `${file} cannot be read and written by this user (${detail})`,
        { cause: error },
      );
    case 'io':
      return new StoreError('io', file, `could not ${doing} in ${file} (${detail})`, {
        cause: error,
      });
  }
}
