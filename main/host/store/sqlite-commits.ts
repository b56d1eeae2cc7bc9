/**
 * Grouped commits of the SQLite store: how queued writes become one transaction, and a committed
 * transaction becomes durable.
 *
 * An acknowledged entry must survive a crash at any moment, so an append resolves only after its
 * transaction is committed and the log synced. To keep that affordable, everything queued during
 * one event-loop turn (sqlite-pending.ts) is written in one transaction at the next
 * `setImmediate` (a burst of 500 entries is one commit), and the sync runs off the event loop
 * when the disk is slow, shared by every commit made while the previous sync was running
 * (wal-sync.ts). Commits become durable in the order they were made.
 *
 * A replica of a shared room resolves its appends at the commit instead ('committed'): what it
 * stores is durable in Redis already, and waiting for its own sync as well put a log sync and
 * often a trip through the thread pool between every event a host read and the people it shows
 * it to (docs/scale-out.md has the two-host ramp before and after). Its log is still synced after
 * every commit, on the thread pool, and a failed sync still stops the store.
 */
import type Database from 'libsql';
import { directConversation } from './conversation-book';
import { inTransaction } from './sqlite-connection';
import { DurableView, type CommitPriors } from './sqlite-durable-view';
import { writeEntry } from './sqlite-effects';
import { type StoreError, toStoreError } from './sqlite-errors';
import type { LogStatements } from './sqlite-log-statements';
import {
  appendsOf,
  PendingWrites,
  sideWriteCount,
  type PendingAppend,
  type PendingBatch,
} from './sqlite-pending';
import type { SearchIndexer } from './sqlite-search-indexer';
import type { SideStatements } from './sqlite-side-statements';
import type { WalCheckpointer } from './wal-checkpointer';
import type { WalSync } from './wal-sync';

/** When an append resolves and readers see it; see `SqliteStoreOptions.durability`. */
export const DURABILITIES = ['synced', 'committed'] as const;
export type Durability = (typeof DURABILITIES)[number];

/** What one commit wrote; see `SqliteStoreOptions.onCommit`. */
export interface CommitInfo {
  /** Entries the commit made durable. */
  entries: number;
  /** The other writes it carried: conversations, read markers, names, sessions. */
  writes: number;
  /** The newest durable seq of each conversation the commit appended to. */
  lastDurableSeqs: Record<string, number>;
}

export interface CommitParts {
  file: string;
  /** The open connection; throws once the store is closed. */
  live: () => {
    db: Database.Database;
    log: LogStatements;
    side: SideStatements;
    wal: WalSync;
    index: SearchIndexer;
    checkpointer: WalCheckpointer;
  };
  onCommit: (commit: CommitInfo) => void;
  durability: Durability;
  /** A commit failed and was rolled back: the file holds what the last good commit left. */
  rolledBack: (batch: PendingBatch) => void;
  /** These appends are durable; called before any of them resolves. */
  madeDurable: (appends: readonly PendingAppend[]) => void;
}

/** One committed transaction waiting for the log sync that makes it durable. */
interface CommittedBatch {
  appends: PendingAppend[];
  writes: number;
  priors: CommitPriors;
}

export class GroupCommits {
  readonly pending = new PendingWrites();
  /** What readers see of text entries while effects wait for their sync. */
  readonly view = new DurableView();
  readonly #parts: CommitParts;
  /** Set when a log sync failed: what was committed may not be on disk, so nothing more is. */
  #failure: StoreError | undefined;
  /** Syncs asked for and not settled yet; settle() waits for them. */
  readonly #syncing = new Set<Promise<void>>();
  #timer: NodeJS.Immediate | undefined;

  constructor(parts: CommitParts) {
    this.#parts = parts;
  }

  /** Why no append can be taken any more, if a sync failed. */
  get failure(): StoreError | undefined {
    return this.#failure;
  }

  /** Writes what is queued at the next setImmediate, together with whatever else joins it. */
  schedule(): void {
    this.#timer ??= setImmediate(() => this.flush());
  }

  /** A write committed outside the queue (renaming the room, pruning) rides on the next sync. */
  committedAside(writes: number): void {
    this.#syncCommitted({ appends: [], writes, priors: DurableView.record() });
  }

  /** Writes what is queued now and waits for every sync asked for (closing). */
  async settle(): Promise<void> {
    if (this.#timer) clearImmediate(this.#timer);
    this.flush();
    while (this.#syncing.size > 0) await Promise.allSettled([...this.#syncing]);
  }

  /** Writes everything queued in one transaction, in the order it was queued. */
  flush(): void {
    this.#timer = undefined;
    if (this.pending.empty) return;
    const batch = this.pending.take();
    const appends = appendsOf(batch.ops);
    const priors = DurableView.record();
    try {
      this.#write(batch, priors);
    } catch (cause) {
      const error = toStoreError(cause, this.#parts.file, `store ${appends.length} entries`);
      try {
        this.#parts.rolledBack(batch);
      } catch (lost) {
        // The store cannot even read back what it has: it takes nothing more.
        this.#failure ??= toStoreError(lost, this.#parts.file, 'recover from a failed commit');
      } finally {
        for (const { reject } of appends) reject(error);
      }
      return;
    }
    this.view.committed(priors);
    this.#indexTexts(appends);
    this.#syncCommitted({ appends, writes: sideWriteCount(batch), priors });
    this.#parts.live().checkpointer.committed();
  }

  /** Hands the commit's new texts to the search indexer (sqlite-search-indexer.ts). */
  #indexTexts(appends: readonly PendingAppend[]): void {
    let texts = 0;
    for (const { entry } of appends) if (entry.kind === 'text') texts++;
    this.#parts.live().index.committed(texts);
  }

  #write(batch: PendingBatch, priors: CommitPriors): void {
    const { db, log, side } = this.#parts.live();
    const beforeChange = (conv: string, target: number, purge: boolean) =>
      DurableView.capture(
        priors,
        conv,
        target,
        purge,
        () => log.textEntry(conv, target),
        () => log.editTexts(conv, target),
      );
    inTransaction(db, () => {
      for (const op of batch.ops) {
        if (op.kind === 'append') writeEntry(log, side, op.entry, beforeChange);
        else if (op.kind === 'direct') {
          side.insertConversation(directConversation(op.id, op.members, op.created));
        } else side.renameConversation(op.conv, op.name);
      }
      for (const { peerId, conv, seq } of batch.reads) side.raiseRead(peerId, conv, seq);
      for (const { peer, at } of batch.identities) side.rememberIdentity(peer, at);
      for (const write of batch.sessions) side.writeSession(write);
    });
  }

  /**
   * Syncs the log after a commit. The batch resolves once the sync is done (in commit order), or
   * at once under 'committed' durability, where the sync can only stop the store.
   */
  #syncCommitted(committed: CommittedBatch): void {
    const { wal } = this.#parts.live();
    const resolveNow = this.#parts.durability === 'committed';
    if (resolveNow) this.#madeDurable(committed);
    const synced = wal
      .sync()
      .then(
        () => {
          if (!resolveNow) this.#madeDurable(committed);
        },
        (cause: unknown) => this.#syncFailed(committed, cause),
      )
      .finally(() => this.#syncing.delete(synced));
    this.#syncing.add(synced);
  }

  #madeDurable({ appends, writes, priors }: CommittedBatch): void {
    if (this.#failure) {
      for (const { reject } of appends) reject(this.#failure);
      return;
    }
    this.#parts.madeDurable(appends);
    this.view.durable(priors);
    for (const { resolve } of appends) resolve();
    if (appends.length === 0 && writes === 0) return;
    const lastDurableSeqs: Record<string, number> = {};
    for (const { entry } of appends) lastDurableSeqs[entry.conv] = entry.seq;
    this.#parts.onCommit({ entries: appends.length, writes, lastDurableSeqs });
  }

  /**
   * After a failed fsync the kernel may have dropped the pages it could not write (and will not
   * report it twice), so no later sync can vouch for this commit: the store stops taking appends.
   */
  #syncFailed({ appends }: CommittedBatch, cause: unknown): void {
    this.#failure ??= toStoreError(cause, this.#parts.file, 'sync the history to disk');
    for (const { reject } of appends) reject(this.#failure);
  }
}
