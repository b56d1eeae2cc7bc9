/**
 * The MessageStore over an open parley.db: grouped commits, the in-flight window and sessions.
 *
 * An acknowledged message must survive a crash at any moment, so an append resolves only after
 * its transaction is committed and fsynced. To keep that affordable, every append of one
 * event-loop turn joins one transaction, written at the next `setImmediate`: a burst of 500
 * messages costs one sync, not 500.
 */
import type Database from 'libsql';
import * as v from 'valibot';
import { messageSchema, peerSchema } from '../../../protocol/frames';
import type { ChatMessage, Peer, RoomInfo } from '../../../protocol/frames';
import type { MessageStore } from './message-store';
import { inTransaction } from './sqlite-connection';
import { StoreError, toStoreError } from './sqlite-errors';
import type { DirectoryLock } from './sqlite-lock';
import type { SessionWrite, StoreStatements } from './sqlite-statements';

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

/** What an open store holds; dropped on close so libsql can really close the connection. */
export interface Connection {
  db: Database.Database;
  statements: StoreStatements;
  lock: DirectoryLock;
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
  #lastDurableSeq: number;
  #pending: PendingAppend[] = [];
  /** Say ids of appends not committed yet, so a retry racing its original is still caught. */
  readonly #inFlight = new Map<string, number>();
  /** Session changes for the next commit, by token hash (the newest change wins). */
  readonly #sessionWrites = new Map<string, SessionWrite>();
  #flushTimer: NodeJS.Immediate | undefined;
  /** Set as soon as close() is called, so nothing (not even an onCommit callback) queues more. */
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor({ db, statements, lock, file, room, onCommit }: StoreParts) {
    this.#connection = { db, statements, lock };
    this.#file = file;
    this.#onCommit = onCommit;
    this.#room = Object.freeze({ ...room });
    this.#lastSeq = this.#lastDurableSeq = statements.maxSeq();
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
    const parsed = v.safeParse(messageSchema, message);
    if (!parsed.success) {
      return Promise.reject(this.#invalid(`malformed message: ${v.summarize(parsed.issues)}`));
    }
    const stored = parsed.output;
    if (stored.seq !== this.#lastSeq + 1) {
      return Promise.reject(this.#invalid(`expected seq ${this.#lastSeq + 1}, got ${stored.seq}`));
    }
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
    const key = sayKey(stored.from.id, stored.id);
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
    const inFlight = this.#inFlight.get(sayKey(peerId, sayId));
    if (inFlight !== undefined || this.#closed) return inFlight;
    return this.#read('look up a say id', (statements) => statements.seqBySayId(peerId, sayId));
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
    const { db, lock } = this.#live();
    try {
      this.#flush();
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
      // durable message and the room keeps growing by exactly one.
      this.#lastSeq = this.#lastDurableSeq;
      for (const write of sessions) {
        if (!this.#sessionWrites.has(write.tokenHash))
          this.#sessionWrites.set(write.tokenHash, write);
      }
      for (const { reject } of batch) reject(error);
      return;
    }
    const last = batch.at(-1);
    if (last) this.#lastDurableSeq = last.message.seq;
    for (const { key, resolve } of batch) {
      this.#inFlight.delete(key);
      resolve();
    }
    this.#onCommit({
      messages: batch.length,
      sessions: sessions.length,
      lastDurableSeq: this.#lastDurableSeq,
    });
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
