/**
 * Checkpoints of parley.db's write-ahead log, off the event loop.
 *
 * By default SQLite folds the log back into the database file inside the commit that takes it
 * past 1,000 pages: that commit, and every ack it carries, then waits 10-25 ms while the pages
 * are copied and two syncs run. Here, once the log has grown to half that the first time, a
 * worker thread with a connection of its own takes over, and the host's connection no longer
 * checkpoints inside commits. A few times a second while the host commits, the worker copies what
 * the log holds and syncs the file (a PASSIVE checkpoint, which WAL runs beside the host's
 * commits). What the host committed meanwhile, a few pages, the host folds in itself on the next
 * turn, so that the log is wholly in the file and the next commit starts it over from the
 * beginning, as after SQLite's own checkpoint. The log so holds at most what was committed while
 * one copy ran: a few pages on an idle disk, more on one that other programs keep busy, since a
 * commit here never waits for a copy (SQLite's own checkpoint would hold it).
 *
 * Durability does not change: a checkpoint syncs the log before it copies anything, and an ack
 * still waits for the host's own sync (wal-sync.ts). If the worker cannot start or fails, the
 * host's connection checkpoints inside commits again, as by default.
 */
import type Database from 'libsql';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { BUSY_TIMEOUT_MS, pragmaNumber } from './sqlite-connection';

/** SQLite's default: the host's connection folds the log back at this many pages. */
export const CHECKPOINT_PAGES = 1000;
/** Bytes a log frame adds to its page. */
const FRAME_HEADER_BYTES = 24;

export interface WalCheckpointerOptions {
  /** The worker starts once the log first holds this many pages; 0 never starts it. */
  startPages: number;
  /** A checkpoint starts at the first commit this long (ms) after the last one ended. */
  everyMs: number;
  clock: () => number;
}

export const WAL_CHECKPOINTER_DEFAULTS: WalCheckpointerOptions = {
  startPages: CHECKPOINT_PAGES / 2,
  everyMs: 200,
  clock: () => performance.now(),
};

/**
 * The worker, as CommonJS source: a file of its own would have to join every bundle that holds
 * the store. It loads libsql from where the host found it, with the host's sync settings and
 * busy timeout.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.libsql);
const db = new Database(workerData.file);
db.exec('PRAGMA busy_timeout = ' + workerData.busyTimeoutMs + '; PRAGMA fullfsync = ON; PRAGMA checkpoint_fullfsync = ON');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  db.exec('PRAGMA wal_checkpoint(PASSIVE)');
  parentPort.postMessage('done');
});
parentPort.postMessage('ready');
`;

type State = 'inline' | 'starting' | 'ready' | 'copying' | 'tail-due' | 'gone';

export class WalCheckpointer {
  readonly #file: string;
  readonly #db: Database.Database;
  readonly #options: WalCheckpointerOptions;
  readonly #startBytes: number;
  #state: State = 'inline';
  #worker: Worker | undefined;
  #exited: Promise<void> = Promise.resolve();
  #lastEnded = -Infinity;
  /** Set when the log must be cut to nothing (a deleted text is in it) once the copy ends. */
  #truncateDue = false;
  #closed = false;

  constructor(file: string, db: Database.Database, options: Partial<WalCheckpointerOptions> = {}) {
    this.#file = file;
    this.#db = db;
    this.#options = { ...WAL_CHECKPOINTER_DEFAULTS, ...options };
    const frameBytes = pragmaNumber(db, 'page_size', file) + FRAME_HEADER_BYTES;
    this.#startBytes = this.#options.startPages * frameBytes;
  }

  /** True once the worker checkpoints instead of the host's commits (tests, diagnostics). */
  get offLoop(): boolean {
    return this.#state === 'ready' || this.#state === 'copying' || this.#state === 'tail-due';
  }

  /** After each commit: starts the worker, or a checkpoint, when one is due. */
  committed(): void {
    if (this.#state === 'inline') {
      // Short-lived rooms (and most tests) never get here: no thread for them.
      if (this.#options.startPages > 0 && this.#logBytes() >= this.#startBytes) this.#start();
    } else if (this.#state === 'ready') {
      if (this.#options.clock() - this.#lastEnded < this.#options.everyMs) return;
      this.#state = 'copying';
      this.#worker?.postMessage('checkpoint');
    }
  }

  /**
   * Folds the log in and cuts it to nothing on a later turn, once no copy runs: the frames a
   * deleted text was in leave the disk (a TRUNCATE checkpoint waits for other checkpoints, and
   * on the event loop that wait would hold every client).
   */
  truncateSoon(): void {
    if (this.#truncateDue) return;
    this.#truncateDue = true;
    setImmediate(() => {
      // A copy started meanwhile: its tail cuts the log instead.
      if (this.#state === 'copying' || this.#state === 'tail-due') return;
      this.#checkpointHere();
    });
  }

  /** Ends the worker; a checkpoint it runs finishes first. */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#closed = true;
    this.#state = 'gone';
    if (!worker) return;
    // Held by its exit now, so a process ending right after the store closes waits for it.
    worker.ref();
    worker.postMessage('close');
    await this.#exited;
    this.#worker = undefined;
  }

  #logBytes(): number {
    return statSync(`${this.#file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
  }

  #start(): void {
    this.#state = 'starting';
    let worker: Worker;
    try {
      const libsql = createRequire(import.meta.url).resolve('libsql');
      worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { file: this.#file, libsql, busyTimeoutMs: BUSY_TIMEOUT_MS },
      });
    } catch {
      this.#state = 'gone';
      return;
    }
    // Between checkpoints it waits for work: that must not keep a host's process alive.
    worker.unref();
    this.#worker = worker;
    this.#exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (message: unknown) => this.#answered(message));
    worker.once('error', () => this.#fallBack());
    worker.once('exit', () => this.#fallBack());
  }

  #answered(message: unknown): void {
    if (message === 'ready' && this.#state === 'starting') {
      this.#setAutoCheckpoint(0);
      this.#state = 'ready';
    } else if (message === 'done' && this.#state === 'copying') {
      this.#state = 'tail-due';
      // On a turn of its own, so a turn's acks are not held behind it.
      setImmediate(() => {
        if (this.#state !== 'tail-due') return;
        this.#state = 'ready';
        this.#checkpointHere();
        this.#lastEnded = this.#options.clock();
      });
    }
  }

  /** Folds in what is left of the log, so the next commit restarts it, or cuts it if due. */
  #checkpointHere(): void {
    if (this.#closed) return;
    const mode = this.#truncateDue ? 'TRUNCATE' : 'PASSIVE';
    this.#truncateDue = false;
    try {
      this.#db.exec(`PRAGMA wal_checkpoint(${mode})`);
    } catch {
      // Not folded in now (the store is closing): the next checkpoint, or the close, does it.
    }
  }

  /** The worker is gone: the host's connection checkpoints inside commits again. */
  #fallBack(): void {
    const wasOffLoop = this.offLoop;
    this.#state = 'gone';
    if (wasOffLoop) this.#setAutoCheckpoint(CHECKPOINT_PAGES);
  }

  #setAutoCheckpoint(pages: number): void {
    try {
      this.#db.exec(`PRAGMA wal_autocheckpoint = ${pages}`);
    } catch {
      // The connection is closed or closing: nothing is left to checkpoint.
    }
  }
}
