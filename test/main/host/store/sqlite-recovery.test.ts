/**
 * A damaged, foreign, busy or forbidden history must never turn into a silent fresh room: the
 * store either recovers every committed entry or refuses with a StoreError naming the file.
 */
import Database from 'libsql';
import {
  chmodSync,
  openSync,
  closeSync,
  ftruncateSync,
  fstatSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RoomStore } from '../../../../main/host/store/room-store';
import { openSqliteStore, StoreError } from '../../../../main/host/store/sqlite-store';
import { fixtureConversation, fixtureEntry } from '../../../fixtures/store/fixture-entries';
import { appendMany, everything } from './entry-kit';
import { expectFixtureLogs, fixtureCount } from './fixture-check';
import {
  buildFixture,
  killStrayFixtures,
  copyStoreFiles,
  openUp,
  runFixture,
  tempDirs,
} from './sqlite-test-kit';

const dirs = tempDirs('sqlite-recovery');
let childScript = '';

beforeAll(async () => {
  const buildDir = dirs.make();
  openUp(buildDir);
  childScript = await buildFixture('store-child', buildDir);
});
afterEach(() => killStrayFixtures());
afterAll(() => {
  killStrayFixtures();
  dirs.removeAll();
});

const LINE_TIMEOUT_MS = 15_000;
const PAGE_SIZE = 4096;
const WAL_FRAME_SIZE = 24 + PAGE_SIZE;

async function openError(dir: string): Promise<StoreError> {
  const outcome: unknown = await openSqliteStore(dir, 'Should not exist').then(
    async (store) => {
      await store.close();
      return 'opened';
    },
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(StoreError);
  return outcome as StoreError;
}

/** Appends the fixture's next entry and checks it reads back. */
async function appendNextFixture(store: RoomStore): Promise<void> {
  const conv = fixtureConversation(fixtureCount(store));
  const next = fixtureEntry(conv, store.lastSeq(conv) + 1);
  await store.append(next);
  expect(store.page(conv, next.seq + 1, 1)).toEqual([next]);
}

/** Overwrites or cuts the last `bytes` of a file. */
function damageTail(file: string, bytes: number, how: 'truncate' | 'garble'): void {
  const handle = openSync(file, 'r+');
  try {
    const { size } = fstatSync(handle);
    if (how === 'truncate') ftruncateSync(handle, size - bytes);
    else writeSync(handle, Buffer.alloc(bytes, 0xa5), 0, bytes, size - bytes);
  } finally {
    closeSync(handle);
  }
}

describe('SQLite store: a torn write-ahead log', () => {
  const BURSTS = 20;
  const BURST_SIZE = 10;
  let crashedDir = '';
  let roomId = '';
  let acknowledged = 0;

  beforeAll(async () => {
    // A writer killed without closing leaves its commits in parley.db-wal, not yet checkpointed.
    crashedDir = dirs.make();
    const fixture = runFixture(childScript, [
      crashedDir,
      'fill',
      String(BURSTS),
      String(BURST_SIZE),
    ]);
    const opened = JSON.parse(
      await fixture.waitForLine((line) => line.startsWith('{'), LINE_TIMEOUT_MS),
    ) as {
      room: { id: string };
    };
    roomId = opened.room.id;
    await fixture.waitForLine((line) => line.startsWith('filled '), LINE_TIMEOUT_MS);
    fixture.child.kill('SIGKILL');
    await fixture.exited;
    acknowledged = BURSTS * BURST_SIZE;
    expect(statSync(join(crashedDir, 'parley.db-wal')).size).toBeGreaterThan(
      WAL_FRAME_SIZE * BURSTS,
    );
  });

  const damages: [string, (wal: string) => void][] = [
    ['a last frame cut short', (wal) => damageTail(wal, 100, 'truncate')],
    ['a last frame with garbage bytes', (wal) => damageTail(wal, 100, 'garble')],
    ['the final frame missing', (wal) => damageTail(wal, WAL_FRAME_SIZE, 'truncate')],
  ];

  it.each(damages)('recovers every earlier commit from %s', async (_label, damage) => {
    const dir = dirs.make();
    copyStoreFiles(crashedDir, dir);
    damage(join(dir, 'parley.db-wal'));
    const store = await openSqliteStore(dir, 'Not a new room');
    try {
      expect(store.room.id).toBe(roomId);
      // Only the last commit (the burst being written) may be lost, never an earlier one.
      expect(fixtureCount(store)).toBeGreaterThanOrEqual(acknowledged - BURST_SIZE);
      expect(fixtureCount(store)).toBeLessThanOrEqual(acknowledged);
      expectFixtureLogs(store);
      await appendNextFixture(store);
    } finally {
      await store.close();
    }
  });

  it('recovers all of it when the log is intact', async () => {
    const dir = dirs.make();
    copyStoreFiles(crashedDir, dir);
    const store = await openSqliteStore(dir, 'Not a new room');
    expect(store.room.id).toBe(roomId);
    expect(fixtureCount(store)).toBe(acknowledged);
    expectFixtureLogs(store);
    await store.close();
  });
});

describe('SQLite store: a damaged parley.db after a checkpoint', () => {
  let cleanDir = '';
  let roomId = '';
  let entryCount = 0;

  beforeAll(async () => {
    cleanDir = dirs.make();
    const store = await openSqliteStore(cleanDir, 'Damaged');
    roomId = store.room.id;
    for (let round = 0; round < 6; round++) await appendMany(store, 50);
    entryCount = store.lastSeq('general');
    await store.close();
    expect(statSync(join(cleanDir, 'parley.db')).size).toBeGreaterThan(8 * PAGE_SIZE);
  });

  const damages: [string, (db: string) => void][] = [
    ['half its last page cut off', (db) => damageTail(db, PAGE_SIZE / 2, 'truncate')],
    ['its last page cut off', (db) => damageTail(db, PAGE_SIZE, 'truncate')],
    ['its last page overwritten', (db) => damageTail(db, PAGE_SIZE, 'garble')],
    ['its last 100 bytes overwritten', (db) => damageTail(db, 100, 'garble')],
  ];

  it.each(damages)('with %s: recovers everything or refuses as corrupt', async (_label, damage) => {
    const dir = dirs.make();
    copyStoreFiles(cleanDir, dir);
    damage(join(dir, 'parley.db'));
    const outcome = await openSqliteStore(dir, 'Not a new room').then(
      (store) => store,
      (error: unknown) => error,
    );
    if (outcome instanceof StoreError) {
      expect(outcome.code).toBe('corrupt');
      expect(outcome.message).toContain(join(dir, 'parley.db'));
      return;
    }
    const store = outcome as RoomStore;
    try {
      expect(store.room.id).toBe(roomId);
      expect(everything(store)).toHaveLength(entryCount);
    } finally {
      await store.close();
    }
  });

  it('refuses a file missing whole pages as corrupt, naming it, again on every try', async () => {
    const dir = dirs.make();
    copyStoreFiles(cleanDir, dir);
    damageTail(join(dir, 'parley.db'), 2 * PAGE_SIZE, 'truncate');
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await openError(dir);
      // A second attempt is refused for the same reason: the failed open released the directory.
      expect(error.code).toBe('corrupt');
      expect(error.message).toContain(`${join(dir, 'parley.db')} is damaged`);
    }
  });
});

describe('SQLite store: files it must refuse', () => {
  it('refuses a parley.db that is not a database', async () => {
    const dir = dirs.make();
    writeFileSync(join(dir, 'parley.db'), 'chat log\n'.repeat(200));
    const error = await openError(dir);
    expect(error.code).toBe('corrupt');
    expect(error.file).toBe(join(dir, 'parley.db'));
    expect(error.message).toContain(join(dir, 'parley.db'));
  });

  it('refuses an SQLite database of another application', async () => {
    const dir = dirs.make();
    const other = new Database(join(dir, 'parley.db'));
    other.exec('CREATE TABLE notes (body TEXT)');
    other.close();
    const error = await openError(dir);
    expect(error.code).toBe('corrupt');
    expect(error.message).toContain('another application');
  });

  it('refuses an unknown schema version', async () => {
    const dir = dirs.make();
    await (await openSqliteStore(dir, 'Future')).close();
    const raw = new Database(join(dir, 'parley.db'));
    raw.exec('PRAGMA user_version = 99');
    raw.close();
    const error = await openError(dir);
    expect(error.code).toBe('corrupt');
    expect(error.message).toContain('unknown schema version 99');
  });

  it('refuses a Parley file whose tables are gone', async () => {
    const dir = dirs.make();
    await (await openSqliteStore(dir, 'Dropped')).close();
    const raw = new Database(join(dir, 'parley.db'));
    raw.exec('DROP TABLE entries');
    raw.close();
    const error = await openError(dir);
    expect(error.code).toBe('corrupt');
  });

  it('refuses a second store on the same directory in one process, then lets it in after close', async () => {
    const dir = dirs.make();
    const first = await openSqliteStore(dir, 'First');
    const error = await openError(dir);
    expect(error.code).toBe('locked');
    expect(error.message).toBe(`${join(dir, 'parley.db')} is in use by another Parley host`);
    // The refused attempt must not have released the first store's lock on its way out.
    expect((await openError(dir)).code).toBe('locked');
    await appendMany(first, 3);
    await first.close();
    const second = await openSqliteStore(dir, 'Second');
    expect(second.room.name).toBe('First');
    expect(second.lastSeq('general')).toBe(3);
    await second.close();
  });

  it('treats an overwritten lock file as free, since it never holds data', async () => {
    const dir = dirs.make();
    await (await openSqliteStore(dir, 'Lock')).close();
    writeFileSync(join(dir, 'parley.lock'), 'not a database at all '.repeat(50));
    const store = await openSqliteStore(dir, 'Ignored');
    expect(store.room.name).toBe('Lock');
    await store.close();
  });

  it('reports a history the user may not read as unreadable, naming the file', async () => {
    // Root reads anything, so under root the opener is a child running as `nobody`.
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const parent = dirs.make();
    openUp(parent);
    const dir = join(parent, 'host');
    await (await openSqliteStore(dir, 'Private')).close();
    chmodSync(join(dir, 'parley.db'), 0o000);
    const child = runFixture(childScript, [dir, 'open'], asNobody);
    const result = JSON.parse(
      await child.waitForLine((line) => line.startsWith('{'), LINE_TIMEOUT_MS),
    ) as {
      ok: boolean;
      code: string;
      message: string;
    };
    await child.exited;
    expect(result, result.message).toMatchObject({ ok: false, code: 'unreadable' });
    expect(result.message).toContain(join(dir, 'parley.db'));
  });

  it('refuses a data directory path that is a file', async () => {
    const parent = dirs.make();
    const notADir = join(parent, 'file');
    writeFileSync(notADir, 'x');
    const error = await openError(join(notADir, 'host'));
    expect(error.code).toBe('io');
    expect(error.message).toContain(join(notADir, 'host'));
  });
});
