import { describe, expect, it } from 'vitest';
import {
  decodePayload,
  encodePayload,
  PAYLOAD_BYTES,
  type PayloadFields,
} from '../../../bench/load/payload';

const blank = (): PayloadFields => ({ phase: -1, index: -1, sentMicros: -1 });

describe('benchmark payload', () => {
  it('is a fixed-size ASCII text', () => {
    const text = encodePayload(12, 3456, 987_654_321.4);
    expect(Buffer.byteLength(text)).toBe(PAYLOAD_BYTES);
    expect(text).toMatch(/^[\x20-\x7e]+$/);
  });

  it('is found and read inside each target framing', () => {
    const text = encodePayload(7, 42, 123_456_789);
    const framings = [
      text,
      JSON.stringify({
        type: 'message',
        seq: 9,
        id: 'p7m42',
        from: { id: 'x', name: 'b3' },
        text,
        ts: 1,
      }),
      `42${JSON.stringify(['chat', text])}`,
    ];
    for (const framing of framings) {
      const fields = blank();
      expect(decodePayload(Buffer.from(framing), fields)).toBe(true);
      expect(fields).toEqual({ phase: 7, index: 42, sentMicros: 123_456_789 });
    }
  });

  it('ignores frames without a payload and truncated ones', () => {
    const fields = blank();
    expect(decodePayload(Buffer.from('{"type":"ack","id":"p1m2","seq":3}'), fields)).toBe(false);
    expect(decodePayload(Buffer.from('~b00'), fields)).toBe(false);
    expect(decodePayload(Buffer.from('~b00x1'.padEnd(40, '0')), fields)).toBe(false);
    expect(fields).toEqual(blank());
  });
});
