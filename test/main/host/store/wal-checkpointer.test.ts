/**
 * Checkpoints off the event loop: once the log has grown, a worker thread folds it back into the
 * file and the host's connection stops checkpointing inside its commits; the log still starts
 * over after each checkpoint, so it stays bounded, a delete can still cut it to nothing, and
 * nothing is lost.
 */
import Database from 'libsql';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUSY_TIMEOUT_MS, pragmaNumber } from '../../../../main/host/store/sqlite-connection';
import { CHECKPOINT_PAGES, WalCheckpointer } from '../../../../main/host/store/wal-checkpointer';
import { until } from '../../../support/wait';
import { tempDirs } from './sqlite-test-kit';

const dirs = tempDirs('wal-checkpointer');
afterAll(() => dirs.removeAll());

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** A database logged as the store's is: WAL, synced by the caller, the log reused in place. */
function openLogged(file: string): Database.Database {
  const db = new Database(file);
  // As the store's: a commit that meets a running copy on the log's locks waits for it.
  db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL');
  db.exec('CREATE TABLE rows (body TEXT)');
  return db;
}

function logBytes(file: string): number {
  return statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
}

/**
 * How many times the log has started over from its beginning: the checkpoint sequence number in
 * the log's header (bytes 12-15, big-endian), which SQLite counts up at every restart.
 */
function logRestarts(file: string): number {
  const header = Buffer.alloc(16);
  const fd = openSync(`${file}-wal`, 'r');
  try {
    return readSync(fd, header, 0, 16, 0) === 16 ? header.readUInt32BE(12) : 0;
  } finally {
    closeSync(fd);
  }
}

/** Commits rows of about a page each (two or three log pages a commit) until `done` holds. */
async function commitUntil(
  db: Database.Database,
  checkpointer: WalCheckpointer,
  done: (commits: number) => boolean,
  limit = { commits: 20_000, ms: 20_000 },
): Promise<number> {
  const insert = db.prepare('INSERT INTO rows (body) VALUES (?)');
  const body = 'x'.repeat(3900);
  const started = Date.now();
  let commits = 0;
  while (!done(commits)) {
    if (commits >= limit.commits || Date.now() - started > limit.ms) {
      throw new Error(`gave up after ${commits} commits`);
    }
    insert.run(body);
    commits += 1;
    checkpointer.committed();
    // The worker's answers arrive between turns.
    await nextTurn();
  }
  return commits;
}

describe('WalCheckpointer', () => {
  it('takes the checkpoints off the host connection, and the log starts over after each', async () => {
    const file = join(dirs.make(), 'parley.db');
    const db = openLogged(file);
    const checkpointer = new WalCheckpointer(file, db, { everyMs: 0 });
    const before = await commitUntil(db, checkpointer, () => checkpointer.offLoop);
    const restartsBefore = logRestarts(file);
    // How long the log gets depends on how fast the disk copies while this loop commits without
    // syncing (with other tests' syncs in the way, a copy can last a second): what must hold is
    // that it keeps starting over, each time the worker's copy and the host's tail end.
    const after = await commitUntil(
      db,
      checkpointer,
      () => logRestarts(file) - restartsBefore >= 5,
    );

    expect(checkpointer.offLoop).toBe(true);
    expect(pragmaNumber(db, 'wal_autocheckpoint', file)).toBe(0);

    await checkpointer.close();
    db.close();
    const reopened = new Database(file);
    expect(reopened.prepare('SELECT count(*) AS n FROM rows').get()).toMatchObject({
      n: before + after,
    });
    reopened.close();
  });

  it('cuts the log to nothing when asked, even while the worker copies', async () => {
    const file = join(dirs.make(), 'parley.db');
    const db = openLogged(file);
    const checkpointer = new WalCheckpointer(file, db, { everyMs: 0 });
    await commitUntil(db, checkpointer, () => checkpointer.offLoop);
    // The next commit starts a copy; the cut waits for it and happens after.
    await commitUntil(db, checkpointer, (count) => count === 1);
    checkpointer.truncateSoon();
    await until(() => logBytes(file) === 0, 5000, 'the log cut to nothing');

    await checkpointer.close();
    db.close();
  });

  it('starts no thread for a log that never grows long', async () => {
    const file = join(dirs.make(), 'parley.db');
    const db = openLogged(file);
    const checkpointer = new WalCheckpointer(file, db);
    await commitUntil(db, checkpointer, (count) => count === 20);
    expect(checkpointer.offLoop).toBe(false);
    expect(pragmaNumber(db, 'wal_autocheckpoint', file)).toBe(CHECKPOINT_PAGES);
    await checkpointer.close();
    db.close();
  });
});
