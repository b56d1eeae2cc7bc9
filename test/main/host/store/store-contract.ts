/**
 * The MessageStore contract (main/host/store/message-store.ts) as a reusable suite: every store
 * implementation runs it with its own factory.
 *
 *   describeMessageStoreContract('memory store', async (name) => createMemoryStore(name));
 *
 * The factory must return a fresh, empty room on every call. The suite closes every store it
 * opened; anything else (temp directories) is the caller's to clean up.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage, Peer } from '../../../../protocol/wire/frames';
import type { MessageStore, MessageStoreFactory } from '../../../../main/host/store/message-store';

const alice: Peer = { id: 'p_alice', name: 'Alice' };
const bob: Peer = { id: 'p_bob', name: 'Bob' };

export function chatMessage(seq: number, overrides: Partial<ChatMessage> = {}): ChatMessage {
  return {
    seq,
    id: `say-${seq}`,
    from: alice,
    text: `message ${seq}`,
    ts: 1_700_000_000_000 + seq,
    ...overrides,
  };
}

/** Appends messages seq lastSeq+1 .. lastSeq+count in one turn and waits for all of them. */
export async function appendMany(
  store: MessageStore,
  count: number,
  from: Peer = alice,
): Promise<ChatMessage[]> {
  const messages = Array.from({ length: count }, (_, index) =>
    chatMessage(store.lastSeq + 1 + index, {
      from,
      id: `say-${from.id}-${store.lastSeq + 1 + index}`,
    }),
  );
  await Promise.all(messages.map((message) => store.append(message)));
  return messages;
}

const seqs = (messages: ChatMessage[]): number[] => messages.map((message) => message.seq);

export function describeMessageStoreContract(label: string, openStore: MessageStoreFactory): void {
  describe(`MessageStore contract: ${label}`, () => {
    const opened: MessageStore[] = [];
    const open = async (name = 'Contract room'): Promise<MessageStore> => {
      const store = await openStore(name);
      opened.push(store);
      return store;
    };

    afterEach(async () => {
      await Promise.allSettled(opened.splice(0).map((store) => store.close()));
    });

    it('creates an empty room with the given name and a non-empty id', async () => {
      const store = await open('Kitchen');
      expect(store.room.name).toBe('Kitchen');
      expect(store.room.id).toMatch(/\S/);
      expect(store.lastSeq).toBe(0);
      expect(store.lastDurableSeq).toBe(0);
      expect(store.page(Number.MAX_SAFE_INTEGER, 100)).toEqual([]);
      expect(store.findSeqBySayId(alice.id, 'say-1')).toBeUndefined();
      expect(store.findSession('no-such-hash')).toBeUndefined();
    });

    it('gives every new room its own id', async () => {
      const first = await open();
      const second = await open();
      expect(first.room.id).not.toBe(second.room.id);
    });

    it('stores a message exactly as appended once the append resolves', async () => {
      const store = await open();
      // NUL and a lone surrogate are legal in JSON strings, so a client can send them.
      const message = chatMessage(1, {
        text: 'héllo 👋 "quotes"\nsecond line\u0000after nul \ud800 lone',
        ts: 1_761_000_000_123,
      });
      await store.append(message);
      expect(store.lastSeq).toBe(1);
      expect(store.lastDurableSeq).toBe(1);
      expect(store.page(2, 10)).toEqual([message]);
    });

    it('keeps a 4000-character text whole', async () => {
      const store = await open();
      const text = '𝄞'.repeat(4000);
      await store.append(chatMessage(1, { text }));
      expect(store.page(2, 1)[0]?.text).toBe(text);
    });

    it('advances lastSeq at append time and never reports more durable than appended', async () => {
      const store = await open();
      const appends = [store.append(chatMessage(1)), store.append(chatMessage(2))];
      expect(store.lastSeq).toBe(2);
      expect(store.lastDurableSeq).toBeLessThanOrEqual(2);
      expect(store.page(Number.MAX_SAFE_INTEGER, 10).length).toBe(store.lastDurableSeq);
      await Promise.all(appends);
      expect(store.lastDurableSeq).toBe(2);
    });

    it('resolves appends in the order they were made', async () => {
      const store = await open();
      const resolved: number[] = [];
      const appends = Array.from({ length: 50 }, (_, index) =>
        store.append(chatMessage(index + 1)).then(() => resolved.push(index + 1)),
      );
      await Promise.all(appends);
      expect(resolved).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
    });

    it('keeps appends made across several turns in seq order', async () => {
      const store = await open();
      await appendMany(store, 3);
      await appendMany(store, 4, bob);
      await appendMany(store, 2);
      expect(seqs(store.page(100, 100))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(store.page(100, 100)[4]?.from).toEqual(bob);
    });

    it('refuses an append out of seq order without storing it', async () => {
      const store = await open();
      await store.append(chatMessage(1));
      await expect(store.append(chatMessage(3))).rejects.toThrow();
      await expect(store.append(chatMessage(1, { id: 'again' }))).rejects.toThrow();
      expect(store.lastSeq).toBe(1);
      await store.append(chatMessage(2));
      expect(seqs(store.page(10, 10))).toEqual([1, 2]);
    });

    it('finds a say id while its append is in flight and after it is durable', async () => {
      const store = await open();
      const append = store.append(chatMessage(1, { id: 'retry-me' }));
      expect(store.findSeqBySayId(alice.id, 'retry-me')).toBe(1);
      await append;
      expect(store.findSeqBySayId(alice.id, 'retry-me')).toBe(1);
    });

    it('tells apart say ids that differ only after a NUL or in a lone surrogate', async () => {
      const store = await open();
      await store.append(chatMessage(1, { id: 'a\u0000b' }));
      await store.append(chatMessage(2, { id: 'x\ud800' }));
      expect(store.findSeqBySayId(alice.id, 'a\u0000c')).toBeUndefined();
      expect(store.findSeqBySayId(alice.id, 'a')).toBeUndefined();
      expect(store.findSeqBySayId(alice.id, 'x\udc00')).toBeUndefined();
      await store.append(chatMessage(3, { id: 'a\u0000c' }));
      await store.append(chatMessage(4, { id: 'x\udc00' }));
      expect(store.page(5, 4).map((message) => message.id)).toEqual([
        'a\u0000b',
        'x\ud800',
        'a\u0000c',
        'x\udc00',
      ]);
    });

    it('keeps say ids apart per sender', async () => {
      const store = await open();
      await store.append(chatMessage(1, { id: 'same-id', from: alice }));
      expect(store.findSeqBySayId(bob.id, 'same-id')).toBeUndefined();
      await store.append(chatMessage(2, { id: 'same-id', from: bob }));
      expect(store.findSeqBySayId(alice.id, 'same-id')).toBe(1);
      expect(store.findSeqBySayId(bob.id, 'same-id')).toBe(2);
    });

    it('pages backwards: the newest `limit` messages before a seq, oldest first', async () => {
      const store = await open();
      await appendMany(store, 10);
      expect(seqs(store.page(11, 3))).toEqual([8, 9, 10]);
      expect(seqs(store.page(8, 3))).toEqual([5, 6, 7]);
      expect(seqs(store.page(3, 10))).toEqual([1, 2]);
      expect(seqs(store.page(1, 10))).toEqual([]);
      expect(seqs(store.page(1000, 100))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(store.page(11, 0)).toEqual([]);
    });

    it('remembers sessions by token hash and updates a saved one', async () => {
      const store = await open();
      store.saveSession('hash-a', alice);
      store.saveSession('hash-b', bob);
      expect(store.findSession('hash-a')).toEqual(alice);
      expect(store.findSession('hash-b')).toEqual(bob);
      store.saveSession('hash-a', { id: alice.id, name: 'Alice 2' });
      expect(store.findSession('hash-a')).toEqual({ id: alice.id, name: 'Alice 2' });
      expect(store.findSession('hash-c')).toBeUndefined();
    });

    it('renames the room and keeps its id', async () => {
      const store = await open('Before');
      const { id } = store.room;
      store.renameRoom('After');
      expect(store.room).toEqual({ id, name: 'After' });
    });

    it('flushes pending appends on close and closes idempotently', async () => {
      const store = await open();
      const append = store.append(chatMessage(1));
      const closing = store.close();
      await expect(append).resolves.toBeUndefined();
      await closing;
      await expect(store.close()).resolves.toBeUndefined();
    });

    it('refuses appends after close', async () => {
      const store = await open();
      await store.close();
      await expect(store.append(chatMessage(1))).rejects.toThrow();
    });
  });
}
