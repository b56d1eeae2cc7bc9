/**
 * The RoomStore contract (main/host/store/room-store.ts) as a reusable suite: every store
 * implementation runs it with its own factory.
 *
 *   describeRoomStoreContract('memory store', async (name) => createMemoryStore(name));
 *
 * The factory must return a fresh, empty room on every call. The suite closes every store it
 * opened; anything else (temp directories) is the caller's to clean up. This file holds the logs
 * (order, durability, exactly-once); the effects, search and the rest live in the files it calls.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RoomStore, RoomStoreFactory } from '../../../../main/host/store/room-store';
import { StoreError } from '../../../../main/host/store/sqlite-errors';
import { describeEffectsContract } from './store-contract-effects';
import { describeSearchContract } from './store-contract-search';
import { describeSideContract } from './store-contract-side';
import {
  alice,
  appendMany,
  bob,
  createChannel,
  everything,
  guest,
  seqs,
  systemEntry,
  textEntry,
} from './entry-kit';

/** Opens stores for one test and closes them after it. */
export function storeOpener(openStore: RoomStoreFactory) {
  const opened: RoomStore[] = [];
  afterEach(async () => {
    await Promise.allSettled(opened.splice(0).map((store) => store.close()));
  });
  return async (name = 'Contract room'): Promise<RoomStore> => {
    const store = await openStore(name);
    opened.push(store);
    return store;
  };
}

export async function expectInvalid(append: Promise<void>): Promise<void> {
  const error: unknown = await append.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(StoreError);
  expect((error as StoreError).code).toBe('invalid');
}

export function describeRoomStoreContract(label: string, openStore: RoomStoreFactory): void {
  describe(`RoomStore contract: ${label}`, () => {
    const open = storeOpener(openStore);

    it('creates an empty room with general, the given name and a non-empty id', async () => {
      const store = await open('Kitchen');
      expect(store.room.name).toBe('Kitchen');
      expect(store.room.id).toMatch(/.+/);
      expect(store.conversations()).toEqual([
        {
          id: 'general',
          kind: 'channel',
          name: 'general',
          members: [],
          lastSeq: 0,
          created: expect.any(Number),
        },
      ]);
      expect(store.lastSeq('general')).toBe(0);
      expect(store.lastDurableSeq('general')).toBe(0);
      expect(store.lastSeq('c_nowhere')).toBe(0);
      expect(store.page('general', 10, 10)).toEqual([]);
      expect(store.findBySayId(alice.id, 'say-1')).toBeUndefined();
      expect(store.textEntry('general', 1)).toBeUndefined();
    });

    it('gives every new room its own id', async () => {
      const first = await open();
      const second = await open();
      expect(first.room.id).not.toBe(second.room.id);
    });

    it('stores a text entry exactly as appended once the append resolves', async () => {
      const store = await open();
      // NUL and a lone surrogate are legal in JSON strings, so a client can send them.
      const entry = textEntry(1, {
        id: 'a\u0000b\ud800',
        from: guest,
        text: 'héllo 👋 "quotes"\nsecond line\u0000after nul \ud800 lone',
        ts: 1_761_000_000_123,
        files: [
          {
            id: 'f'.repeat(64),
            name: 'a\u0000.png',
            size: 12,
            mime: 'image/png',
            width: 3,
            height: 4,
            thumb: '/t',
            url: '/u',
          },
        ],
      });
      await store.append(entry);
      await store.append(textEntry(2, { replyTo: 1 }));
      expect(store.lastSeq('general')).toBe(2);
      expect(store.lastDurableSeq('general')).toBe(2);
      expect(everything(store)).toEqual([entry, textEntry(2, { replyTo: 1 })]);
      expect(store.textEntry('general', 1)).toEqual(entry);
    });

    it('keeps a 4000-character text whole', async () => {
      const store = await open();
      const text = '𝄞'.repeat(4000);
      await store.append(textEntry(1, { text }));
      expect(store.textEntry('general', 1)?.text).toBe(text);
    });

    it('ignores the state fields of an appended text entry: only later entries set them', async () => {
      const store = await open();
      await store.append({
        ...textEntry(1),
        edited: 5,
        deleted: true,
        reactions: { '👍': [bob.id] },
      });
      expect(store.textEntry('general', 1)).toEqual(textEntry(1));
    });

    it('numbers each conversation on its own and pages them apart', async () => {
      const store = await open();
      const created = createChannel('c_one', 'one');
      await Promise.all([
        store.append(textEntry(1)),
        store.append(created),
        store.append(textEntry(2, { conv: 'c_one' })),
        store.append(textEntry(2)),
      ]);
      expect(store.lastSeq('general')).toBe(2);
      expect(store.lastSeq('c_one')).toBe(2);
      expect(seqs(everything(store))).toEqual([1, 2]);
      expect(everything(store, 'c_one')).toEqual([created, textEntry(2, { conv: 'c_one' })]);
      expect(store.lastDurableSeq('c_one')).toBe(2);
    });

    it('advances lastSeq at append time and never reports more durable than appended', async () => {
      const store = await open();
      const appends = [store.append(textEntry(1)), store.append(textEntry(2))];
      expect(store.lastSeq('general')).toBe(2);
      expect(store.conversations()[0]?.lastSeq).toBe(2);
      expect(store.lastDurableSeq('general')).toBeLessThanOrEqual(2);
      expect(everything(store).length).toBe(store.lastDurableSeq('general'));
      await Promise.all(appends);
      expect(store.lastDurableSeq('general')).toBe(2);
    });

    it('resolves appends in the order they were made, across conversations', async () => {
      const store = await open();
      await store.append(createChannel('c_two', 'two'));
      const resolved: string[] = [];
      const expected: string[] = [];
      const appends = Array.from({ length: 50 }, (_, index) => {
        const conv = index % 3 === 0 ? 'c_two' : 'general';
        const entry = textEntry(store.lastSeq(conv) + 1, { conv });
        expected.push(`${conv}:${entry.seq}`);
        return store.append(entry).then(() => resolved.push(`${conv}:${entry.seq}`));
      });
      await Promise.all(appends);
      expect(resolved).toEqual(expected);
    });

    it('keeps appends made across several turns in seq order', async () => {
      const store = await open();
      await appendMany(store, 3);
      await appendMany(store, 4, bob);
      await appendMany(store, 2);
      expect(seqs(store.page('general', 100, 100))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(store.page('general', 100, 100)[4]?.from).toEqual(bob);
    });

    it('refuses an entry it cannot take without storing it or harming its commit', async () => {
      const store = await open();
      await store.append(textEntry(1));
      await store.append(createChannel('c_taken', 'Taken'));
      const good = store.append(textEntry(2));
      const refused = [
        textEntry(4),
        textEntry(1, { id: 'again' }),
        textEntry(1, { conv: 'c_nowhere' }),
        createChannel('c_taken', 'Other'),
        createChannel('c_new', 'TAKEN'),
        createChannel('c_new', 'General'),
        { ...createChannel('c_new', 'new'), seq: 2 },
        systemEntry(3, 'joined_channel'),
        systemEntry(2, 'left_channel', { conv: 'c_taken', by: bob }),
        { ...textEntry(3), kind: 'shout' },
        { ...textEntry(3), seq: 3.5 },
      ];
      for (const entry of refused) await expectInvalid(store.append(entry as never));
      await good;
      expect(store.lastSeq('general')).toBe(2);
      expect(store.lastSeq('c_new')).toBe(0);
      expect(store.conversations().map((c) => c.id)).toEqual(['general', 'c_taken']);
      expect(seqs(everything(store))).toEqual([1, 2]);
      await store.append(textEntry(3));
      expect(seqs(everything(store))).toEqual([1, 2, 3]);
    });

    it('finds an id while its append is in flight and after it is durable, in any conversation', async () => {
      const store = await open();
      await store.append(createChannel('c_x', 'x', alice));
      const append = store.append(textEntry(2, { conv: 'c_x', id: 'retry-me' }));
      expect(store.findBySayId(alice.id, 'retry-me')).toEqual({ conv: 'c_x', seq: 2 });
      await append;
      expect(store.findBySayId(alice.id, 'retry-me')).toEqual({ conv: 'c_x', seq: 2 });
      expect(store.findBySayId(alice.id, 'say-c_x-1')).toEqual({ conv: 'c_x', seq: 1 });
    });

    it('keeps ids exactly once per sender across conversations and kinds', async () => {
      const store = await open();
      await store.append(textEntry(1, { id: 'once' }));
      await store.append(createChannel('c_y', 'y'));
      await expectInvalid(store.append(textEntry(2, { conv: 'c_y', id: 'once' })));
      await expectInvalid(
        store.append(systemEntry(2, 'topic', { conv: 'c_y', id: 'once', topic: 't' })),
      );
      await store.append(textEntry(2, { conv: 'c_y', id: 'once', from: bob }));
      expect(store.findBySayId(alice.id, 'once')).toEqual({ conv: 'general', seq: 1 });
      expect(store.findBySayId(bob.id, 'once')).toEqual({ conv: 'c_y', seq: 2 });
    });

    it('refuses a duplicate id in flight in the same commit', async () => {
      const store = await open();
      const first = store.append(textEntry(1, { id: 'dup' }));
      await expectInvalid(store.append(textEntry(2, { id: 'dup' })));
      await first;
      expect(store.lastSeq('general')).toBe(1);
    });

    it('tells apart ids that differ only after a NUL or in a lone surrogate', async () => {
      const store = await open();
      await store.append(textEntry(1, { id: 'a\u0000b' }));
      await store.append(textEntry(2, { id: 'x\ud800' }));
      expect(store.findBySayId(alice.id, 'a\u0000c')).toBeUndefined();
      expect(store.findBySayId(alice.id, 'a')).toBeUndefined();
      expect(store.findBySayId(alice.id, 'x\udc00')).toBeUndefined();
      await store.append(textEntry(3, { id: 'a\u0000c' }));
      await store.append(textEntry(4, { id: 'x\udc00' }));
      expect(store.page('general', 5, 4).map((entry) => entry.id)).toEqual([
        'a\u0000b',
        'x\ud800',
        'a\u0000c',
        'x\udc00',
      ]);
    });

    it('pages backwards: the newest `limit` entries before a seq, oldest first', async () => {
      const store = await open();
      await appendMany(store, 10);
      expect(seqs(store.page('general', 11, 3))).toEqual([8, 9, 10]);
      expect(seqs(store.page('general', 8, 3))).toEqual([5, 6, 7]);
      expect(seqs(store.page('general', 3, 10))).toEqual([1, 2]);
      expect(seqs(store.page('general', 1, 10))).toEqual([]);
      expect(seqs(store.page('general', 1000, 100))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(store.page('general', 11, 0)).toEqual([]);
      expect(store.page('c_nowhere', 11, 10)).toEqual([]);
    });

    it('renames the room and keeps its id', async () => {
      const store = await open('Before');
      const { id } = store.room;
      store.renameRoom('After');
      expect(store.room).toEqual({ id, name: 'After' });
    });

    it('flushes pending appends on close and closes idempotently', async () => {
      const store = await open();
      const append = store.append(textEntry(1));
      const closing = store.close();
      await expect(append).resolves.toBeUndefined();
      await closing;
      await expect(store.close()).resolves.toBeUndefined();
    });

    it('refuses appends after close', async () => {
      const store = await open();
      await store.close();
      const error: unknown = await store.append(textEntry(1)).catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).code).toBe('closed');
    });
  });

  describeEffectsContract(label, openStore);
  describeSideContract(label, openStore);
  describeSearchContract(label, openStore);
}
