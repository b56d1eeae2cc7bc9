import Database from 'libsql';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { RoomStore } from '../../../../main/host/store/room-store';
import { openSqliteStore, StoreError } from '../../../../main/host/store/sqlite-store';
import type { CommitInfo, SqliteStoreOptions } from '../../../../main/host/store/sqlite-store';
import { directConversationId } from '../../../../protocol/wire/identity';
import { describeRoomStoreContract } from './store-contract';
import {
  alice,
  appendMany,
  bob,
  createChannel,
  deleteEntry,
  editEntry,
  everything,
  guest,
  reactionEntry,
  seqs,
  systemEntry,
  textEntry,
} from './entry-kit';
import { tempDirs } from './sqlite-test-kit';

const dirs = tempDirs('sqlite-store');
afterAll(() => dirs.removeAll());

describeRoomStoreContract('SQLite store', (roomName) => openSqliteStore(dirs.make(), roomName));
// The exactly-once check must stay exact when its memory is too small for anyone: every peer is
// then evicted or too heavy, and SQLite answers.
describeRoomStoreContract('SQLite store with a tiny id cache', (roomName) =>
  openSqliteStore(dirs.make(), roomName, { sayIds: { budget: 2, perPeer: 1 } }),
);

describe('SQLite store', () => {
  const opened: RoomStore[] = [];
  const open = async (dir: string, options?: SqliteStoreOptions, name = 'Room') => {
    const store = await openSqliteStore(dir, name, options);
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.allSettled(opened.splice(0).map((store) => store.close()));
  });

  const expectStoreError = async (promise: Promise<unknown>, code: string) => {
    const error: unknown = await promise.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe(code);
    return error as StoreError;
  };

  it('creates a private data directory with parley.db in it', async () => {
    const dir = join(dirs.make(), 'nested', 'parley', 'host');
    await open(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'parley.db')).mode & 0o077).toBe(0);
  });

  it('keeps the whole room across a reopen and continues every log', async () => {
    const dir = dirs.make();
    const direct = directConversationId(alice.id, bob.id);
    const first = await open(dir, {}, 'Team');
    const written = await appendMany(first, 25);
    await first.append(createChannel('c_dev', 'Dev', bob, 'Builds'));
    await first.append(systemEntry(2, 'joined_channel', { conv: 'c_dev', from: guest }));
    await first.append(textEntry(3, { conv: 'c_dev', from: guest, replyTo: 2 }));
    await first.append(reactionEntry(4, { conv: 'c_dev', target: 3, emoji: '🎉' }));
    await first.append(editEntry(26, { target: 1, text: 'first, edited' }));
    await first.append(deleteEntry(27, { target: 2 }));
    first.renameChannel('c_dev', 'Development');
    first.ensureDirect(direct, [alice, bob]);
    await first.append(textEntry(1, { conv: direct, from: bob }));
    first.saveSession('hash-1', alice);
    first.saveSession('hash-2', guest);
    first.saveRead(alice.id, 'general', 20);
    first.saveRead(alice.id, 'c_dev', 3);
    first.rememberPeer(alice);
    first.renameRoom('Team chat');
    const room = first.room;
    const conversations = first.conversations();
    const pages = conversations.map(({ id }) => everything(first, id));
    await first.close();

    const second = await open(dir, {}, 'Ignored name');
    expect(second.room).toEqual(room);
    expect(second.conversations()).toEqual(conversations);
    expect(conversations.map((c) => [c.id, c.name, c.topic, c.members, c.lastSeq])).toEqual([
      ['general', 'general', undefined, [], 27],
      ['c_dev', 'Development', 'Builds', [bob.id, guest.id], 4],
      [direct, undefined, undefined, [alice.id, bob.id], 1],
    ]);
    expect(conversations.map(({ id }) => everything(second, id))).toEqual(pages);
    expect(second.textEntry('general', 1)).toMatchObject({ text: 'first, edited' });
    expect(second.textEntry('general', 2)).toMatchObject({ text: '', deleted: true });
    expect(second.textEntry('c_dev', 3)).toMatchObject({ reactions: { '🎉': [alice.id] } });
    expect(second.findSession('hash-1')).toEqual(alice);
    expect(second.findSession('hash-2')).toEqual(guest);
    expect(second.readMarkers(alice.id)).toEqual({ general: 20, c_dev: 3 });
    expect(second.knownPeer(alice.id)).toEqual(alice);
    expect(second.knownPeer(bob.id)).toEqual(bob);
    expect(second.findBySayId(written[7]!.from.id, written[7]!.id)).toEqual({
      conv: 'general',
      seq: 8,
    });
    await expectStoreError(second.append(textEntry(28, { id: written[7]!.id })), 'invalid');
    await expectStoreError(second.append(createChannel('c_other', 'DEVELOPMENT')), 'invalid');
    await second.append(textEntry(28));
    await second.append(textEntry(5, { conv: 'c_dev' }));
    await second.close();

    const third = await open(dir);
    expect(third.lastSeq('general')).toBe(28);
    expect(third.lastSeq('c_dev')).toBe(5);
    expect(third.page('general', 29, 1)).toEqual([textEntry(28)]);
  });

  it('writes a burst of 500 appends in one commit and resolves them after it', async () => {
    const commits: CommitInfo[] = [];
    const store = await open(dirs.make(), { onCommit: (commit) => commits.push(commit) });
    const resolved: number[] = [];
    const appends = Array.from({ length: 500 }, (_, index) =>
      store.append(textEntry(index + 1)).then(() => resolved.push(index + 1)),
    );
    // Queued, not yet committed: numbered and findable, but invisible to readers.
    expect(store.lastSeq('general')).toBe(500);
    expect(store.lastDurableSeq('general')).toBe(0);
    expect(store.page('general', 501, 10)).toEqual([]);
    expect(store.findBySayId(alice.id, 'say-general-500')).toEqual({ conv: 'general', seq: 500 });
    await Promise.all(appends);
    expect(commits).toEqual([{ entries: 500, writes: 0, lastDurableSeqs: { general: 500 } }]);
    expect(resolved).toEqual(Array.from({ length: 500 }, (_, index) => index + 1));
    expect(store.page('general', 501, 200)).toHaveLength(200);
  });

  it('gives appends of separate turns separate commits, the other writes riding along', async () => {
    const commits: CommitInfo[] = [];
    const store = await open(dirs.make(), { onCommit: (commit) => commits.push(commit) });
    store.saveSession('hash-1', { id: 'p_a', name: 'A' });
    store.saveRead(alice.id, 'general', 1);
    store.rememberPeer(alice);
    await Promise.all([appendMany(store, 3), store.append(createChannel('c_x', 'x'))]);
    await appendMany(store, 2);
    expect(commits).toEqual([
      { entries: 4, writes: 3, lastDurableSeqs: { general: 3, c_x: 1 } },
      { entries: 2, writes: 0, lastDurableSeqs: { general: 5 } },
    ]);
  });

  it('rejects a whole failed batch and returns the room to its last good commit', async () => {
    const dir = dirs.make();
    await (await open(dir)).close();
    // A trigger makes the engine refuse one entry, the way a full disk would refuse the commit.
    const raw = new Database(join(dir, 'parley.db'));
    raw.exec(`CREATE TRIGGER refuse BEFORE INSERT ON text_state WHEN NEW.text = '"boom"'
              BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END`);
    raw.close();

    const store = await open(dir);
    const before = await appendMany(store, 2);
    await store.append(createChannel('c_kept', 'kept'));
    const direct = directConversationId(alice.id, bob.id);
    const batch = [
      store.append(textEntry(3)),
      store.append(createChannel('c_lost', 'lost')),
      store.append(systemEntry(2, 'joined_channel', { conv: 'c_kept', from: bob })),
      store.append(textEntry(4, { text: 'boom' })),
      store.append(textEntry(5)),
    ];
    store.renameChannel('c_lost', 'still lost');
    store.renameChannel('c_kept', 'renamed');
    store.ensureDirect(direct, [alice, bob]);
    store.saveRead(alice.id, 'general', 2);
    for (const append of batch) {
      const error = await expectStoreError(append, 'io');
      expect(error.message).toContain(join(dir, 'parley.db'));
    }
    expect(store.lastDurableSeq('general')).toBe(2);
    expect(store.lastSeq('general')).toBe(2);
    expect(store.findBySayId(alice.id, 'say-general-3')).toBeUndefined();
    expect(seqs(everything(store))).toEqual([1, 2]);
    // The channel created and the join in the failed batch are gone; the rest is kept.
    const kept = store.conversations();
    expect(kept.map((c) => [c.id, c.name, c.members])).toEqual([
      ['general', 'general', []],
      ['c_kept', 'renamed', [alice.id]],
      [direct, undefined, [alice.id, bob.id]],
    ]);

    await store.append(textEntry(3, { id: 'after-failure' }));
    await store.append(createChannel('c_lost', 'lost'));
    expect(everything(store).map((entry) => entry.id)).toEqual([
      ...before.map((entry) => entry.id),
      'after-failure',
    ]);
    await store.close();
    const reopened = await open(dir);
    expect(reopened.conversations().map((c) => c.id)).toEqual([
      'general',
      'c_kept',
      direct,
      'c_lost',
    ]);
    expect(reopened.readMarkers(alice.id)).toEqual({ general: 2 });
  });

  it('refuses malformed entries and arguments with an invalid error instead of crashing', async () => {
    const store = await open(dirs.make());
    await expectStoreError(store.append({ ...textEntry(1), seq: 1.5 }), 'invalid');
    await expectStoreError(store.append({ seq: 1 } as never), 'invalid');
    expect(() => store.page('general', Number.NaN, 10)).toThrow(StoreError);
    expect(() => store.saveSession('hash', { id: 1 } as never)).toThrow(StoreError);
    expect(() => store.findBySayId(undefined as never, 'x')).toThrow(StoreError);
    expect(() => store.ensureDirect('d_x', [alice] as never)).toThrow(StoreError);
    expect(() => store.saveRead(alice.id, 'general', Number.NaN)).toThrow(StoreError);
    const badCache = openSqliteStore(dirs.make(), 'x', { sayIds: { budget: 1, perPeer: 2 } });
    await expectStoreError(badCache, 'invalid');
    await store.append(textEntry(1));
    expect(store.page('general', Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY)).toEqual([
      textEntry(1),
    ]);
    expect(store.page('general', 2.7, 1.9)).toEqual([textEntry(1)]);
  });

  it('answers reads with nothing and refuses writes after close', async () => {
    const store = await open(dirs.make());
    await appendMany(store, 2);
    store.saveSession('hash', { id: 'p', name: 'P' });
    await store.close();
    expect(store.page('general', 10, 10)).toEqual([]);
    expect(store.textEntry('general', 1)).toBeUndefined();
    expect(store.findSession('hash')).toBeUndefined();
    expect(store.knownPeer(alice.id)).toBeUndefined();
    expect(store.readMarkers(alice.id)).toEqual({});
    await expectStoreError(store.append(textEntry(3)), 'closed');
    expect(() => store.saveSession('hash', { id: 'p', name: 'P' })).toThrow(StoreError);
    expect(() => store.renameRoom('x')).toThrow(StoreError);
    expect(() => store.saveRead(alice.id, 'general', 1)).toThrow(StoreError);
    expect(() => store.pruneSessions(0)).toThrow(StoreError);
  });

  it('refuses an append made while closing, even from inside a commit callback', async () => {
    let lateAppend: Promise<void> | undefined;
    const store = await open(dirs.make(), {
      onCommit: () => {
        lateAppend ??= store.append(textEntry(2));
        // The commit becomes durable while close() is still running: checked below.
        lateAppend.catch(() => undefined);
      },
    });
    const first = store.append(textEntry(1));
    await store.close();
    await first;
    await expectStoreError(lateAppend!, 'closed');
    expect(store.lastDurableSeq('general')).toBe(1);
  });

  it('closes cleanly: the log is folded into parley.db and the directory can be reopened at once', async () => {
    const dir = dirs.make();
    const store = await open(dir);
    await appendMany(store, 50);
    await store.close();
    const wal = join(dir, 'parley.db-wal');
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
    const again = await open(dir);
    expect(again.lastSeq('general')).toBe(50);
  });
});
