/**
 * The durable room: a RoomStore on SQLite (libsql) in `<dir>/parley.db`, one host per directory.
 * See sqlite-room-store.ts for how appends become durable, sqlite-schema.ts for the layout.
 */
import type Database from 'libsql';
import { resolve } from 'node:path';
import * as v from 'valibot';
import { createRoomId } from '../tokens';
import type { RoomStore } from './room-store';
import type { SayIdIndexOptions } from './say-id-index';
import { openDatabase } from './sqlite-connection';
import { StoreError, toStoreError } from './sqlite-errors';
import { prepareDataDir } from './sqlite-files';
import { acquireDirectoryLock } from './sqlite-lock';
import { prepareLogStatements } from './sqlite-log-statements';
import { SqliteRoomStore } from './sqlite-room-store';
import { DURABILITIES, type CommitInfo, type Durability } from './sqlite-commits';
import { prepareSchema } from './sqlite-schema';
import { prepareSearchStatements } from './sqlite-search';
import { openSearchIndexer } from './sqlite-search-indexer';
import { prepareSideStatements } from './sqlite-side-statements';
import { WalCheckpointer } from './wal-checkpointer';
import { WalSync, type WalSyncOptions } from './wal-sync';

export { StoreError, STORE_ERROR_CODES } from './sqlite-errors';
export type { StoreErrorCode } from './sqlite-errors';
export { DATABASE_FILE_NAME, LOCK_FILE_NAME } from './sqlite-files';
export type { CommitInfo, Durability } from './sqlite-commits';
export type { SayIdIndexOptions } from './say-id-index';
export type { LogSyncer, WalSyncOptions } from './wal-sync';

export interface SqliteStoreOptions {
  /** Called once a commit is durable (committed, under 'committed' durability). Must not throw. */
  onCommit?: (commit: CommitInfo) => void;
  /**
   * When an append resolves and readers see it: 'synced' (the default) once the log sync after
   * its commit is done, so an acknowledged entry survives a power cut; 'committed' as soon as it
   * is committed, the sync following on the thread pool. Only for a copy whose truth is kept
   * elsewhere: the replica of a shared room, which reads what a power cut took again from Redis.
   */
  durability?: Durability;
  /** How the write-ahead log is synced (wal-sync.ts); tests hold or fail syncs through it. */
  logSync?: Partial<WalSyncOptions>;
  /** How many client-chosen ids the exactly-once check keeps in memory (say-id-index.ts). */
  sayIds?: Partial<SayIdIndexOptions>;
  /** The id a new room gets (a replica of a room several hosts share); a random one otherwise. */
  roomId?: string;
}

const DEFAULT_OPTIONS: Required<Omit<SqliteStoreOptions, 'roomId'>> = {
  onCommit: () => {},
  durability: 'synced',
  logSync: {},
  sayIds: {},
};

const logSyncSchema = v.object({
  syncer: v.optional(v.object({ now: v.function(), later: v.function() })),
  inlineLimitMs: v.optional(v.pipe(v.number(), v.minValue(0))),
  probeEveryMs: v.optional(v.pipe(v.number(), v.minValue(0))),
  clock: v.optional(v.function()),
});

const count = v.pipe(v.number(), v.safeInteger(), v.minValue(1));
const sayIdsSchema = v.pipe(
  v.object({ budget: v.optional(count), perPeer: v.optional(count) }),
  v.check(
    ({ budget, perPeer }) => (perPeer ?? 1) <= (budget ?? Number.MAX_SAFE_INTEGER),
    'sayIds.perPeer must not exceed sayIds.budget',
  ),
);

const openArgumentsSchema = v.object({
  dir: v.pipe(v.string(), v.minLength(1, 'the data directory must be a non-empty path')),
  roomName: v.string(),
  options: v.object({
    onCommit: v.optional(v.function()),
    durability: v.optional(v.picklist(DURABILITIES)),
    logSync: v.optional(logSyncSchema),
    sayIds: v.optional(sayIdsSchema),
    roomId: v.optional(v.pipe(v.string(), v.nonEmpty())),
  }),
});

/**
 * Opens the room in `dir` (created with mode 0o700 if missing), creating a room named
 * `roomName` if the directory holds none. Throws a StoreError: 'locked' when another host uses
 * the directory, 'corrupt' or 'unreadable' when the history cannot be trusted or read.
 */
export async function openSqliteStore(
  dir: string,
  roomName: string,
  options: SqliteStoreOptions = {},
): Promise<RoomStore> {
  const args = v.safeParse(openArgumentsSchema, { dir, roomName, options });
  if (!args.success) {
    throw new StoreError(
      'invalid',
      String(dir),
      `bad store arguments: ${v.summarize(args.issues)}`,
    );
  }
  // An option given as undefined keeps its default, as with the host's limits.
  const settings: Required<Omit<SqliteStoreOptions, 'roomId'>> = {
    onCommit: options.onCommit ?? DEFAULT_OPTIONS.onCommit,
    durability: options.durability ?? DEFAULT_OPTIONS.durability,
    logSync: options.logSync ?? DEFAULT_OPTIONS.logSync,
    sayIds: options.sayIds ?? DEFAULT_OPTIONS.sayIds,
  };
  const root = resolve(dir);
  const { dataFile: file, lockFile } = prepareDataDir(root);
  const lock = acquireDirectoryLock(lockFile, file);
  let db: Database.Database | undefined;
  try {
    db = openDatabase(file, root);
    const room = prepareSchema(db, file, roomName, () => options.roomId ?? createRoomId());
    return new SqliteRoomStore({
      db,
      log: prepareLogStatements(db, file),
      side: prepareSideStatements(db, file),
      search: prepareSearchStatements(db, file),
      index: openSearchIndexer(db),
      lock,
      // Under 'committed' durability nothing waits for a sync: it never holds the event loop.
      wal: new WalSync(`${file}-wal`, {
        ...(settings.durability === 'committed' && { inlineLimitMs: 0 }),
        ...settings.logSync,
      }),
      checkpointer: new WalCheckpointer(file, db),
      file,
      room,
      onCommit: settings.onCommit,
      durability: settings.durability,
      sayIds: settings.sayIds,
    });
  } catch (error) {
    db?.close();
    lock.release();
    throw toStoreError(error, file, 'open the history');
  }
}
