import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, resolveLimits } from '../../../protocol/wire/limits';
import { historyPage, newestWithin, welcomeHistory } from '../../../main/host/history';
import { createMemoryStore } from '../../../main/host/store/memory-store';

const from = { id: 'p_alice', name: 'alice' };

async function storeWith(count: number, text = (seq: number) => `text ${seq}`) {
  const store = createMemoryStore('History');
  const appends: Promise<void>[] = [];
  for (let seq = 1; seq <= count; seq++) {
    const entry = { seq, conv: 'general', id: `m${seq}`, from, ts: seq };
    appends.push(store.append({ ...entry, kind: 'text', text: text(seq) }));
  }
  await Promise.all(appends);
  return store;
}

const seqs = (items: { seq: number }[]) => items.map((item) => item.seq);

describe('welcome history', () => {
  it('gives a fresh client the newest historyOnJoin up to the last broadcast seq', async () => {
    const store = await storeWith(10);
    const limits = resolveLimits({ historyOnJoin: 4 });
    expect(seqs(welcomeHistory(store, limits, 10).history)).toEqual([7, 8, 9, 10]);
    // Stored but not yet broadcast messages are left out, and lastSeq does not claim them.
    const early = welcomeHistory(store, limits, 8);
    expect(seqs(early.history)).toEqual([5, 6, 7, 8]);
    expect(early).toMatchObject({ lastSeq: 8, gap: false });
  });

  it('gives a resume everything after lastSeq, or the newest historyOnResume with gap', async () => {
    const store = await storeWith(10);
    const limits = resolveLimits({ historyOnResume: 3 });
    expect(welcomeHistory(store, limits, 10, 8)).toMatchObject({ gap: false, lastSeq: 10 });
    expect(seqs(welcomeHistory(store, limits, 10, 8).history)).toEqual([9, 10]);
    expect(seqs(welcomeHistory(store, limits, 10, 7).history)).toEqual([8, 9, 10]);
    expect(welcomeHistory(store, limits, 10, 7).gap).toBe(false);
    const cut = welcomeHistory(store, limits, 10, 2);
    expect(seqs(cut.history)).toEqual([8, 9, 10]);
    expect(cut.gap).toBe(true);
    expect(welcomeHistory(store, limits, 10, 10)).toEqual({ history: [], lastSeq: 10, gap: false });
    // A client that claims more than the room has (another room, a reset store) gets nothing.
    expect(welcomeHistory(store, limits, 10, 50)).toEqual({ history: [], lastSeq: 10, gap: false });
  });

  it('keeps a welcome under half the backlog limit, cutting old messages (with gap on resume)', async () => {
    const store = await storeWith(50, () => 'é'.repeat(4000));
    const limits = resolveLimits({ maxBacklogBytes: 64 * 1024 });
    const fresh = welcomeHistory(store, limits, 50);
    const bytes = Buffer.byteLength(JSON.stringify(fresh.history));
    expect(bytes).toBeLessThanOrEqual(32 * 1024);
    expect(fresh.history.length).toBeGreaterThan(0);
    expect(fresh.history.at(-1)?.seq).toBe(50);
    const resumed = welcomeHistory(store, limits, 50, 10);
    expect(resumed.gap).toBe(true);
    expect(resumed.history.at(-1)?.seq).toBe(50);
  });
});

describe('history pages', () => {
  it('pages backwards with more while older messages exist', async () => {
    const store = await storeWith(10);
    const limits = { ...DEFAULT_LIMITS };
    expect(historyPage(store, limits, 10, 11, 3)).toMatchObject({ more: true });
    expect(seqs(historyPage(store, limits, 10, 11, 3).messages)).toEqual([8, 9, 10]);
    expect(seqs(historyPage(store, limits, 10, 4, 3).messages)).toEqual([1, 2, 3]);
    expect(historyPage(store, limits, 10, 4, 3).more).toBe(false);
    expect(seqs(historyPage(store, limits, 8, 100, 5).messages)).toEqual([4, 5, 6, 7, 8]);
  });
});

describe('newestWithin', () => {
  it('keeps the newest messages that fit and always at least one', async () => {
    const store = await storeWith(3, () => 'x'.repeat(1000));
    const all = store.page('general', 4, 3);
    expect(seqs(newestWithin(all, 10))).toEqual([3]);
    expect(seqs(newestWithin(all, 2500))).toEqual([2, 3]);
    expect(newestWithin(all, 1e9)).toBe(all);
    expect(newestWithin([], 10)).toEqual([]);
  });
});
