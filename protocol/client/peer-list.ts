/** Who is in the room, as a client sees it: the welcome's list, kept current by joined/left. */
import type { Peer } from '../wire/frames';

export class PeerList {
  #peers = new Map<string, Peer>();

  /** Replaces the list (a welcome); a peer listed twice keeps its first place. */
  reset(peers: readonly Peer[]): void {
    this.#peers = new Map();
    for (const peer of peers) if (!this.#peers.has(peer.id)) this.#peers.set(peer.id, peer);
  }

  /** Returns false when the peer was already listed under the same name. */
  add(peer: Peer): boolean {
    const known = this.#peers.get(peer.id);
    if (known && known.name === peer.name) return false;
    this.#peers.set(peer.id, peer);
    return true;
  }

  remove(peer: Peer): boolean {
    return this.#peers.delete(peer.id);
  }

  list(): Peer[] {
    return [...this.#peers.values()];
  }
}
