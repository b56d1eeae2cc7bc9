import { describe, expect, it } from 'vitest';
import { closeFrame, pongFrame, textFrame } from '../../../bench/load/client-frames';

/** Unmasks a client frame the way a server does (RFC 6455 section 5.3). */
function readClientFrame(frame: Buffer) {
  const length7 = frame[1]! & 0x7f;
  let offset = 2;
  let length = length7;
  if (length7 === 126) {
    length = frame.readUInt16BE(2);
    offset = 4;
  } else if (length7 === 127) {
    length = Number(frame.readBigUInt64BE(2));
    offset = 10;
  }
  const key = frame.subarray(offset, offset + 4);
  const payload = Buffer.from(frame.subarray(offset + 4));
  for (let index = 0; index < payload.length; index++) payload[index]! ^= key[index % 4]!;
  return {
    fin: (frame[0]! & 0x80) !== 0,
    opcode: frame[0]! & 0x0f,
    masked: (frame[1]! & 0x80) !== 0,
    headerBytes: offset + 4,
    length,
    payload,
  };
}

describe('client frames', () => {
  it.each([
    [0, 6],
    [125, 6],
    [126, 8],
    [65_535, 8],
    [65_536, 14],
  ])('frames a %i-byte text masked, with the shortest length encoding', (size, headerBytes) => {
    const text = 'q'.repeat(size);
    const frame = readClientFrame(textFrame(text));
    expect(frame).toMatchObject({
      fin: true,
      opcode: 0x1,
      masked: true,
      headerBytes,
      length: size,
    });
    expect(frame.payload.toString()).toBe(text);
  });

  it('encodes non-ASCII text as UTF-8 and counts bytes, not characters', () => {
    const frame = readClientFrame(textFrame('héllo ✓'));
    expect(frame.length).toBe(Buffer.byteLength('héllo ✓'));
    expect(frame.payload.toString('utf8')).toBe('héllo ✓');
  });

  it('answers a ping with its payload and closes with a status code', () => {
    const ping = Buffer.from('--ping data--');
    const pong = readClientFrame(pongFrame(ping, 2, ping.length - 2));
    expect(pong).toMatchObject({ fin: true, opcode: 0xa, masked: true });
    expect(pong.payload.toString()).toBe('ping data');

    const close = readClientFrame(closeFrame(4001));
    expect(close).toMatchObject({ fin: true, opcode: 0x8, masked: true, length: 2 });
    expect(close.payload.readUInt16BE(0)).toBe(4001);
  });
});
