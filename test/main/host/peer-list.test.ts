import { constants, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Peer } from '../../../protocol/wire/frames';
import { PeerListBytes } from '../../../main/host/peer-list';

const peer = (index: number): Peer => ({ id: `p_${index}`, name: `péer ${index}` });
const parsed = (bytes: Buffer) => JSON.parse(`[${bytes.toString()}]`) as Peer[];

describe('PeerListBytes', () => {
  it('appends each join to the encoded list, and earlier views never change', () => {
    const list = new PeerListBytes();
    const present: Peer[] = [];
    const views: { bytes: Buffer; peers: Peer[] }[] = [];
    // Enough joins to outgrow the buffer several times over.
    for (let index = 0; index < 300; index++) {
      present.push(peer(index));
      list.joined(peer(index));
      views.push({ bytes: list.bytes(() => present), peers: [...present] });
    }
    for (const view of views) expect(parsed(view.bytes)).toEqual(view.peers);
    expect(parsed(list.bytes(() => present))).toEqual(present);
  });

  it('is rebuilt from the room after a leave, without touching what was handed out', () => {
    const list = new PeerListBytes();
    const present = [peer(1), peer(2), peer(3)];
    for (const each of present) list.joined(each);
    const before = list.bytes(() => present);
    present.splice(1, 1);
    list.left();
    list.joined(peer(4));
    present.push(peer(4));
    expect(parsed(list.bytes(() => present))).toEqual(present);
    expect(parsed(before)).toEqual([peer(1), peer(2), peer(3)]);
    list.joined(peer(5));
    present.push(peer(5));
    expect(parsed(list.bytes(() => present))).toEqual(present);
  });

  it('is empty for an empty room', () => {
    expect(new PeerListBytes().bytes(() => []).length).toBe(0);
  });
});

describe('PeerListBytes compressed', () => {
  const terms = { threshold: 1024, noContextTakeover: true, windowBits: 15, zlibOptions: {} };
  const inflated = (segments: readonly Buffer[]) =>
    inflateRawSync(Buffer.concat([...segments, Buffer.from([0, 0, 0xff, 0xff])]), {
      finishFlush: constants.Z_SYNC_FLUSH,
    });

  it('compresses each snapshot to its own bytes, and refuses once the list was rebuilt', () => {
    const list = new PeerListBytes();
    const present: Peer[] = [];
    let snapshot = list.snapshot(() => present);
    for (let index = 0; index < 800; index++) {
      present.push(peer(index));
      list.joined(peer(index));
      snapshot = list.snapshot(() => present);
      if (index % 97 === 0) expect(inflated(snapshot.deflated(terms)!)).toEqual(snapshot.bytes);
    }
    present.splice(10, 1);
    list.left();
    const rebuilt = list.snapshot(() => present);
    expect(snapshot.deflated(terms)).toBeUndefined();
    expect(parsed(inflated(rebuilt.deflated(terms)!))).toEqual(present);
  });
});
