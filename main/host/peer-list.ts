/**
 * The room's peers as the items of a JSON array (no brackets), encoded once and kept between
 * welcomes: a join appends its peer's bytes, a leave has the list rebuilt on the next welcome.
 * A storm of N joins then encodes N peers, not N² of them, and every welcome shares the bytes.
 */
import type { Peer } from '../../protocol/wire/frames';

const MIN_CAPACITY = 1024;

export class PeerListBytes {
  /** Bytes [0, length) are the list; what lies beyond is room to grow in place. */
  private buffer = Buffer.alloc(0);
  private length = 0;
  private current = true;

  /**
   * The list as it is now. The Buffer is a view that later joins never change: they write past
   * its end, or into a new buffer once this one is full.
   */
  bytes(peers: () => Iterable<Peer>): Buffer {
    if (!this.current) this.rebuild(peers());
    return this.buffer.subarray(0, this.length);
  }

  joined(peer: Peer): void {
    if (this.current) this.append(peer);
  }

  left(): void {
    this.current = false;
  }

  private rebuild(peers: Iterable<Peer>): void {
    this.length = 0;
    // A fresh buffer: welcomes still being written hold views of the old one.
    this.buffer = Buffer.alloc(0);
    this.current = true;
    for (const peer of peers) this.append(peer);
  }

  private append(peer: Peer): void {
    const item = `${this.length === 0 ? '' : ','}${JSON.stringify(peer)}`;
    const size = Buffer.byteLength(item);
    if (this.length + size > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(MIN_CAPACITY, 2 * (this.length + size)));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    this.length += this.buffer.write(item, this.length);
  }
}
