import { describe, expect, it } from 'vitest';
import { SayIdIndex, type SayIdLocation } from '../../../../main/host/store/say-id-index';

/** A stand-in for SQLite: the stored ids, and how often the index asked for them. */
function storedIds() {
  const stored = new Map<string, Map<string, SayIdLocation>>();
  const asked = { idsOf: 0, locate: 0 };
  return {
    asked,
    store(peerId: string, sayId: string, at: SayIdLocation) {
      let ids = stored.get(peerId);
      if (!ids) stored.set(peerId, (ids = new Map()));
      ids.set(sayId, at);
    },
    source: {
      idsOf(peerId: string, limit: number) {
        asked.idsOf++;
        return [...(stored.get(peerId)?.keys() ?? [])].slice(0, limit);
      },
      locate(peerId: string, sayId: string) {
        asked.locate++;
        return stored.get(peerId)?.get(sayId);
      },
    },
  };
}

/** Appends and commits `count` ids of `peerId` through the index, as the store does. */
function appendDurable(
  index: SayIdIndex,
  db: ReturnType<typeof storedIds>,
  peerId: string,
  count: number,
  prefix = 'id',
): void {
  for (let n = 1; n <= count; n++) {
    const at = { conv: 'general', seq: n };
    index.added(peerId, `${prefix}-${n}`, at);
    db.store(peerId, `${prefix}-${n}`, at);
    index.durable(peerId, `${prefix}-${n}`);
  }
}

describe('SayIdIndex', () => {
  it('proves an unused id from memory after loading a peer once', () => {
    const db = storedIds();
    for (let n = 1; n <= 50; n++) db.store('u_a', `old-${n}`, { conv: 'general', seq: n });
    const index = new SayIdIndex(db.source, { budget: 1000, perPeer: 100 });
    for (let n = 0; n < 200; n++) expect(index.find('u_a', `new-${n}`)).toBeUndefined();
    expect(db.asked).toEqual({ idsOf: 1, locate: 0 });
    expect(index.held).toBe(50);
    // A used one (a retry) is looked up where it is.
    expect(index.find('u_a', 'old-7')).toEqual({ conv: 'general', seq: 7 });
    expect(db.asked.locate).toBe(1);
  });

  it('answers for in-flight ids itself, and for appended ones by the complete set', () => {
    const db = storedIds();
    const index = new SayIdIndex(db.source, { budget: 1000, perPeer: 100 });
    // Appended before the peer was ever looked up: not in SQLite yet, still part of its set.
    index.added('u_a', 'flying', { conv: 'c_x', seq: 3 });
    expect(index.find('u_a', 'other')).toBeUndefined();
    expect(index.find('u_a', 'flying')).toEqual({ conv: 'c_x', seq: 3 });
    index.added('u_a', 'second', { conv: 'general', seq: 1 });
    db.store('u_a', 'flying', { conv: 'c_x', seq: 3 });
    index.durable('u_a', 'flying');
    expect(index.find('u_a', 'flying')).toEqual({ conv: 'c_x', seq: 3 });
    expect(db.asked).toEqual({ idsOf: 1, locate: 1 });
    // A failed commit frees its id again, still without asking SQLite.
    index.failed('u_a', 'second');
    expect(index.find('u_a', 'second')).toBeUndefined();
    expect(db.asked).toEqual({ idsOf: 1, locate: 1 });
  });

  it('keeps at most `budget` ids, dropping the peers used least recently', () => {
    const db = storedIds();
    const index = new SayIdIndex(db.source, { budget: 25, perPeer: 10 });
    for (const peer of ['u_a', 'u_b', 'u_c']) appendDurable(index, db, peer, 8);
    for (const peer of ['u_a', 'u_b', 'u_c']) index.find(peer, 'unused');
    expect(index.held).toBe(24);
    index.find('u_a', 'unused');
    appendDurable(index, db, 'u_d', 8);
    index.find('u_d', 'unused');
    // u_b was used least recently: it went, and comes back with one more load when needed.
    expect(index.held).toBeLessThanOrEqual(25);
    const loads = db.asked.idsOf;
    expect(index.find('u_a', 'unused')).toBeUndefined();
    expect(db.asked.idsOf).toBe(loads);
    expect(index.find('u_b', 'id-3')).toEqual({ conv: 'general', seq: 3 });
    expect(index.find('u_b', 'unused')).toBeUndefined();
    expect(db.asked.idsOf).toBe(loads + 1);
    expect(index.held).toBeLessThanOrEqual(25);
  });

  it('never caches a peer with more than `perPeer` ids, and stays exact for it', () => {
    const db = storedIds();
    const index = new SayIdIndex(db.source, { budget: 100, perPeer: 10 });
    appendDurable(index, db, 'u_heavy', 11);
    expect(index.find('u_heavy', 'id-11')).toEqual({ conv: 'general', seq: 11 });
    expect(index.find('u_heavy', 'unused')).toBeUndefined();
    // The append that follows a lookup does not ask again for the same id.
    expect(index.find('u_heavy', 'unused')).toBeUndefined();
    expect(db.asked).toEqual({ idsOf: 1, locate: 2 });
    expect(index.held).toBe(0);

    // A cached peer that grows past perPeer is dropped and treated the same way.
    appendDurable(index, db, 'u_grows', 10);
    expect(index.find('u_grows', 'unused')).toBeUndefined();
    expect(index.held).toBe(10);
    appendDurable(index, db, 'u_grows', 1, 'more');
    expect(index.held).toBe(0);
    expect(index.find('u_grows', 'more-1')).toEqual({ conv: 'general', seq: 1 });
    expect(index.find('u_grows', 'id-4')).toEqual({ conv: 'general', seq: 4 });
  });

  it('refuses a per-peer limit larger than the budget', () => {
    expect(() => new SayIdIndex(storedIds().source, { budget: 5, perPeer: 6 })).toThrow(RangeError);
  });
});
