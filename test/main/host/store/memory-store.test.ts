import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../../main/host/store/memory-store';
import { chatMessage, describeMessageStoreContract } from './store-contract';

describeMessageStoreContract('memory store', async (name) => createMemoryStore(name));

describe('memory store timing', () => {
  it('makes an append durable in a later turn, never synchronously', async () => {
    const store = createMemoryStore('Timing');
    const append = store.append(chatMessage(1));
    expect(store.lastSeq).toBe(1);
    expect(store.lastDurableSeq).toBe(0);
    expect(store.page(10, 10)).toEqual([]);
    await Promise.resolve();
    expect(store.lastDurableSeq).toBe(0);
    await append;
    expect(store.lastDurableSeq).toBe(1);
    await store.close();
  });

  it('commits the appends of one turn together and the next turn separately', async () => {
    const store = createMemoryStore('Batches');
    const first = [store.append(chatMessage(1)), store.append(chatMessage(2))];
    await Promise.all(first);
    expect(store.lastDurableSeq).toBe(2);
    const third = store.append(chatMessage(3));
    expect(store.page(10, 10).map((message) => message.seq)).toEqual([1, 2]);
    await third;
    expect(store.page(10, 10).map((message) => message.seq)).toEqual([1, 2, 3]);
    await store.close();
  });

  it('keeps its own copy: changing the appended object later changes nothing stored', async () => {
    const store = createMemoryStore('Copies');
    const message = chatMessage(1, { text: 'original' });
    await store.append(message);
    message.text = 'changed';
    message.from.name = 'changed';
    expect(store.page(2, 1)[0]).toMatchObject({ text: 'original', from: { name: 'Alice' } });
    await store.close();
  });

  it('answers odd page arguments with an empty page instead of throwing', () => {
    const store = createMemoryStore('Odd');
    expect(store.page(Number.NaN, 10)).toEqual([]);
    expect(store.page(10, Number.NaN)).toEqual([]);
    expect(store.page(-5, 10)).toEqual([]);
    expect(store.page(10, -1)).toEqual([]);
  });
});
