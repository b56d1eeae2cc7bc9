import { describe, expect, it } from 'vitest';
import { StoreError, toStoreError } from '../../../../main/host/store/sqlite-errors';

const file = '/data/parley/host/parley.db';

/** The shape of libsql's errors: SqliteError with a code, or a plain Error for a failed open. */
const sqliteError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('toStoreError', () => {
  it.each([
    ['SQLITE_NOTADB', 'corrupt'],
    ['SQLITE_CORRUPT', 'corrupt'],
    ['SQLITE_CORRUPT_INDEX', 'corrupt'],
    ['SQLITE_BUSY', 'locked'],
    ['SQLITE_CANTOPEN', 'unreadable'],
    ['SQLITE_READONLY_DIRECTORY', 'unreadable'],
    ['EACCES', 'unreadable'],
    ['SQLITE_IOERR_FSYNC', 'io'],
    ['SQLITE_FULL', 'io'],
    ['SQLITE_CONSTRAINT_TRIGGER', 'io'],
  ])('maps %s to %s and names the file', (code, expected) => {
    const error = toStoreError(sqliteError(code, 'engine said no'), file, 'store messages');
    expect(error).toBeInstanceOf(StoreError);
    expect(error.code).toBe(expected);
    expect(error.file).toBe(file);
    expect(error.message).toContain(file);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('reads the result code out of a failed libsql open', () => {
    const failedOpen = sqliteError(
      '',
      'ConnectionFailed("Unable to open connection to local database /x/parley.lock: 14")',
    );
    expect(toStoreError(failedOpen, file, 'open').code).toBe('unreadable');
    const busy = sqliteError(
      '',
      'ConnectionFailed("Unable to open connection to local database /x: 5")',
    );
    expect(toStoreError(busy, file, 'open').code).toBe('locked');
  });

  it('turns anything else into io without losing its text', () => {
    const error = toStoreError('disk on fire', file, 'store messages');
    expect(error.code).toBe('io');
    expect(error.message).toBe(`could not store messages in ${file} (disk on fire)`);
  });

  it('passes a StoreError through unchanged', () => {
    const original = new StoreError('corrupt', file, 'already explained');
    expect(toStoreError(original, '/other', 'open')).toBe(original);
  });
});
