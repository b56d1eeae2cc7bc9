/**
 * Pieces of a permessage-deflate payload that can be compressed apart and put together later.
 *
 * The host negotiates no context takeover, so each message is inflated on its own, from empty
 * history (RFC 7692 7.2.2). A raw deflate stream is a run of blocks; a block flushed with
 * Z_SYNC_FLUSH ends on a byte boundary (with an empty stored block, 00 00 ff ff), is not final,
 * and refers only to bytes of its own segment. Such segments can therefore be concatenated in any
 * order, and the result inflates to the concatenation of their inputs: a large part many
 * messages share (the welcome's peer list) is compressed once and spliced into each of them.
 */
import { constants, deflateRawSync } from 'node:zlib';
import type { DeflateTerms } from './wire';

/** RFC 7692 7.2.1: a sync-flushed message ends with this empty block, which is not sent. */
const SYNC_FLUSH_TAIL = Buffer.from([0x00, 0x00, 0xff, 0xff]);
/** A stored block holds at most this many bytes (RFC 1951 3.2.4: LEN is 16 bits). */
const STORED_BLOCK_MAX = 0xffff;

let deflateCalls = 0;
let deflatedBytes = 0;

/** How many payloads the host has compressed itself since it started (for tests and profiles). */
export function hostDeflateCount(): number {
  return deflateCalls;
}

/** How many bytes the host has compressed itself since it started (for tests and profiles). */
export function hostDeflatedBytes(): number {
  return deflatedBytes;
}

/**
 * `bytes` compressed on their own with the socket's terms, ending byte-aligned with the sync
 * flush's empty block: any segment may follow it in the same message.
 */
export function deflateSegment(bytes: Buffer, deflate: DeflateTerms): Buffer {
  deflateCalls++;
  deflatedBytes += bytes.length;
  return deflateRawSync(bytes, {
    ...deflate.zlibOptions,
    windowBits: deflate.windowBits,
    finishFlush: constants.Z_SYNC_FLUSH,
  });
}

/** A whole message's payload: one segment without the tail the receiver puts back. */
export function deflateMessage(bytes: Buffer, deflate: DeflateTerms): Buffer {
  const output = deflateSegment(bytes, deflate);
  const tail = output.length - SYNC_FLUSH_TAIL.length;
  return tail >= 0 && output.subarray(tail).equals(SYNC_FLUSH_TAIL)
    ? output.subarray(0, tail)
    : output;
}

/**
 * `bytes` as stored (uncompressed) blocks: a segment for a few bytes that are not worth a zlib
 * stream of their own (a welcome's closing `]}`). Starts byte-aligned, as every segment ends.
 */
export function storedSegment(bytes: Buffer): Buffer {
  const blocks: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += STORED_BLOCK_MAX) {
    const chunk = bytes.subarray(start, start + STORED_BLOCK_MAX);
    const header = Buffer.alloc(5);
    // BFINAL 0, BTYPE 00 (stored), padding to the byte boundary: the first byte is 0.
    header.writeUInt16LE(chunk.length, 1);
    header.writeUInt16LE(~chunk.length & 0xffff, 3);
    blocks.push(header, chunk);
  }
  return Buffer.concat(blocks);
}

/** Block size of AppendOnlyDeflate: each welcome compresses at most this much of the list. */
const BLOCK_BYTES = 16 * 1024;
const MIN_CAPACITY = 4 * 1024;

/**
 * The compressed form of any prefix of a byte sequence that only grows (PeerListBytes), in
 * segments: every full block of BLOCK_BYTES is compressed once and kept, and only the rest of a
 * prefix is compressed when it is asked for. A join storm of N joins then compresses the list
 * about twice over in all, not N times.
 */
export class AppendOnlyDeflate {
  /** The kept blocks' segments, back to back; views handed out are never written again. */
  private sealed = Buffer.alloc(0);
  private sealedLength = 0;
  /** For each kept block i, where its input ends and where its segment ends in `sealed`. */
  private readonly inputEnds: number[] = [0];
  private readonly sealedEnds: number[] = [0];
  /** The last rest compressed, kept for the next welcome of the same prefix. */
  private rest: { from: number; to: number; segment: Buffer } | undefined;

  constructor(private readonly deflate: DeflateTerms) {}

  /** Segments that inflate to source[0, length); `source` only ever grew since this was made. */
  prefix(source: Buffer, length: number): readonly Buffer[] {
    while (length - this.inputEnds.at(-1)! >= BLOCK_BYTES) {
      const from = this.inputEnds.at(-1)!;
      this.seal(source.subarray(from, from + BLOCK_BYTES), from + BLOCK_BYTES);
    }
    // The last kept block that ends within the prefix (an older prefix may end before the last).
    let block = this.inputEnds.length - 1;
    while (this.inputEnds[block]! > length) block--;
    const from = this.inputEnds[block]!;
    const segments: Buffer[] = [];
    if (block > 0) segments.push(this.sealed.subarray(0, this.sealedEnds[block]));
    if (length > from) segments.push(this.restSegment(source, from, length));
    return segments;
  }

  private restSegment(source: Buffer, from: number, to: number): Buffer {
    const rest = this.rest;
    if (rest?.from === from && rest.to === to) return rest.segment;
    const segment = deflateSegment(source.subarray(from, to), this.deflate);
    this.rest = { from, to, segment };
    return segment;
  }

  private seal(block: Buffer, inputEnd: number): void {
    const segment = deflateSegment(block, this.deflate);
    if (this.sealedLength + segment.length > this.sealed.length) {
      const grown = Buffer.allocUnsafe(
        Math.max(MIN_CAPACITY, 2 * (this.sealedLength + segment.length)),
      );
      this.sealed.copy(grown, 0, 0, this.sealedLength);
      this.sealed = grown;
    }
    segment.copy(this.sealed, this.sealedLength);
    this.sealedLength += segment.length;
    this.inputEnds.push(inputEnd);
    this.sealedEnds.push(this.sealedLength);
  }
}
