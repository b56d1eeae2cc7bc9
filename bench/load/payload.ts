/**
 * The chat text every benchmark message carries: a marker, the phase, the message's index in
 * that phase and its send time, padded to a fixed size. Fixed-width ASCII digits let the
 * generator find and read it inside any target's framing (raw text, Parley JSON, Socket.IO
 * event array) with a short byte scan and a digit loop, no JSON.parse per delivery. The send
 * time is for people reading captures: the generator keeps its own table of send times.
 */

export const PAYLOAD_BYTES = 100;
const MARKER = '~b';
const PHASE_DIGITS = 4;
const INDEX_DIGITS = 8;
const MICROS_DIGITS = 14;
const HEADER = MARKER.length + PHASE_DIGITS + INDEX_DIGITS + MICROS_DIGITS;
/** Letters only, so the text needs no escaping in JSON or Socket.IO framing. */
const PADDING = 'x'.repeat(PAYLOAD_BYTES - HEADER);
const MARKER_FIRST = MARKER.charCodeAt(0);
const MARKER_SECOND = MARKER.charCodeAt(1);

export const MAX_PHASE = 10 ** PHASE_DIGITS - 1;
export const MAX_INDEX = 10 ** INDEX_DIGITS - 1;

/** `readPayloadIndex`: the bytes carry no benchmark payload. */
export const NO_PAYLOAD = -1;
/** `readPayloadIndex`: a payload of another phase (a late delivery of an earlier one). */
export const OTHER_PHASE = -2;

export function encodePayload(phase: number, index: number, sentMicros: number): string {
  return (
    MARKER +
    String(phase).padStart(PHASE_DIGITS, '0') +
    String(index).padStart(INDEX_DIGITS, '0') +
    String(Math.round(sentMicros)).padStart(MICROS_DIGITS, '0') +
    PADDING
  );
}

/** Reads `length` ASCII digits at `start`; -1 when any of them is not a digit. */
function readDigits(data: Buffer, start: number, length: number): number {
  let value = 0;
  for (let offset = start; offset < start + length; offset++) {
    const digit = data[offset]! - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * The generator's per-delivery read: the index of the message whose payload lies in the bytes
 * [start, end) of `data` when it belongs to `phase`, else NO_PAYLOAD or OTHER_PHASE. Reads the
 * bytes in place, nothing allocated. The marker is searched with a plain loop, not indexOf: it
 * sits within the first ~100 bytes of every target's frame (at 0 for plain ws), where a native
 * call costs more than the scan.
 */
export function readPayloadIndex(data: Buffer, start: number, end: number, phase: number): number {
  // A payload must fit before `end` entirely: never read into the next frame of the same read.
  const last = end - HEADER;
  let at = start;
  while (at <= last && (data[at] !== MARKER_FIRST || data[at + 1] !== MARKER_SECOND)) at++;
  if (at > last) return NO_PAYLOAD;
  const phaseAt = at + MARKER.length;
  const framePhase = readDigits(data, phaseAt, PHASE_DIGITS);
  const index = readDigits(data, phaseAt + PHASE_DIGITS, INDEX_DIGITS);
  if (framePhase < 0 || index < 0) return NO_PAYLOAD;
  return framePhase === phase ? index : OTHER_PHASE;
}
