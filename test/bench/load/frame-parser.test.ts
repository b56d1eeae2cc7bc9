import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLOSE_NO_STATUS,
  FrameParser,
  type FrameError,
  type FrameParserOptions,
  type FrameSink,
} from '../../../bench/load/frame-parser';

interface FrameSpec {
  opcode: number;
  payload: Buffer;
  fin?: boolean;
  masked?: boolean;
  rsv?: number;
  /** Force a length encoding (the parser must read every one, minimal or not). */
  lengthBits?: 7 | 16 | 64;
}

/** A server frame as the wire carries it. */
function frame({ opcode, payload, fin = true, masked = false, rsv = 0, lengthBits }: FrameSpec) {
  const bits =
    lengthBits ?? (payload.length < 126 ? 7 : payload.length <= 0xffff ? 16 : (64 as const));
  const header = Buffer.alloc(bits === 7 ? 2 : bits === 16 ? 4 : 10);
  header[0] = (fin ? 0x80 : 0) | (rsv << 4) | opcode;
  if (bits === 7) header[1] = payload.length;
  else if (bits === 16) {
    header[1] = 126;
    header.writeUInt16BE(payload.length, 2);
  } else {
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  if (masked) header[1]! |= 0x80;
  return Buffer.concat([header, masked ? Buffer.alloc(4) : Buffer.alloc(0), payload]);
}

const text = (value: string, spec: Partial<FrameSpec> = {}) =>
  frame({ opcode: 0x1, payload: Buffer.from(value), ...spec });

type Event =
  | { kind: 'message'; text: string }
  | { kind: 'ping'; text: string }
  | { kind: 'close'; code: number }
  | { kind: 'error'; code: string };

/** A parser that records what it reports, copying payloads (they are only valid in the call). */
function recorder(options: Partial<FrameParserOptions> = {}) {
  const events: Event[] = [];
  const sink: FrameSink = {
    onMessage: (data, start, end) =>
      events.push({ kind: 'message', text: data.toString('latin1', start, end) }),
    onPing: (data, start, end) =>
      events.push({ kind: 'ping', text: data.toString('latin1', start, end) }),
    onClose: (code) => events.push({ kind: 'close', code }),
    onFrameError: (error: FrameError) => events.push({ kind: 'error', code: error.code }),
  };
  return { parser: new FrameParser(sink, options), events };
}

/** Feeds `stream` cut at `cuts` (ascending offsets), each piece in a fresh, reused-looking buffer. */
function feed(parser: FrameParser, stream: Buffer, cuts: number[]) {
  const scratch = Buffer.alloc(stream.length + 16);
  let from = 0;
  for (const cut of [...cuts, stream.length]) {
    // Parse from the middle of a larger buffer, then scribble over it, as socket reads would.
    stream.copy(scratch, 8, from, cut);
    parser.push(scratch, 8, 8 + cut - from);
    scratch.fill(0xee);
    from = cut;
  }
}

const mixedStream = Buffer.concat([
  text('hi'),
  text('x'.repeat(200)),
  text('y'.repeat(300), { lengthBits: 64 }),
  frame({ opcode: 0x9, payload: Buffer.from('are you there') }),
  frame({ opcode: 0x2, payload: Buffer.from('binary') }),
  text('', { lengthBits: 16 }),
]);
const mixedEvents: Event[] = [
  { kind: 'message', text: 'hi' },
  { kind: 'message', text: 'x'.repeat(200) },
  { kind: 'message', text: 'y'.repeat(300) },
  { kind: 'ping', text: 'are you there' },
  { kind: 'message', text: 'binary' },
  { kind: 'message', text: '' },
];

describe('FrameParser', () => {
  it('reads 7-, 16- and 64-bit lengths, control frames and empty payloads in one chunk', () => {
    const { parser, events } = recorder();
    feed(parser, mixedStream, []);
    expect(events).toEqual(mixedEvents);
  });

  it('gives the same messages whichever byte boundary splits the stream', () => {
    for (let cut = 1; cut < mixedStream.length; cut++) {
      const { parser, events } = recorder();
      feed(parser, mixedStream, [cut]);
      expect(events, `cut at ${cut}`).toEqual(mixedEvents);
    }
  });

  it('survives the stream arriving one byte per read', () => {
    const { parser, events } = recorder();
    feed(
      parser,
      mixedStream,
      Array.from({ length: mixedStream.length - 1 }, (_, index) => index + 1),
    );
    expect(events).toEqual(mixedEvents);
  });

  it('gives the same messages for any chunking of the stream', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: mixedStream.length - 1 }), { maxLength: 40 }),
        (cuts) => {
          const { parser, events } = recorder();
          feed(
            parser,
            mixedStream,
            cuts.sort((a, b) => a - b),
          );
          expect(events).toEqual(mixedEvents);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reassembles a 64-bit-length frame spread over many reads', () => {
    const big = 'z'.repeat(70_000);
    const stream = Buffer.concat([text('before'), text(big), text('after')]);
    const { parser, events } = recorder();
    feed(parser, stream, [5, 9, 12, 1000, 65_536, 70_000]);
    expect(events).toEqual([
      { kind: 'message', text: 'before' },
      { kind: 'message', text: big },
      { kind: 'message', text: 'after' },
    ]);
  });

  it('reads a thousand frames from one read, in order', () => {
    const stream = Buffer.concat(Array.from({ length: 1000 }, (_, index) => text(`m${index}`)));
    const { parser, events } = recorder();
    feed(parser, stream, []);
    expect(events).toHaveLength(1000);
    expect(events[999]).toEqual({ kind: 'message', text: 'm999' });
  });

  it('assembles a fragmented message, with a ping between its fragments', () => {
    const stream = Buffer.concat([
      text('frag', { fin: false }),
      frame({ opcode: 0x9, payload: Buffer.from('p') }),
      frame({ opcode: 0x0, payload: Buffer.from('men'), fin: false }),
      frame({ opcode: 0x0, payload: Buffer.from('ted') }),
      text('next'),
    ]);
    for (let cut = 1; cut < stream.length; cut++) {
      const { parser, events } = recorder();
      feed(parser, stream, [cut]);
      expect(events, `cut at ${cut}`).toEqual([
        { kind: 'ping', text: 'p' },
        { kind: 'message', text: 'fragmented' },
        { kind: 'message', text: 'next' },
      ]);
    }
  });

  it('reports a close frame with its code and parses nothing after it', () => {
    const closing = Buffer.alloc(2);
    closing.writeUInt16BE(4001);
    const { parser, events } = recorder();
    feed(parser, Buffer.concat([frame({ opcode: 0x8, payload: closing }), text('too late')]), []);
    parser.push(text('even later'));
    expect(events).toEqual([{ kind: 'close', code: 4001 }]);

    const bare = recorder();
    bare.parser.push(frame({ opcode: 0x8, payload: Buffer.alloc(0) }));
    expect(bare.events).toEqual([{ kind: 'close', code: CLOSE_NO_STATUS }]);
  });

  it.each([
    ['a masked frame', text('hi', { masked: true }), 'masked_frame'],
    ['RSV bits without an extension', text('hi', { rsv: 4 }), 'reserved_bits'],
    ['an unknown data opcode', frame({ opcode: 0x3, payload: Buffer.from('?') }), 'unknown_opcode'],
    [
      'an unknown control opcode',
      frame({ opcode: 0xb, payload: Buffer.alloc(0) }),
      'unknown_opcode',
    ],
    [
      'a ping over 125 bytes',
      frame({ opcode: 0x9, payload: Buffer.alloc(126) }),
      'bad_control_frame',
    ],
    [
      'a fragmented ping',
      frame({ opcode: 0x9, payload: Buffer.alloc(1), fin: false }),
      'bad_control_frame',
    ],
    [
      'a continuation of nothing',
      frame({ opcode: 0x0, payload: Buffer.from('x') }),
      'bad_continuation',
    ],
    [
      'a new message inside a fragmented one',
      Buffer.concat([text('a', { fin: false }), text('b')]),
      'bad_continuation',
    ],
    [
      'a one-byte close payload',
      frame({ opcode: 0x8, payload: Buffer.alloc(1) }),
      'bad_close_payload',
    ],
  ])('rejects %s and stops parsing', (_name, bad, code) => {
    const { parser, events } = recorder();
    feed(parser, Buffer.concat([text('ok'), bad, text('ignored')]), []);
    expect(events).toEqual([
      { kind: 'message', text: 'ok' },
      { kind: 'error', code },
    ]);
    expect(parser.hasFailed).toBe(true);
  });

  it('rejects a frame past the size limit from its header, before the payload arrives', () => {
    const { parser, events } = recorder({ maxMessageBytes: 1000 });
    parser.push(text('x'.repeat(2000)).subarray(0, 4));
    expect(events).toEqual([{ kind: 'error', code: 'too_large' }]);

    const fragmented = recorder({ maxMessageBytes: 1000 });
    feed(
      fragmented.parser,
      Buffer.concat([
        text('x'.repeat(600), { fin: false }),
        frame({ opcode: 0x0, payload: Buffer.alloc(600) }),
      ]),
      [],
    );
    expect(fragmented.events).toEqual([{ kind: 'error', code: 'too_large' }]);
  });

  it('rejects a 64-bit length no double can count exactly', () => {
    const header = Buffer.from([0x81, 127, 0x00, 0x40, 0, 0, 0, 0, 0, 0]);
    const { parser, events } = recorder({ maxMessageBytes: Number.MAX_SAFE_INTEGER });
    parser.push(header);
    expect(events).toEqual([{ kind: 'error', code: 'too_large' }]);
  });
});
