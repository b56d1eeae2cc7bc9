/**
 * The exactly-once check of the SQLite store, answered from memory in the common case.
 *
 * The host asks `findBySayId` for every entry a client adds, and the answer is almost always
 * "not used yet". A cache of recent ids can only ever answer "found"; proving absence needs every
 * id. So the index keeps, for the peers who posted lately, the COMPLETE set of ids each one has
 * used (loaded from SQLite with one index range scan the first time that peer is looked up, then
 * kept current by every append and every failed commit). For such a peer a miss is proven in
 * memory; a hit (a retry, rare) asks SQLite where the entry is, unless it is still in flight.
 *
 * Memory stays bounded: at most `budget` ids across all peers (least recently used peers are
 * dropped first, and simply reloaded when they post again), and no peer with more than
 * `perPeer` ids is cached at all: those few heavy posters get one SELECT per lookup, as before.
 * Peers found too heavy are remembered by id only, at most one per `perPeer` stored entries.
 */

export type SayIdLocation = { conv: string; seq: number };

export interface SayIdSource {
  /** Up to `limit` ids that `peerId` used, in any order. */
  idsOf(peerId: string, limit: number): string[];
  /** Where the stored entry `peerId` added with `sayId` is. */
  locate(peerId: string, sayId: string): SayIdLocation | undefined;
}

export interface SayIdIndexOptions {
  /** Most ids held in memory across all peers. */
  budget: number;
  /** Peers with more ids than this are not cached (a SELECT per lookup). */
  perPeer: number;
}

export const SAY_ID_INDEX_DEFAULTS: SayIdIndexOptions = { budget: 100_000, perPeer: 10_000 };

/** Any two (peer, id) pairs stay apart, whatever characters they hold. */
const keyOf = (peerId: string, sayId: string): string => JSON.stringify([peerId, sayId]);

export class SayIdIndex {
  readonly #source: SayIdSource;
  readonly #options: SayIdIndexOptions;
  /** Appended and not yet durable (committed or not), with where they are. */
  readonly #inFlight = new Map<string, { peerId: string; sayId: string; at: SayIdLocation }>();
  /** Every id of each cached peer (stored or in flight), least recently used first. */
  readonly #complete = new Map<string, Set<string>>();
  #held = 0;
  readonly #tooMany = new Set<string>();
  /** The last key SQLite said is unused, so an append right after its lookup skips a repeat. */
  #lastMiss: string | undefined;

  constructor(source: SayIdSource, options: Partial<SayIdIndexOptions> = {}) {
    this.#source = source;
    this.#options = { ...SAY_ID_INDEX_DEFAULTS, ...options };
    if (!(this.#options.perPeer <= this.#options.budget)) {
      throw new RangeError('a peer must fit in the budget: perPeer <= budget');
    }
  }

  /** Ids held in memory now (tests, diagnostics). */
  get held(): number {
    return this.#held;
  }

  find(peerId: string, sayId: string): SayIdLocation | undefined {
    const key = keyOf(peerId, sayId);
    const flying = this.#inFlight.get(key);
    if (flying) return { ...flying.at };
    const ids = this.#idsOf(peerId);
    if (ids && !ids.has(sayId)) return undefined;
    if (!ids && key === this.#lastMiss) return undefined;
    const found = this.#source.locate(peerId, sayId);
    this.#lastMiss = found ? undefined : key;
    return found;
  }

  /** An entry was appended (its id was checked unused). */
  added(peerId: string, sayId: string, at: SayIdLocation): void {
    const key = keyOf(peerId, sayId);
    if (key === this.#lastMiss) this.#lastMiss = undefined;
    this.#inFlight.set(key, { peerId, sayId, at: { ...at } });
    const ids = this.#complete.get(peerId);
    if (!ids || ids.has(sayId)) return;
    ids.add(sayId);
    this.#held++;
    if (ids.size > this.#options.perPeer) {
      this.#drop(peerId);
      this.#tooMany.add(peerId);
    }
    this.#evictBeyondBudget(peerId);
  }

  /** The entry is durable: SQLite answers for it from now on. */
  durable(peerId: string, sayId: string): void {
    this.#inFlight.delete(keyOf(peerId, sayId));
  }

  /** The entry's commit failed: the id is unused again. */
  failed(peerId: string, sayId: string): void {
    this.#inFlight.delete(keyOf(peerId, sayId));
    if (this.#complete.get(peerId)?.delete(sayId)) this.#held--;
  }

  /** The complete id set of `peerId`, loaded if need be; undefined for a peer with too many. */
  #idsOf(peerId: string): Set<string> | undefined {
    const cached = this.#complete.get(peerId);
    if (cached) {
      // Most recently used last.
      this.#complete.delete(peerId);
      this.#complete.set(peerId, cached);
      return cached;
    }
    if (this.#tooMany.has(peerId)) return undefined;
    const { perPeer } = this.#options;
    const stored = this.#source.idsOf(peerId, perPeer + 1);
    // Appended but not committed yet: not in SQLite, and part of the set all the same.
    for (const flying of this.#inFlight.values()) {
      if (flying.peerId === peerId) stored.push(flying.sayId);
    }
    const ids = new Set(stored);
    if (ids.size > perPeer) {
      this.#tooMany.add(peerId);
      return undefined;
    }
    this.#complete.set(peerId, ids);
    this.#held += ids.size;
    this.#evictBeyondBudget(peerId);
    return ids;
  }

  #evictBeyondBudget(keep?: string): void {
    for (const peerId of this.#complete.keys()) {
      if (this.#held <= this.#options.budget) return;
      if (peerId !== keep) this.#drop(peerId);
    }
  }

  #drop(peerId: string): void {
    const ids = this.#complete.get(peerId);
    if (!ids) return;
    this.#complete.delete(peerId);
    this.#held -= ids.size;
  }
}
