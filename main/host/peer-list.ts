/**
 * The room's peers as the items of a JSON array (no brackets), encoded once and kept between
 * welcomes: a join appends its peer's bytes, a leave has the list rebuilt on the next welcome.
 * A storm of N joins then encodes N peers, not N² of them, and every welcome shares the bytes.
 * The same holds for the list compressed for permessage-deflate (deflate-segments.ts): every
 * welcome to a deflate client splices in the compressed list instead of compressing it again.
 */
import type { Peer } from '../../protocol/wire/frames';
import { AppendOnlyDeflate } from './deflate-segments';
import type { DeflateTerms } from './wire';

const MIN_CAPACITY = 1024;
/**
 * Distinct deflate settings whose compressed list is kept (all clients share the host's, unless
 * some ask for a smaller window); clients with others get their welcome compressed whole.
 */
const MAX_DEFLATE_VARIANTS = 4;

/** The list as one welcome carries it. */
export interface PeerListSnapshot {
  /** The items as they are now; later joins never change these bytes. */
  readonly bytes: Buffer;
  /**
   * Deflate segments (deflate-segments.ts) that inflate to `bytes`, or undefined when the list
   * was rebuilt since or these terms are one variant too many.
   */
  deflated(deflate: DeflateTerms): readonly Buffer[] | undefined;
}

export class PeerListBytes {
  /** Bytes [0, length) are the list; what lies beyond is room to grow in place. */
  private buffer = Buffer.alloc(0);
  private length = 0;
  private current = true;
  /** Counts rebuilds: the compressed forms belong to one generation of the list. */
  private generation = 0;
  private deflaters = new Map<string, AppendOnlyDeflate>();

  /** The list now, with its compressed form on demand. */
  snapshot(peers: () => Iterable<Peer>): PeerListSnapshot {
    const bytes = this.bytes(peers);
    const generation = this.generation;
    return {
      bytes,
      deflated: (deflate) =>
        generation === this.generation
          ? this.deflaterFor(deflate)?.prefix(this.buffer, bytes.length)
          : undefined,
    };
  }

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

  private deflaterFor(deflate: DeflateTerms): AppendOnlyDeflate | undefined {
    const key = `${deflate.windowBits}:${JSON.stringify(deflate.zlibOptions)}`;
    let deflater = this.deflaters.get(key);
    if (!deflater && this.deflaters.size < MAX_DEFLATE_VARIANTS) {
      deflater = new AppendOnlyDeflate(deflate);
      this.deflaters.set(key, deflater);
    }
    return deflater;
  }

  private rebuild(peers: Iterable<Peer>): void {
    this.generation++;
    this.deflaters = new Map();
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
