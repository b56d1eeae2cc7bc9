/**
 * Adds new texts to the search index (sqlite-schema.ts, text_search) in batches, after the
 * commits that stored them.
 *
 * Indexing a text inside the commit that stores it made FTS5 write a segment of its own for every
 * commit: at one message per event-loop turn that was most of an append's cost, paid before the
 * message could be acknowledged and broadcast. Here the texts of many commits share one indexing
 * transaction (search_progress.upto marks how far the index has got), run once enough texts
 * waited or the oldest waited long enough, and always before a search reads the index, so a
 * search sees every text committed before it, as before. A crash loses nothing: the rows after
 * `upto` are indexed at the next open.
 *
 * In the background the waiting texts are indexed a slice at a time, one slice per setImmediate:
 * indexing a whole batch in one go held the event loop for tens of milliseconds, which every
 * message waiting behind it (ack and delivery alike) paid at high rates. A background run indexes
 * the texts that were waiting when it began and no more: texts committed meanwhile wait for a
 * batch of their own. Chasing them instead, at one message per turn the run never ended and
 * indexed every text in a transaction of its own, two or three times the pages of the commit
 * that stored it.
 */
import type Database from 'libsql';
import * as v from 'valibot';
import { inTransaction } from './sqlite-connection';

export interface SearchIndexerOptions {
  /** Texts waiting that make the next commit index them. */
  batch: number;
  /** How long (ms) the oldest text may wait for others before the next commit indexes it. */
  maxWaitMs: number;
  /** Texts indexed per event-loop turn in the background. */
  slice: number;
  clock: () => number;
}

export const SEARCH_INDEXER_DEFAULTS: SearchIndexerOptions = {
  batch: 256,
  maxWaitMs: 500,
  slice: 32,
  clock: () => performance.now(),
};

const uptoSchema = v.object({ upto: v.pipe(v.number(), v.safeInteger()) });

export class SearchIndexer {
  readonly #options: SearchIndexerOptions;
  readonly #readUpto: Database.Statement;
  readonly #indexAfter: Database.Statement;
  readonly #advance: Database.Statement;
  readonly #sliceEnd: Database.Statement;
  /** Texts committed and not indexed yet, outside a background run; at least one when unknown. */
  #waiting = 0;
  #oldestAt = 0;
  /** Texts the background run has still to index; it began with those waiting then. */
  #runLeft = 0;
  #timer: NodeJS.Immediate | undefined;

  constructor(
    private readonly db: Database.Database,
    options: Partial<SearchIndexerOptions> = {},
  ) {
    this.#options = { ...SEARCH_INDEXER_DEFAULTS, ...options };
    this.#readUpto = db.prepare('SELECT upto FROM search_progress');
    // A text deleted before it was indexed is never indexed (the view leaves deleted ones out).
    this.#indexAfter = db.prepare(
      'INSERT INTO text_search (rowid, text, scope) ' +
        'SELECT row, text, scope FROM text_search_source WHERE row > ? AND row <= ? ORDER BY row',
    );
    this.#advance = db.prepare('UPDATE search_progress SET upto = ?');
    // The last row of the next `limit` texts (deleted ones too, so the progress passes them); -1: all.
    this.#sliceEnd = db.prepare(
      'SELECT coalesce(max(row), ?) AS upto FROM ' +
        '(SELECT row FROM text_state WHERE row > ? ORDER BY row LIMIT ?)',
    );
  }

  /** Indexes whatever an earlier run of the host left unindexed. */
  catchUp(): void {
    this.#waiting = Math.max(this.#waiting, 1);
    this.indexNow();
  }

  /**
   * A commit stored `texts` new text entries. When it is time, the waiting ones are indexed from
   * the next setImmediate on: after the commit's own entries were acknowledged and broadcast,
   * which the indexing would otherwise hold up. A failure leaves them waiting for the next try (a
   * search reports it).
   */
  committed(texts: number): void {
    if (texts === 0) return;
    const now = this.#options.clock();
    if (this.#waiting === 0) this.#oldestAt = now;
    this.#waiting += texts;
    if (this.#runLeft > 0) return;
    const { batch, maxWaitMs } = this.#options;
    if (this.#waiting < batch && now - this.#oldestAt < maxWaitMs) return;
    this.#runLeft = this.#waiting;
    this.#waiting = 0;
    this.#nextSlice();
  }

  #nextSlice(): void {
    this.#timer = setImmediate(() => {
      this.#timer = undefined;
      const count = Math.min(this.#options.slice, this.#runLeft);
      try {
        this.#indexUpTo(count);
        this.#runLeft -= count;
      } catch {
        this.#stopRun();
        return;
      }
      if (this.#runLeft > 0) this.#nextSlice();
    });
  }

  /** The background run ends; what it had left is due again at the next commit or search. */
  #stopRun(): void {
    clearImmediate(this.#timer);
    this.#timer = undefined;
    if (this.#runLeft > 0) this.#oldestAt = -Infinity;
    this.#waiting += this.#runLeft;
    this.#runLeft = 0;
  }

  /** Indexes every committed text now (before a search reads the index). Throws on failure. */
  indexNow(): void {
    this.#stopRun();
    if (this.#waiting === 0) return;
    this.#indexUpTo(-1);
    this.#waiting = 0;
  }

  /** Indexes the next `limit` texts that wait (-1: all). */
  #indexUpTo(limit: number): void {
    inTransaction(this.db, () => {
      const { upto } = v.parse(uptoSchema, this.#readUpto.get());
      const end = v.parse(uptoSchema, this.#sliceEnd.get(upto, upto, limit)).upto;
      this.#indexAfter.run(upto, end);
      this.#advance.run(end);
    });
  }
}

/** The indexer of an open parley.db, with whatever an earlier run left unindexed indexed now. */
export function openSearchIndexer(db: Database.Database): SearchIndexer {
  const indexer = new SearchIndexer(db);
  indexer.catchUp();
  return indexer;
}
