/**
 * Who is in the room, as a client sees it: the welcome's list (everyone, up to the host's limit),
 * pages asked for later, kept current by joined, left and peer (a rename); and how many people
 * the room has in all, which may be more than it listed.
 */
import type { PeerV2 } from '../wire/entries';

export class PeerList {
  #peers = new Map<string, PeerV2>();
  #count = 0;

  /** Replaces the list (a welcome); a peer listed twice keeps its first place. */
  reset(peers: readonly PeerV2[], count: number): void {
    this.#peers = new Map();
    for (const peer of peers) if (!this.#peers.has(peer.id)) this.#peers.set(peer.id, peer);
    this.#count = Math.max(count, this.#peers.size);
  }

  /** Someone arrived; returns false when the peer was already listed under the same name. */
  add(peer: PeerV2): boolean {
    const known = this.#peers.get(peer.id);
    if (!known) this.#count++;
    if (known && known.name === peer.name) return false;
    this.#peers.set(peer.id, peer);
    return true;
  }

  /** A page of people (a `peers` answer): learned, not arrived. Returns whether anything changed. */
  learn(peers: readonly PeerV2[]): boolean {
    let changed = false;
    for (const peer of peers) {
      const known = this.#peers.get(peer.id);
      if (known && known.name === peer.name) continue;
      this.#peers.set(peer.id, peer);
      changed = true;
    }
    this.#count = Math.max(this.#count, this.#peers.size);
    return changed;
  }

  /** A rename of someone listed (or not listed yet: the room is bigger than the list). */
  rename(peer: PeerV2): boolean {
    const known = this.#peers.get(peer.id);
    if (known?.name === peer.name) return false;
    this.#peers.set(peer.id, peer);
    this.#count = Math.max(this.#count, this.#peers.size);
    return true;
  }

  remove(peer: PeerV2): boolean {
    const removed = this.#peers.delete(peer.id);
    // Someone beyond the listed ones may leave too: the room still got smaller.
    this.#count = Math.max(this.#peers.size, this.#count - 1);
    return removed;
  }

  get(id: string): PeerV2 | undefined {
    return this.#peers.get(id);
  }

  list(): PeerV2[] {
    return [...this.#peers.values()];
  }

  /** How many people the room has, listed or not. */
  get count(): number {
    return this.#count;
  }

  names(): string[] {
    return [...this.#peers.values()].map((peer) => peer.name);
  }
}
