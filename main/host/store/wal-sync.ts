/**
 * Group sync of parley.db's write-ahead log, off the event loop.
 *
 * The connection commits with `synchronous = NORMAL`: a commit only writes the log (into the page
 * cache, which already survives a crash of the host process) and returns in microseconds. What
 * `synchronous = FULL` would add, the fsync that makes the commit survive power loss, happens
 * here instead, on libuv's thread pool: the event loop keeps reading, acking and broadcasting
 * while the disk works, and every commit made while one sync runs shares the next one. An append
 * still resolves only after a sync that started after its commit, so "acknowledged" keeps
 * meaning "on disk".
 *
 * fsync works on the file, not the descriptor (POSIX; on Windows FlushFileBuffers needs a
 * writable handle, hence 'r+'), so a handle of our own flushes the frames SQLite wrote through
 * its own. The log file keeps its inode for the connection's whole life: SQLite rewrites it from
 * the start after a checkpoint and deletes it only when the last connection closes, after this
 * handle is closed.
 */
import { open, type FileHandle } from 'node:fs/promises';

/** Makes everything written to the open log file durable (fdatasync by default). */
export type SyncLog = (log: FileHandle) => Promise<void>;

export const syncLogData: SyncLog = (log) => log.datasync();

export class WalSync {
  #handle: FileHandle | undefined;
  /** The sync running now, if any. */
  #running: Promise<void> | undefined;
  /** Callers that committed after `#running` started: they share the next sync. */
  #next: Promise<void> | undefined;

  constructor(
    private readonly logFile: string,
    private readonly syncLog: SyncLog = syncLogData,
  ) {}

  /**
   * Resolves once everything written to the log before this call is durable. Calls made while a
   * sync runs are answered together by one more sync, started as soon as that one ends.
   */
  sync(): Promise<void> {
    if (!this.#running) return (this.#running = this.#runOnce());
    this.#next ??= this.#running.then(
      () => this.#startNext(),
      () => this.#startNext(),
    );
    return this.#next;
  }

  /** Waits for the syncs asked for so far, then closes the log handle. */
  async close(): Promise<void> {
    await Promise.allSettled([this.#running, this.#next]);
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close();
  }

  #startNext(): Promise<void> {
    this.#next = undefined;
    return (this.#running = this.#runOnce());
  }

  async #runOnce(): Promise<void> {
    try {
      this.#handle ??= await open(this.logFile, 'r+');
      await this.syncLog(this.#handle);
    } finally {
      // A sync asked for meanwhile has chained itself on this one and takes over `#running`.
      if (!this.#next) this.#running = undefined;
    }
  }
}
