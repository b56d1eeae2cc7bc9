import { describe, expect, it } from 'vitest';
import {
  encodePayload,
  NO_PAYLOAD,
  OTHER_PHASE,
  PAYLOAD_BYTES,
  readPayloadIndex,
} from '../../../bench/load/payload';

describe('benchmark payload', () => {
  it('is a fixed-size ASCII text', () => {
    const text = encodePayload(12, 3456, 987_654_321.4);
    expect(Buffer.byteLength(text)).toBe(PAYLOAD_BYTES);
    expect(text).toMatch(/^[\x20-\x7e]+$/);
    expect(text.slice(0, 28)).toBe('~b00120000345600000987654321');
  });
});

describe('readPayloadIndex', () => {
  const text = encodePayload(7, 42, 123_456_789);
  const parleyFrame = JSON.stringify({
    type: 'message',
    seq: 9,
    id: 'p7m42',
    from: { id: 'x', name: 'b3' },
    text,
    ts: 1,
  });

  it('reads the index in place from each target framing, anywhere in a larger buffer', () => {
    for (const framing of [text, parleyFrame, `42${JSON.stringify(['chat', text])}`]) {
      const buffer = Buffer.from(`garbage${framing}trailing`);
      const start = 'garbage'.length;
      expect(readPayloadIndex(buffer, start, start + framing.length, 7)).toBe(42);
    }
  });

  it('tells a late delivery of another phase from a frame without payload', () => {
    expect(readPayloadIndex(Buffer.from(text), 0, text.length, 8)).toBe(OTHER_PHASE);
    const ack = Buffer.from('{"type":"ack","id":"p1m2","seq":3}');
    expect(readPayloadIndex(ack, 0, ack.length, 7)).toBe(NO_PAYLOAD);
    const short = Buffer.from('~b00');
    expect(readPayloadIndex(short, 0, short.length, 0)).toBe(NO_PAYLOAD);
  });

  it('never reads past the end of its frame into the next one in the same read', () => {
    const ack = '{"type":"ack","id":"p7m42","seq":3}';
    const read = Buffer.from(ack + text);
    expect(readPayloadIndex(read, 0, ack.length, 7)).toBe(NO_PAYLOAD);
    expect(readPayloadIndex(read, ack.length, read.length, 7)).toBe(42);
    // A payload cut short by the frame's end is not a payload.
    expect(readPayloadIndex(read, ack.length, ack.length + 20, 7)).toBe(NO_PAYLOAD);
  });

  it('rejects a marker followed by anything but digits', () => {
    const broken = Buffer.from(`~b0007x${text.slice(7)}`);
    expect(readPayloadIndex(broken, 0, broken.length, 7)).toBe(NO_PAYLOAD);
  });
});
