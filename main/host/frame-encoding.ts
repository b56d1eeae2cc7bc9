/**
 * One outgoing text message in its wire form, built once and shared by every recipient.
 *
 * A server's WebSocket frame is not masked, so the bytes of a text frame are the same for every
 * client: the header and payload are framed once, and with permessage-deflate (no context
 * takeover, as the host negotiates it) the payload is compressed once per window size rather
 * than once per recipient as ws would do.
 */
import { deflateMessage } from './deflate-segments';
import { frameWithWs, TEXT_OPCODE, type DeflateTerms } from './wire';

export { hostDeflateCount, hostDeflatedBytes } from './deflate-segments';

/** Below this size header and payload are copied into one Buffer so each socket gets one write. */
const MERGE_LIMIT = 16 * 1024;

/**
 * The payload compressed from segments put together (deflate-segments.ts), for a payload with a
 * large part shared by many frames; undefined when these terms need it compressed whole.
 */
export type SplicedDeflate = (deflate: DeflateTerms) => readonly Buffer[] | undefined;

export class OutboundFrame {
  /** The payload as the pieces it was built from (several for a welcome: see hello.ts). */
  readonly parts: readonly Buffer[];
  readonly byteLength: number;
  #payload: Buffer | undefined;
  #plain: readonly Buffer[] | undefined;
  #deflated: readonly Buffer[] | undefined;
  #deflatedWindowBits = 0;

  /**
   * One payload, or its pieces in order: pieces are framed without being copied together, so a
   * large piece shared by many frames (the welcome's peer list) is never copied per frame.
   */
  constructor(
    data: Buffer | string | readonly Buffer[],
    private readonly spliced?: SplicedDeflate,
  ) {
    if (typeof data === 'string') this.parts = [Buffer.from(data, 'utf8')];
    else if (Buffer.isBuffer(data)) this.parts = [data];
    else this.parts = data;
    this.byteLength = this.parts.length === 1 ? this.parts[0]!.length : totalLength(this.parts);
  }

  /** The whole payload in one Buffer (copied together once, only if it came in pieces). */
  get payload(): Buffer {
    this.#payload ??=
      this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.byteLength);
    return this.#payload;
  }

  /**
   * The frame's bytes for a socket with these deflate terms, or undefined when only ws can send
   * it (compression with context takeover keeps a per-socket dictionary).
   */
  framedFor(deflate: DeflateTerms | undefined): readonly Buffer[] | undefined {
    if (!deflate || this.byteLength < deflate.threshold) {
      this.#plain ??= this.parts.length === 1 ? frameOf(this.parts[0]!, false) : this.framedParts();
      return this.#plain;
    }
    if (!deflate.noContextTakeover) return undefined;
    // Clients asking for a smaller window are rare; they get their own copy, the rest share one.
    if (this.#deflated && this.#deflatedWindowBits === deflate.windowBits) return this.#deflated;
    const segments = this.spliced?.(deflate);
    const deflated = segments
      ? framedSegments(segments)
      : frameOf(deflateMessage(this.payload, deflate), true);
    if (!this.#deflated) {
      this.#deflated = deflated;
      this.#deflatedWindowBits = deflate.windowBits;
    }
    return deflated;
  }

  private framedParts(): readonly Buffer[] {
    return framedPieces(this.parts, this.byteLength, false);
  }
}

/** A compressed payload in segments, framed without copying the large ones together. */
function framedSegments(segments: readonly Buffer[]): readonly Buffer[] {
  return framedPieces(segments, totalLength(segments), true);
}

function framedPieces(pieces: readonly Buffer[], length: number, compressed: boolean): Buffer[] {
  const header = textFrameHeader(length, compressed);
  if (length <= MERGE_LIMIT) return [Buffer.concat([header, ...pieces])];
  return [header, ...pieces.filter((piece) => piece.length > 0)];
}

/**
 * The answer to every `ping`, one frame for all: framed once, and a client that sends pings
 * without reading costs the host a reference per answer it holds, not a frame of its own each.
 */
export const PONG = new OutboundFrame('{"type":"pong"}');

function totalLength(parts: readonly Buffer[]): number {
  let length = 0;
  for (const part of parts) length += part.length;
  return length;
}

/**
 * An unmasked, final text frame's header (RFC 6455 5.2) for a payload of `length` bytes, built
 * here because ws's framer needs the payload in one piece.
 */
export function textFrameHeader(length: number, compressed: boolean): Buffer {
  const first = 0x80 | TEXT_OPCODE | (compressed ? 0x40 : 0);
  if (length < 126) return Buffer.from([first, length]);
  if (length < 65_536) {
    const header = Buffer.allocUnsafe(4);
    header[0] = first;
    header[1] = 126;
    header.writeUInt16BE(length, 2);
    return header;
  }
  const header = Buffer.alloc(10);
  header[0] = first;
  header[1] = 127;
  header.writeUIntBE(length, 4, 6);
  return header;
}

function frameOf(payload: Buffer, compressed: boolean): readonly Buffer[] {
  const parts = frameWithWs(payload, TEXT_OPCODE, compressed);
  if (parts.length === 2 && payload.length <= MERGE_LIMIT) return [Buffer.concat(parts)];
  return parts;
}
