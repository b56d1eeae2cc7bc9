import { constants, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  AppendOnlyDeflate,
  deflateMessage,
  deflateSegment,
  hostDeflateCount,
  storedSegment,
} from '../../../main/host/deflate-segments';
import type { DeflateTerms } from '../../../main/host/wire';

const terms: DeflateTerms = {
  threshold: 1024,
  noContextTakeover: true,
  windowBits: 15,
  zlibOptions: { level: 1 },
};

/** Inflates as a permessage-deflate receiver does: the tail put back, no final block expected. */
function inflateMessage(segments: readonly Buffer[], windowBits = 15): string {
  const tail = Buffer.from([0x00, 0x00, 0xff, 0xff]);
  return inflateRawSync(Buffer.concat([...segments, tail]), {
    windowBits,
    finishFlush: constants.Z_SYNC_FLUSH,
  }).toString();
}

/** JSON-ish text that compresses like a peer list does. */
function peerText(from: number, to: number): string {
  let text = '';
  for (let index = from; index < to; index++) {
    text += `${index === 0 ? '' : ','}{"id":"p_${index.toString(36).padStart(12, 'x')}","name":"person ${index}"}`;
  }
  return text;
}

describe('deflate segments', () => {
  it('concatenate into one message that inflates to their inputs in order', () => {
    const head = Buffer.from('{"type":"welcome","peers":[');
    const middle = Buffer.from(peerText(0, 500));
    const segments = [
      deflateSegment(head, terms),
      storedSegment(Buffer.from('{"a":1},')),
      deflateSegment(middle, terms),
      storedSegment(Buffer.from(']}')),
    ];
    expect(inflateMessage(segments)).toBe(`${head.toString()}{"a":1},${middle.toString()}]}`);
    // The whole-message form drops the tail the receiver puts back.
    expect(inflateMessage([deflateMessage(middle, terms)])).toBe(middle.toString());
  });

  it('stores long and empty inputs as valid blocks', () => {
    const long = Buffer.alloc(150_000, 'x');
    expect(inflateMessage([storedSegment(long)])).toBe(long.toString());
    expect(storedSegment(Buffer.alloc(0)).length).toBe(0);
  });
});

describe('AppendOnlyDeflate', () => {
  it('gives any prefix of a growing sequence, compressing each full block once', () => {
    const deflater = new AppendOnlyDeflate(terms);
    const all = Buffer.from(peerText(0, 3000));
    let source = Buffer.alloc(0);
    const before = hostDeflateCount();
    const prefixes: number[] = [];
    // Grows in uneven steps, as joins append peers of different lengths.
    for (let length = 0; length < all.length; length += 997) {
      source = all.subarray(0, Math.min(all.length, length + 997));
      prefixes.push(source.length);
      expect(inflateMessage(deflater.prefix(source, source.length))).toBe(source.toString());
    }
    // One rest per prefix asked for, and each full block once: not the whole list each time.
    const blocks = Math.floor(all.length / (16 * 1024));
    expect(hostDeflateCount() - before).toBeLessThanOrEqual(prefixes.length + blocks);
    // The same prefix again costs nothing; an older, shorter one is still right.
    const again = hostDeflateCount();
    deflater.prefix(source, source.length);
    expect(hostDeflateCount()).toBe(again);
    expect(inflateMessage(deflater.prefix(source, 5000))).toBe(all.subarray(0, 5000).toString());
  });

  it('compresses with the window it was made for', () => {
    const deflater = new AppendOnlyDeflate({ ...terms, windowBits: 9 });
    const text = Buffer.from(peerText(0, 1000));
    expect(inflateMessage(deflater.prefix(text, text.length), 9)).toBe(text.toString());
  });
});
