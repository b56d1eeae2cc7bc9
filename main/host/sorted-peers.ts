/**
 * The people of the room sorted by name (nameKey, then id), as parley.v2 lists them: the first
 * `welcomePeersMax` in every welcome, and pages of them for `peers {after, limit}`. Each listed
 * person's JSON is encoded once per name; the welcome's list is put together once per change and
 * shared by every welcome until the next one, so a join storm costs each welcome one copy of it.
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
   * ever are, and a room of parley.v1 clients never lists anyone this way.
   */
  json: Buffer | undefined;
}

const COMMA = Buffer.from(',');

function before(a: Pick<Item, 'key'> & { id: string }, b: Item): boolean {
  return a.key < b.key || (a.key === b.key && a.id < b.person.id);
}

export class SortedPeers {
  private readonly items: Item[] = [];
  private welcomeBytes: Buffer | undefined;
  private welcomeMax = -1;

  get size(): number {
    return this.items.length;
  }

  add(person: SortedPerson): void {
    const item: Item = { person, key: person.key, json: undefined };
    this.items.splice(this.indexOf(person.key, person.id), 0, item);
    this.welcomeBytes = undefined;
  }

  delete(person: SortedPerson): void {
    const index = this.indexOf(person.key, person.id);
    if (this.items[index]?.person !== person) return;
    this.items.splice(index, 1);
    this.welcomeBytes = undefined;
  }

  /** The first `max` people as JSON array items (no brackets), shared until the next change. */
  welcomeItemsBytes(max: number): Buffer {
    if (this.welcomeBytes && this.welcomeMax === max) return this.welcomeBytes;
    const parts: Buffer[] = [];
    for (const item of this.items.slice(0, max)) {
      if (parts.length > 0) parts.push(COMMA);
      item.json ??= Buffer.from(JSON.stringify(item.person.peer));
      parts.push(item.json);
    }
    this.welcomeBytes = Buffer.concat(parts);
    this.welcomeMax = max;
    return this.welcomeBytes;
  }

  /** The `limit` people after the name `after` (by nameKey, exclusive), and whether more follow. */
  page(after: string | undefined, limit: number): { peers: PeerV2[]; more: boolean } {
    const start = after === undefined ? 0 : this.indexAfterKey(nameKey(after));
    const end = Math.min(this.items.length, start + limit);
    const peers = this.items.slice(start, end).map((item) => item.person.peer);
    return { peers, more: end < this.items.length };
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
