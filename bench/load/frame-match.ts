/**
 * Byte-level looks at a Parley frame for the generator: whether it is a welcome, an error, or
 * names a conversation, without parsing the JSON. Frames come in as bytes [start, end) of a
 * buffer that is only valid during the call.
 */
import * as v from 'valibot';

/** Whether `needle` occurs inside [start, end) of `data` (the search itself may look further). */
export function contains(data: Buffer, needle: Buffer, start: number, end: number): boolean {
  // indexOf has no end: searching `data` itself would scan the rest of the read buffer, every
  // frame after this one included, once per frame.
  return end - start >= needle.length && data.subarray(start, end).includes(needle);
}

export const PARLEY_WELCOME = Buffer.from('"type":"welcome"');
const PARLEY_ERROR = Buffer.from('"type":"error"');

/** The part of an error frame both protocol versions share. */
const errorFrameSchema = v.object({ type: v.literal('error'), code: v.string() });

/** Error frames are rare: only they are parsed (and validated) in full. */
export function parleyErrorCode(data: Buffer, start: number, end: number): string | undefined {
  if (!contains(data, PARLEY_ERROR, start, end)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.toString('utf8', start, end));
  } catch {
    return 'unreadable_error';
  }
  const frame = v.safeParse(errorFrameSchema, parsed);
  return frame.success ? frame.output.code : 'unreadable_error';
}
