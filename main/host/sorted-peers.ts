/**
 * The people of the room sorted by name (nameKey, then id), as parley.v2 lists them: the first
 * `welcomePeersMax` in every welcome, and pages of them for `peers {after, limit}`. Each listed
 * person's JSON is encoded once per name; the welcome's list is put together once per change of
 * the people it lists and shared by every welcome until the next one, so in a join storm of more
 * people than a welcome lists, most joins (those who sort after the listed ones) reuse it.
 */
import type { PeerV2 } from '../../protocol/wire/entries';
import { nameKey } from '../../protocol/wire/text';

/** What the list needs of a person. */
export interface SortedPerson {
  readonly id: string;
  /** nameKey of its name. */
  readonly key: string;
  readonly peer: PeerV2;
}

interface Item {
  readonly person: SortedPerson;
  readonly key: string;
  /**
   * The person's JSON, encoded when a welcome first lists it: only the first `welcomePeersMax`
   * ever are, and a room of parley.v1 clients never lists anyone this way. A string, not a
   * Buffer: a small Buffer is a slice of an 8 KiB pool slab and keeps the whole slab alive (2 MB
   * for the 2,000 people listed during 10,000 joins).
   */
  json: string | undefined;
}

function before(a: Pick<Item, 'key'> & { id: string }, b: Item): boolean {
  return a.key < b.key || (a.key === b.key && a.id < b.person.id);
}

export class SortedPeers {
  private readonly items: Item[] = [];
  private welcomeBytes: Buffer | undefined;
  private welcomeMax = -1;
  /** How many people `welcomeBytes` lists. */
  private welcomeCount = 0;

  get size(): number {
    return this.items.length;
  }

  add(person: SortedPerson): void {
    const item: Item = { person, key: person.key, json: undefined };
    const index = this.indexOf(person.key, person.id);
    this.items.splice(index, 0, item);
    this.changedAt(index);
  }

  delete(person: SortedPerson): void {
    const index = this.indexOf(person.key, person.id);
    if (this.items[index]?.person !== person) return;
    this.items.splice(index, 1);
    this.changedAt(index);
  }

  /** The first `max` people as JSON array items (no brackets), shared until the next change. */
  welcomeItemsBytes(max: number): Buffer {
    if (this.welcomeBytes && this.welcomeMax === max) return this.welcomeBytes;
    const listed = this.items.slice(0, max);
    this.welcomeBytes = Buffer.from(
      listed.map((item) => (item.json ??= JSON.stringify(item.person.peer))).join(','),
    );
    this.welcomeMax = max;
    this.welcomeCount = listed.length;
    return this.welcomeBytes;
  }

  /** The `limit` people after the name `after` (by nameKey, exclusive), and whether more follow. */
  page(after: string | undefined, limit: number): { peers: PeerV2[]; more: boolean } {
    const start = after === undefined ? 0 : this.indexAfterKey(nameKey(after));
    const end = Math.min(this.items.length, start + limit);
    const peers = this.items.slice(start, end).map((item) => item.person.peer);
    return { peers, more: end < this.items.length };
  }

  /**
   * Someone came or went at `index`: the shared welcome list changes if it lists that place, or
   * if it listed everyone and so had room for one more.
   */
  private changedAt(index: number): void {
    if (index < this.welcomeCount || this.welcomeCount < this.welcomeMax) {
      this.welcomeBytes = undefined;
    }
  }

  /** Where (key, id) is or would go. */
  private indexOf(key: string, id: string): number {
    let low = 0;
    let high = this.items.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (before({ key, id }, this.items[middle]!)) high = middle;
      else if (this.items[middle]!.key === key && this.items[middle]!.person.id === id) {
        return middle;
      } else low = middle + 1;
    }
    return low;
  }

  /** The first item whose key sorts after `key`. */
  private indexAfterKey(key: string): number {
    let low = 0;
    let high = this.items.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.items[middle]!.key <= key) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
