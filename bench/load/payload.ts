/**
 * The chat text every benchmark message carries: a marker, the phase, the message's index in
 * that phase and its send time, padded to a fixed size. Fixed-width ASCII digits let the
 * generator find and read it inside any target's framing (raw text, Parley JSON, Socket.IO
 * event array) with one indexOf and a digit loop, no JSON.parse per delivery.
 */

export const PAYLOAD_BYTES = 100;
const MARKER = '~b';
export const MARKER_BYTES = Buffer.from(MARKER);
const PHASE_DIGITS = 4;
const INDEX_DIGITS = 8;
const MICROS_DIGITS = 14;
const HEADER = MARKER.length + PHASE_DIGITS + INDEX_DIGITS + MICROS_DIGITS;
/** Letters only, so the text needs no escaping in JSON or Socket.IO framing. */
const PADDING = 'x'.repeat(PAYLOAD_BYTES - HEADER);

export const MAX_PHASE = 10 ** PHASE_DIGITS - 1;
export const MAX_INDEX = 10 ** INDEX_DIGITS - 1;

export interface PayloadFields {
  phase: number;
  index: number;
  sentMicros: number;
}

export function encodePayload(phase: number, index: number, sentMicros: number): string {
  return (
    MARKER +
    String(phase).padStart(PHASE_DIGITS, '0') +
    String(index).padStart(INDEX_DIGITS, '0') +
    String(Math.round(sentMicros)).padStart(MICROS_DIGITS, '0') +
    PADDING
  );
}

/** Reads `length` ASCII digits; -1 when any byte is not a digit or the frame is too short. */
function readDigits(frame: Buffer, start: number, length: number): number {
  if (start + length > frame.length) return -1;
  let value = 0;
  for (let offset = start; offset < start + length; offset++) {
    const digit = frame[offset]! - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * Finds the payload in a received frame and writes its fields into `into` (reused to keep the
 * hot path allocation-free). Returns false for frames that carry no benchmark payload.
 */
export function decodePayload(frame: Buffer, into: PayloadFields): boolean {
  const at = frame.indexOf(MARKER_BYTES);
  if (at < 0) return false;
  const phaseAt = at + MARKER.length;
  const phase = readDigits(frame, phaseAt, PHASE_DIGITS);
  const index = readDigits(frame, phaseAt + PHASE_DIGITS, INDEX_DIGITS);
  const sentMicros = readDigits(frame, phaseAt + PHASE_DIGITS + INDEX_DIGITS, MICROS_DIGITS);
  if (phase < 0 || index < 0 || sentMicros < 0) return false;
  into.phase = phase;
  into.index = index;
  into.sentMicros = sentMicros;
  return true;
}
