import { describe, expect, it } from 'vitest';
import { OutboundFrame, PONG } from '../../../main/host/frame-encoding';
import { TurnWriter } from '../../../main/host/turn-writer';
import type { Wire } from '../../../main/host/wire';

/** A raw wire that records each write as the list of buffers handed to the socket. */
function recordingWire(): Wire & { writes: Buffer[][] } {
  const writes: Buffer[][] = [];
  return {
    writes,
    variant: 'plain',
    deflate: undefined,
    rawReady: true,
    writable: true,
    write: (frames) => writes.push([frames]),
    writeAll: (parts) => writes.push([...parts]),
    send: () => {
      throw new Error('not expected: the wire takes raw frames');
    },
    whenDrained: (callback) => setImmediate(callback),
  };
}

const bytesOf = (frames: OutboundFrame[]) =>
  Buffer.concat(frames.flatMap((frame) => [...(frame.framedFor(undefined) ?? [])]));

describe('TurnWriter', () => {
  it('writes a turn of many small frames as a few buffers, in order, byte for byte', () => {
    const wire = recordingWire();
    const writer = new TurnWriter(wire);
    const frames = Array.from({ length: 20_000 }, (_, n) =>
      n % 2 === 0 ? PONG : new OutboundFrame(`{"type":"error","n":${n}}`),
    );
    for (const frame of frames) writer.frame(frame);
    writer.finish();

    expect(wire.writes).toHaveLength(1);
    const [parts = []] = wire.writes;
    // Node keeps an object per buffer until the kernel takes it: a few, not one per frame.
    expect(parts.length).toBeLessThan(10);
    expect(Buffer.concat(parts).equals(bytesOf(frames))).toBe(true);
  });

  it('leaves large frames as they are and copies only the small ones around them', () => {
    const wire = recordingWire();
    const writer = new TurnWriter(wire);
    const large = new OutboundFrame('x'.repeat(40_000));
    const frames = [PONG, PONG, large, PONG];
    for (const frame of frames) writer.frame(frame);
    writer.finish();

    const [parts = []] = wire.writes;
    // The large frame's payload goes as the very buffer it is (a broadcast's is shared).
    const payload = large.framedFor(undefined)?.find((part) => part.length >= 40_000);
    expect(payload).toBeDefined();
    expect(parts.filter((part) => part === payload)).toHaveLength(1);
    expect(parts.length).toBeLessThanOrEqual(3);
    expect(Buffer.concat(parts).equals(bytesOf(frames))).toBe(true);
  });
});
