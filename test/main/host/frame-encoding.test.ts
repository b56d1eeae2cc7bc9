import { constants, inflateRawSync, type ZlibOptions } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { hostDeflateCount, OutboundFrame } from '../../../main/host/frame-encoding';
import type { DeflateTerms } from '../../../main/host/wire';

/** Inflates as a permessage-deflate receiver does: the tail put back, no final block expected. */
function inflateMessage(payload: Buffer, options: ZlibOptions = {}): string {
  const tail = Buffer.from([0x00, 0x00, 0xff, 0xff]);
  return inflateRawSync(Buffer.concat([payload, tail]), {
    ...options,
    finishFlush: constants.Z_SYNC_FLUSH,
  }).toString();
}

const terms: DeflateTerms = {
  threshold: 1024,
  noContextTakeover: true,
  windowBits: 15,
  zlibOptions: { level: 1 },
};

/** Splits one unmasked server frame into its flags and payload (RFC 6455 5.2). */
function readFrame(parts: readonly Buffer[]) {
  const bytes = Buffer.concat(parts);
  const first = bytes[0]!;
  const second = bytes[1]!;
  expect(second & 0x80).toBe(0);
  let length = second & 0x7f;
  let offset = 2;
  if (length === 126) {
    length = bytes.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    length = Number(bytes.readBigUInt64BE(2));
    offset = 10;
  }
  expect(bytes.length).toBe(offset + length);
  return {
    fin: (first & 0x80) !== 0,
    rsv1: (first & 0x40) !== 0,
    opcode: first & 0x0f,
    payload: bytes.subarray(offset),
  };
}

describe('OutboundFrame', () => {
  it('frames a small text message once, as one buffer shared by every caller', () => {
    const frame = new OutboundFrame('{"type":"pong"}');
    const wire = frame.framedFor(undefined)!;
    expect(wire).toHaveLength(1);
    expect(frame.framedFor(terms)).toBe(wire);
    const read = readFrame(wire);
    expect(read).toMatchObject({ fin: true, rsv1: false, opcode: 1 });
    expect(read.payload.toString()).toBe('{"type":"pong"}');
  });

  it('uses the 16- and 64-bit length forms for larger payloads', () => {
    for (const size of [126, 65_535, 70_000]) {
      const payload = Buffer.alloc(size, 'a');
      const read = readFrame(new OutboundFrame(payload).framedFor(undefined)!);
      expect(read.payload.equals(payload)).toBe(true);
    }
  });

  it('compresses a payload over the threshold once, as RFC 7692 says, for any number of sockets', () => {
    const text = JSON.stringify({ type: 'message', text: 'hello there '.repeat(500) });
    const frame = new OutboundFrame(text);
    const before = hostDeflateCount();
    const wire = frame.framedFor(terms)!;
    for (let index = 0; index < 100; index++) expect(frame.framedFor(terms)).toBe(wire);
    expect(hostDeflateCount() - before).toBe(1);
    const read = readFrame(wire);
    expect(read).toMatchObject({ fin: true, rsv1: true, opcode: 1 });
    expect(read.payload.length).toBeLessThan(text.length / 4);
    expect(inflateMessage(read.payload)).toBe(text);
    // A socket without deflate still gets the plain frame.
    expect(readFrame(frame.framedFor(undefined)!).payload.toString()).toBe(text);
  });

  it('compresses separately for a socket that asked for a smaller window', () => {
    const text = 'abcdefgh'.repeat(400);
    const frame = new OutboundFrame(text);
    const shared = frame.framedFor(terms)!;
    const small = frame.framedFor({ ...terms, windowBits: 9 })!;
    expect(small).not.toBe(shared);
    const payload = readFrame(small).payload;
    expect(inflateMessage(payload, { windowBits: 9 })).toBe(text);
    expect(frame.framedFor(terms)).toBe(shared);
  });

  it('leaves compression with context takeover to ws', () => {
    const frame = new OutboundFrame('z'.repeat(2000));
    expect(frame.framedFor({ ...terms, noContextTakeover: false })).toBeUndefined();
    expect(frame.framedFor({ ...terms, noContextTakeover: false, threshold: 4096 })).toHaveLength(
      1,
    );
  });

  it('frames a payload given in pieces without copying a large piece, as one frame', () => {
    const shared = Buffer.from(`"${'p'.repeat(40_000)}"`);
    const head = Buffer.from('{"peers":[');
    const tail = Buffer.from(']}');
    const frame = new OutboundFrame([head, shared, tail]);
    expect(frame.byteLength).toBe(head.length + shared.length + tail.length);
    const wire = frame.framedFor(undefined)!;
    // The big piece is written as it is: the very same Buffer, no copy.
    expect(wire).toContain(shared);
    const read = readFrame(wire);
    expect(read).toMatchObject({ fin: true, rsv1: false, opcode: 1 });
    expect(read.payload.equals(Buffer.concat([head, shared, tail]))).toBe(true);
    // With deflate the pieces are joined once and compressed once.
    const before = hostDeflateCount();
    const compressed = readFrame(frame.framedFor(terms)!);
    expect(compressed.rsv1).toBe(true);
    expect(inflateMessage(compressed.payload)).toBe(read.payload.toString());
    expect(hostDeflateCount() - before).toBe(1);
  });

  it('frames small pieces as one buffer, and agrees with ws on every length form', () => {
    for (const size of [0, 1, 125, 126, 65_535, 65_536, 70_000]) {
      const payload = Buffer.alloc(size, 'b');
      const pieces = [payload.subarray(0, size >> 1), payload.subarray(size >> 1)];
      const fromPieces = new OutboundFrame(pieces).framedFor(undefined)!;
      const whole = new OutboundFrame(payload).framedFor(undefined)!;
      expect(Buffer.concat(fromPieces).equals(Buffer.concat(whole))).toBe(true);
      if (size <= 16 * 1024) expect(fromPieces).toHaveLength(1);
    }
  });
});
