/**
 * Frames the generator sends. RFC 6455 requires every client frame to be masked; the key is
 * meant to stop cache poisoning through proxies that misread WebSocket traffic, which cannot
 * happen on loopback. So the generator always uses the all-zero key (still a masked frame, valid
 * for any server): XOR with zero leaves the payload as it is, so a frame is a precomputed-shape
 * header followed by the payload bytes, written with no masking pass.
 */
import { OPCODE_CLOSE, OPCODE_PONG, OPCODE_TEXT } from './frame-parser';

const FIN = 0x80;
const MASKED = 0x80;
const MASK_KEY_BYTES = 4;

/** Header size (mask key included) for a payload of `length` bytes. */
function headerBytes(length: number): number {
  if (length < 126) return 2 + MASK_KEY_BYTES;
  if (length <= 0xffff) return 4 + MASK_KEY_BYTES;
  return 10 + MASK_KEY_BYTES;
}

/** Writes the header for a final frame into `into`; the mask key bytes are zeroed. */
function writeHeader(into: Buffer, opcode: number, length: number): number {
  into[0] = FIN | opcode;
  let offset: number;
  if (length < 126) {
    into[1] = MASKED | length;
    offset = 2;
  } else if (length <= 0xffff) {
    into[1] = MASKED | 126;
    into.writeUInt16BE(length, 2);
    offset = 4;
  } else {
    into[1] = MASKED | 127;
    into.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    into.writeUInt32BE(length >>> 0, 6);
    offset = 10;
  }
  into.fill(0, offset, offset + MASK_KEY_BYTES);
  return offset + MASK_KEY_BYTES;
}

/**
 * One masked text frame. The generator's texts are ASCII (names, ids, digits, padding), but any
 * string is encoded as UTF-8 correctly.
 */
export function textFrame(text: string): Buffer {
  const length = Buffer.byteLength(text, 'utf8');
  const header = headerBytes(length);
  const frame = Buffer.allocUnsafe(header + length);
  writeHeader(frame, OPCODE_TEXT, length);
  frame.write(text, header, 'utf8');
  return frame;
}

/** The answer to a ping: a pong carrying the ping's payload (at most 125 bytes). */
export function pongFrame(data: Buffer, start: number, end: number): Buffer {
  const length = end - start;
  const frame = Buffer.allocUnsafe(headerBytes(length) + length);
  const header = writeHeader(frame, OPCODE_PONG, length);
  data.copy(frame, header, start, end);
  return frame;
}

/** A close frame with a status code (no reason text). */
export function closeFrame(code: number): Buffer {
  const frame = Buffer.allocUnsafe(headerBytes(2) + 2);
  const header = writeHeader(frame, OPCODE_CLOSE, 2);
  frame.writeUInt16BE(code, header);
  return frame;
}
