/**
 * The MessageStore over an open parley.db: grouped commits, the in-flight window and sessions.
 *
 * An acknowledged message must survive a crash at any moment, so an append resolves only after
 * its transaction is committed and the log synced. To keep that affordable, every append of one
 * event-loop turn joins one transaction, written at the next `setImmediate` (a burst of 500
 * messages is one commit), and the sync runs off the event loop, shared by every commit made
 * while the previous sync was running (wal-sync.ts).
 */
import type Database from 'libsql';
import * as v from 'valibot';
import { messageSchema, peerSchema } from '../../../protocol/wire/frames';
import type { ChatMessage, Peer, RoomInfo } from '../../../protocol/wire/frames';
import type { MessageStore } from './message-store';
import { inTransaction } from './sqlite-connection';
import { StoreError, toStoreError } from './sqlite-errors';
import type { DirectoryLock } from './sqlite-lock';
import type { SessionWrite, StoreStatements } from './sqlite-statements';
import type { WalSync } from './wal-sync';

/** What one commit wrote; see `SqliteStoreOptions.onCommit`. */
export interface CommitInfo {
  messages: number;
  sessions: number;
  lastDurableSeq: number;
}

const stringSchema = v.string();
const pageArgumentsSchema = v.object({ beforeSeq: v.number(), limit: v.number() });

interface PendingAppend {
  message: ChatMessage;
  key: string;
  resolve: () => void;
  reject: (error: StoreError) => void;
}

/** One committed transaction waiting for the log sync that makes it durable. */
interface CommittedBatch {
  appends: PendingAppend[];
  sessions: number;
}

/** What an open store holds; dropped on close so libsql can really close the connection. */
export interface Connection {
  db: Database.Database;
  statements: StoreStatements;
  lock: DirectoryLock;
  wal: WalSync;
}

export interface StoreParts extends Connection {
  file: string;
  room: RoomInfo;
  onCommit: (commit: CommitInfo) => void;
}

/** Say ids are unique per sender; JSON keeps any two (peer, say id) pairs apart. */
const sayKey = (peerId: string, sayId: string): string => JSON.stringify([peerId, sayId]);

export class SqliteMessageStore implements MessageStore {
  readonly #file: string;
  readonly #onCommit: (commit: CommitInfo) => void;
  /**
   * libsql closes a connection only once its prepared statements are garbage, so the store lets
   * go of them at close; a host that keeps the closed store object around then holds no file.
   */
  #connection: Connection | undefined;
  #room: RoomInfo;
  #lastSeq: number;
  /** Highest seq in a committed transaction; ahead of `#lastDurableSeq` while a sync runs. */
  #lastCommittedSeq: number;
  #lastDurableSeq: number;
  #pending: PendingAppend[] = [];
  /** Set when a log sync failed: what was committed may not be on disk, so nothing more is. */
  #syncFailure: StoreError | undefined;
  /** Syncs asked for and not settled yet; close waits for them. */
  readonly #syncing = new Set<Promise<void>>();
  /** The say key of the last lookup SQLite answered with "not found", so append skips a repeat. */
  #lastMiss: string | undefined;
  /** Say ids of appends not committed yet, so a retry racing its original is still caught. */
  readonly #inFlight = new Map<string, number>();
  /** Session changes for the next commit, by token hash (the newest change wins). */
  readonly #sessionWrites = new Map<string, SessionWrite>();
  #flushTimer: NodeJS.Immediate | undefined;
  /** Set as soon as close() is called, so nothing (not even an onCommit callback) queues more. */
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor({ db, statements, lock, wal, file, room, onCommit }: StoreParts) {
    this.#connection = { db, statements, lock, wal };
    this.#file = file;
    this.#onCommit = onCommit;
    this.#room = Object.freeze({ ...room });
    this.#lastSeq = this.#lastCommittedSeq = this.#lastDurableSeq = statements.maxSeq();
  }

  get room(): RoomInfo {
    return this.#room;
  }

  get lastSeq(): number {
    return this.#lastSeq;
  }

  get lastDurableSeq(): number {
    return this.#lastDurableSeq;
  }

  append(message: ChatMessage): Promise<void> {
    if (this.#closed) return Promise.reject(this.#closedError('append'));
    if (this.#syncFailure) return Promise.reject(this.#syncFailure);
    const parsed = v.safeParse(messageSchema, message);
    if (!parsed.success) {
      return Promise.reject(this.#invalid(`malformed message: ${v.summarize(parsed.issues)}`));
    }
    const stored = parsed.output;
    if (stored.seq !== this.#lastSeq + 1) {
      return Promise.reject(this.#invalid(`expected seq ${this.#lastSeq + 1}, got ${stored.seq}`));
    }
    const key = sayKey(stored.from.id, stored.id);
    // The host looks every say id up just before appending it: that answer still holds.
    if (key !== this.#lastMiss) {
      let existing: number | undefined;
      try {
        existing = this.findSeqBySayId(stored.from.id, stored.id);
      } catch (error) {
        return Promise.reject(toStoreError(error, this.#file, 'look up a say id'));
      }
      if (existing !== undefined) {
        // Storing it would break UNIQUE (peer, say id) and fail every append of the batch.
        return Promise.reject(this.#invalid(`say id ${stored.id} is already seq ${existing}`));
      }
    }
    this.#lastMiss = undefined;
    this.#lastSeq = stored.seq;
    this.#inFlight.set(key, stored.seq);
    const done = new Promise<void>((resolve, reject) => {
      this.#pending.push({ message: stored, key, resolve, reject });
    });
    this.#scheduleFlush();
    return done;
  }

  findSeqBySayId(peerId: string, sayId: string): number | undefined {
    this.#check(stringSchema, peerId, 'peer id');
    this.#check(stringSchema, sayId, 'say id');
    const key = sayKey(peerId, sayId);
    const inFlight = this.#inFlight.get(key);
    if (inFlight !== undefined || this.#closed) return inFlight;
    const seq = this.#read('look up a say id', (statements) =>
      statements.seqBySayId(peerId, sayId),
    );
    this.#lastMiss = seq === undefined ? key : undefined;
    return seq;
  }

  page(beforeSeq: number, limit: number): ChatMessage[] {
    this.#check(pageArgumentsSchema, { beforeSeq, limit }, 'page arguments');
    if (this.#closed) return [];
    // The table holds only committed rows; clamping also keeps Infinity out of SQLite.
    const before = Math.min(Math.floor(beforeSeq), this.#lastDurableSeq + 1);
    const count = Math.min(Math.floor(limit), before - 1);
    if (!(count > 0)) return [];
    return this.#read('read history', (statements) => statements.pageBefore(before, count));
  }

  saveSession(tokenHash: string, peer: Peer): void {
    this.#check(stringSchema, tokenHash, 'token hash');
    const { id, name } = this.#check(peerSchema, peer, 'peer');
    if (this.#closed) throw this.#closedError('save a session');
    this.#sessionWrites.set(tokenHash, {
      kind: 'save',
      tokenHash,
      peer: { id, name },
      at: Date.now(),
    });
    this.#scheduleFlush();
  }

  findSession(tokenHash: string): Peer | undefined {
    this.#check(stringSchema, tokenHash, 'token hash');
    if (this.#closed) return undefined;
    const queued = this.#sessionWrites.get(tokenHash);
    if (queued?.kind === 'save') return { ...queued.peer };
    const peer = this.#read('find a session', (statements) => statements.session(tokenHash));
    if (peer && !queued) {
      this.#sessionWrites.set(tokenHash, { kind: 'touch', tokenHash, at: Date.now() });
      this.#scheduleFlush();
    }
    return peer;
  }

  renameRoom(name: string): void {
    this.#check(stringSchema, name, 'room name');
    if (this.#closed) throw this.#closedError('rename the room');
    this.#read('rename the room', (statements) => statements.renameRoom(name));
    this.#room = Object.freeze({ id: this.#room.id, name });
    // Committed without a sync of its own: the next one carries it to disk.
    this.#syncCommitted({ appends: [], sessions: 0 });
  }

  close(): Promise<void> {
    if (!this.#closing) {
      this.#closed = true;
      this.#closing = this.#shutDown();
    }
    return this.#closing;
  }

  async #shutDown(): Promise<void> {
    if (this.#flushTimer) clearImmediate(this.#flushTimer);
    const { db, lock, wal } = this.#live();
    try {
      this.#flush();
      while (this.#syncing.size > 0) await Promise.allSettled([...this.#syncing]);
      await wal.close().catch(() => {});
      try {
        // Folds the log into parley.db so the directory is one self-contained file at rest.
        db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
      } catch {
        // Nothing is lost: the log stays and is replayed at the next open.
      }
    } finally {
      this.#connection = undefined;
      db.close();
      lock.release();
    }
  }

  #scheduleFlush(): void {
    this.#flushTimer ??= setImmediate(() => this.#flush());
  }

  /** Writes every queued append and session change in one transaction. */
  #flush(): void {
    this.#flushTimer = undefined;
    const batch = this.#pending;
    const sessions = [...this.#sessionWrites.values()];
    if (batch.length === 0 && sessions.length === 0) return;
    this.#pending = [];
    this.#sessionWrites.clear();
    const { db, statements } = this.#live();
    try {
      inTransaction(db, () => {
        for (const { message } of batch) statements.insertMessage(message);
        for (const write of sessions) statements.writeSession(write);
      });
    } catch (cause) {
      const error = toStoreError(cause, this.#file, `store ${batch.length} message(s)`);
      for (const { key } of batch) this.#inFlight.delete(key);
      // Their seqs were never acknowledged nor broadcast, so numbering resumes after the last
      // committed message and the room keeps growing by exactly one.
      this.#lastSeq = this.#lastCommittedSeq;
      for (const write of sessions) {
        if (!this.#sessionWrites.has(write.tokenHash))
          this.#sessionWrites.set(write.tokenHash, write);
      }
      for (const { reject } of batch) reject(error);
      return;
    }
    const last = batch.at(-1);
    if (last) this.#lastCommittedSeq = last.message.seq;
    this.#syncCommitted({ appends: batch, sessions: sessions.length });
  }

  /** Resolves a committed batch once the log sync after its commit is done (in commit order). */
  #syncCommitted(committed: CommittedBatch): void {
    const { wal } = this.#live();
    const synced = wal
      .sync()
      .then(
        () => this.#durable(committed),
        (cause: unknown) => this.#syncFailed(committed, cause),
      )
      .finally(() => this.#syncing.delete(synced));
    this.#syncing.add(synced);
  }

  #durable({ appends, sessions }: CommittedBatch): void {
    if (this.#syncFailure) {
      for (const { reject } of appends) reject(this.#syncFailure);
      return;
    }
    const last = appends.at(-1);
    if (last) this.#lastDurableSeq = last.message.seq;
    for (const { key, resolve } of appends) {
      this.#inFlight.delete(key);
      resolve();
    }
    if (appends.length === 0 && sessions === 0) return;
    this.#onCommit({
      messages: appends.length,
      sessions,
      lastDurableSeq: this.#lastDurableSeq,
    });
  }

  /**
   * After a failed fsync the kernel may have dropped the pages it could not write (and will not
   * report it twice), so no later sync can vouch for this commit: the store stops taking appends.
   */
  #syncFailed({ appends }: CommittedBatch, cause: unknown): void {
    this.#syncFailure ??= toStoreError(cause, this.#file, 'sync the history to disk');
    for (const { reject } of appends) reject(this.#syncFailure);
  }

  #live(): Connection {
    if (!this.#connection) throw this.#closedError('use the store');
    return this.#connection;
  }

  #read<T>(doing: string, query: (statements: StoreStatements) => T): T {
    const { statements } = this.#live();
    try {
      return query(statements);
    } catch (error) {
      throw toStoreError(error, this.#file, doing);
    }
  }

  #check<T extends v.GenericSchema>(schema: T, value: unknown, what: string): v.InferOutput<T> {
    const parsed = v.safeParse(schema, value);
    if (!parsed.success) throw this.#invalid(`bad ${what}: ${v.summarize(parsed.issues)}`);
    return parsed.output;
  }

  #invalid(detail: string): StoreError {
    return new StoreError('invalid', this.#file, `${this.#file}: ${detail}`);
  }

  #closedError(doing: string): StoreError {
    const file = this.#file;
    return new StoreError('closed', file, `cannot ${doing}: the history in ${file} is closed`);
  }
}
