import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../../main/host/store/memory-store';
import { describeRoomStoreContract } from './store-contract';
import { everything, seqs, textEntry } from './entry-kit';

describeRoomStoreContract('memory store', async (name) => createMemoryStore(name));

describe('memory store timing', () => {
  it('makes an append durable in a later turn, never synchronously', async () => {
    const store = createMemoryStore('Timing');
    const append = store.append(textEntry(1));
    expect(store.lastSeq('general')).toBe(1);
    expect(store.lastDurableSeq('general')).toBe(0);
    expect(store.page('general', 10, 10)).toEqual([]);
    await Promise.resolve();
    expect(store.lastDurableSeq('general')).toBe(0);
    await append;
    expect(store.lastDurableSeq('general')).toBe(1);
    await store.close();
  });

  it('commits the appends of one turn together and the next turn separately', async () => {
    const store = createMemoryStore('Batches');
    const first = [store.append(textEntry(1)), store.append(textEntry(2))];
    await Promise.all(first);
    expect(store.lastDurableSeq('general')).toBe(2);
    const third = store.append(textEntry(3));
    expect(seqs(everything(store))).toEqual([1, 2]);
    await third;
    expect(seqs(everything(store))).toEqual([1, 2, 3]);
    await store.close();
  });

  it('keeps its own copy: changing the appended object later changes nothing stored', async () => {
    const store = createMemoryStore('Copies');
    const entry = textEntry(1, { text: 'original', from: { id: 'u_a', name: 'Alice' } });
    await store.append(entry);
    entry.text = 'changed';
    entry.from.name = 'changed';
    expect(store.page('general', 2, 1)[0]).toMatchObject({
      text: 'original',
      from: { name: 'Alice' },
    });
    await store.close();
  });

  it('answers odd page arguments with an empty page instead of throwing', () => {
    const store = createMemoryStore('Odd');
    expect(store.page('general', Number.NaN, 10)).toEqual([]);
    expect(store.page('general', 10, Number.NaN)).toEqual([]);
    expect(store.page('general', -5, 10)).toEqual([]);
    expect(store.page('general', 10, -1)).toEqual([]);
  });
});
