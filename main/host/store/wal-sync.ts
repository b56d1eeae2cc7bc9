/**
 * Group sync of parley.db's write-ahead log.
 *
 * The connection commits with `synchronous = NORMAL`: a commit only writes the log (into the page
 * cache, which already survives a crash of the host process) and returns in microseconds. What
 * `synchronous = FULL` would add, the fsync that makes the commit survive power loss, happens
 * here, in one of two ways chosen by how long recent syncs took:
 *
 * - On a fast disk (an SSD syncs in about 0.1 ms) the sync runs at once, on the event loop: the
 *   commit's messages are then acked and broadcast in the same turn, with no extra trip through
 *   the event loop, and the loop pays a fraction of a millisecond per turn.
 * - On a slow disk it runs on libuv's thread pool, so the loop keeps reading and writing sockets
 *   while the disk works, and every commit made during one sync shares the next. Once a second
 *   one sync runs inline again to find out whether the disk got faster.
 *
 * Either way an append resolves only after a sync that started after its commit, so
 * "acknowledged" keeps meaning "on disk".
 *
 * fsync works on the file, not the descriptor (POSIX; on Windows FlushFileBuffers needs a
 * writable handle, hence 'r+'), so a descriptor of our own flushes the frames SQLite wrote through
 * its own. The log file keeps its inode for the connection's whole life: SQLite rewrites it from
 * the start after a checkpoint and deletes it only when the last connection closes, after this
 * descriptor is closed.
 */
import { closeSync, fdatasync, fdatasyncSync, openSync } from 'node:fs';
import { promisify } from 'node:util';

/** The two ways to make the open log durable (fdatasync by default). */
export interface LogSyncer {
  /** Returns once the log is durable, blocking the calling thread meanwhile. */
  now(fd: number): void;
  /** The same on the thread pool. */
  later(fd: number): Promise<void>;
}

export const fdatasyncLog: LogSyncer = {
  now: (fd) => fdatasyncSync(fd),
  later: promisify(fdatasync),
};

export interface WalSyncOptions {
  syncer: LogSyncer;
  /**
   * Syncs run inline while they take at most this long on average (ms); 0 keeps every sync on
   * the thread pool. A sync on the pool is answered only after the turn that is running when it
   * ends, and under load a turn lasts longer than an SSD's sync: at 1 ms a VM disk whose syncs
   * took 0.7 ms under load kept flipping to the pool, and every ack and broadcast waited a turn
   * more (the C=1,000 ramp's p99 passed 100 ms at 1,600 msg/s instead of 2,000-2,400).
   */
  inlineLimitMs: number;
  /** While syncs run on the thread pool, one runs inline this often (ms) to re-measure. */
  probeEveryMs: number;
  clock: () => number;
}

export const WAL_SYNC_DEFAULTS: WalSyncOptions = {
  syncer: fdatasyncLog,
  inlineLimitMs: 2,
  probeEveryMs: 1000,
  clock: () => performance.now(),
};

/** Weight of the newest measurement in the running average of inline sync times. */
const AVERAGE_WEIGHT = 0.2;
/**
 * A measurement counts at most this many times the inline limit: one sync the disk stalled on
 * (a journal commit, another program's writes) must not send every sync to the thread pool for
 * seconds; a disk slow sync after sync still crosses the limit after four.
 */
const OUTLIER_CAP = 2;

export class WalSync {
  readonly #options: WalSyncOptions;
  #fd: number | undefined;
  /** Running average of how long inline syncs took (ms). */
  #inlineMs = 0;
  #lastInlineAt = -Infinity;
  /** The thread-pool sync running now, if any. */
  #running: Promise<void> | undefined;
  /** Callers that committed after `#running` started: they share the next sync. */
  #next: Promise<void> | undefined;

  constructor(
    private readonly logFile: string,
    options: Partial<WalSyncOptions> = {},
  ) {
    this.#options = { ...WAL_SYNC_DEFAULTS, ...options };
  }

  /** True when the next sync would run inline (tests, diagnostics). */
  get inline(): boolean {
    const { inlineLimitMs, probeEveryMs, clock } = this.#options;
    if (inlineLimitMs <= 0 || this.#running) return false;
    return this.#inlineMs <= inlineLimitMs || clock() - this.#lastInlineAt >= probeEveryMs;
  }

  /**
   * Resolves once everything written to the log before this call is durable. Calls made while a
   * thread-pool sync runs are answered together by one more sync, started as soon as it ends.
   */
  sync(): Promise<void> {
    if (this.inline) {
      try {
        this.#syncInline();
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(error as Error);
      }
    }
    if (!this.#running) return (this.#running = this.#syncLater());
    this.#next ??= this.#running.then(
      () => this.#startNext(),
      () => this.#startNext(),
    );
    return this.#next;
  }

  /** Waits for the syncs asked for so far, then closes the log descriptor. */
  async close(): Promise<void> {
    await Promise.allSettled([this.#running, this.#next]);
    const fd = this.#fd;
    this.#fd = undefined;
    if (fd !== undefined) closeSync(fd);
  }

  #open(): number {
    return (this.#fd ??= openSync(this.logFile, 'r+'));
  }

  #syncInline(): void {
    const { syncer, clock } = this.#options;
    const fd = this.#open();
    const started = clock();
    syncer.now(fd);
    const took = Math.min(clock() - started, OUTLIER_CAP * this.#options.inlineLimitMs);
    this.#lastInlineAt = started;
    this.#inlineMs += (took - this.#inlineMs) * AVERAGE_WEIGHT;
  }

  #startNext(): Promise<void> {
    this.#next = undefined;
    return (this.#running = this.#syncLater());
  }

  async #syncLater(): Promise<void> {
    try {
      await this.#options.syncer.later(this.#open());
    } finally {
      // A sync asked for meanwhile has chained itself on this one and takes over `#running`.
      if (!this.#next) this.#running = undefined;
    }
  }
}
