import Database from 'libsql';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { MessageStore } from '../../../../main/host/store/message-store';
import { openSqliteStore, StoreError } from '../../../../main/host/store/sqlite-store';
import type { CommitInfo, SqliteStoreOptions } from '../../../../main/host/store/sqlite-store';
import { appendMany, chatMessage, describeMessageStoreContract } from './store-contract';
import { tempDirs } from './sqlite-test-kit';

const dirs = tempDirs('sqlite-store');
afterAll(() => dirs.removeAll());

describeMessageStoreContract('SQLite store', (roomName) => openSqliteStore(dirs.make(), roomName));

describe('SQLite store', () => {
  const opened: MessageStore[] = [];
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

  it('keeps room, messages, sessions and say ids across a reopen, and continues the seqs', async () => {
    const dir = dirs.make();
    const first = await open(dir, {}, 'Team');
    const written = await appendMany(first, 25);
    first.saveSession('hash-1', { id: 'p_alice', name: 'Alice' });
    first.renameRoom('Team chat');
    const room = first.room;
    await first.close();

    const second = await open(dir, {}, 'Ignored name');
    expect(second.room).toEqual(room);
    expect(second.lastSeq).toBe(25);
    expect(second.lastDurableSeq).toBe(25);
    expect(second.page(26, 100)).toEqual(written);
    expect(second.findSession('hash-1')).toEqual({ id: 'p_alice', name: 'Alice' });
    expect(second.findSeqBySayId(written[7]!.from.id, written[7]!.id)).toBe(8);
    await second.append(chatMessage(26));
    await second.close();

    const third = await open(dir);
    expect(third.lastSeq).toBe(26);
    expect(third.page(27, 1)).toEqual([chatMessage(26)]);
  });

  it('writes a burst of 500 appends in one commit and resolves them after it', async () => {
    const commits: CommitInfo[] = [];
    const store = await open(dirs.make(), { onCommit: (commit) => commits.push(commit) });
    const resolved: number[] = [];
    const appends = Array.from({ length: 500 }, (_, index) =>
      store.append(chatMessage(index + 1)).then(() => resolved.push(index + 1)),
    );
    // Queued, not yet committed: numbered and findable, but invisible to readers.
    expect(store.lastSeq).toBe(500);
    expect(store.lastDurableSeq).toBe(0);
    expect(store.page(501, 10)).toEqual([]);
    expect(store.findSeqBySayId('p_alice', 'say-500')).toBe(500);
    await Promise.all(appends);
    expect(commits).toEqual([{ messages: 500, sessions: 0, lastDurableSeq: 500 }]);
    expect(resolved).toEqual(Array.from({ length: 500 }, (_, index) => index + 1));
    expect(store.page(501, 200)).toHaveLength(200);
  });

  it('gives appends of separate turns separate commits, sessions riding along', async () => {
    const commits: CommitInfo[] = [];
    const store = await open(dirs.make(), { onCommit: (commit) => commits.push(commit) });
    store.saveSession('hash-1', { id: 'p_a', name: 'A' });
    await appendMany(store, 3);
    await appendMany(store, 2);
    expect(commits).toEqual([
      { messages: 3, sessions: 1, lastDurableSeq: 3 },
      { messages: 2, sessions: 0, lastDurableSeq: 5 },
    ]);
  });

  it('rejects a whole failed batch, keeps lastDurableSeq, and numbers on from the last durable seq', async () => {
    const dir = dirs.make();
    await (await open(dir)).close();
    // A trigger makes the engine refuse one message, the way a full disk would refuse the commit.
    const raw = new Database(join(dir, 'parley.db'));
    raw.exec(`CREATE TRIGGER refuse BEFORE INSERT ON messages WHEN NEW.text = '"boom"'
              BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END`);
    raw.close();

    const store = await open(dir);
    const before = await appendMany(store, 2);
    const batch = [
      store.append(chatMessage(3)),
      store.append(chatMessage(4, { text: 'boom' })),
      store.append(chatMessage(5)),
    ];
    for (const append of batch) {
      const error = await expectStoreError(append, 'io');
      expect(error.message).toContain(join(dir, 'parley.db'));
    }
    expect(store.lastDurableSeq).toBe(2);
    expect(store.lastSeq).toBe(2);
    expect(store.findSeqBySayId('p_alice', 'say-3')).toBeUndefined();
    expect(store.page(10, 10).map((message) => message.seq)).toEqual([1, 2]);

    await store.append(chatMessage(3, { id: 'after-failure' }));
    expect(store.page(10, 10).map((message) => message.id)).toEqual([
      ...before.map((message) => message.id),
      'after-failure',
    ]);
  });

  it('refuses a say id the sender already used, without harming the rest of the batch', async () => {
    const store = await open(dirs.make());
    await store.append(chatMessage(1, { id: 'dup' }));
    const good = store.append(chatMessage(2));
    const duplicate = store.append(chatMessage(3, { id: 'dup' }));
    const inFlightDuplicate = store.append(chatMessage(3, { id: 'say-2' }));
    await expectStoreError(duplicate, 'invalid');
    await expectStoreError(inFlightDuplicate, 'invalid');
    await good;
    expect(store.lastSeq).toBe(2);
    expect(store.findSeqBySayId('p_alice', 'dup')).toBe(1);
  });

  it('refuses malformed messages and arguments with an invalid error instead of crashing', async () => {
    const store = await open(dirs.make());
    await expectStoreError(store.append({ ...chatMessage(1), seq: 1.5 }), 'invalid');
    await expectStoreError(store.append({ seq: 1 } as never), 'invalid');
    expect(() => store.page(Number.NaN, 10)).toThrow(StoreError);
    expect(() => store.saveSession('hash', { id: 1 } as never)).toThrow(StoreError);
    expect(() => store.findSeqBySayId(undefined as never, 'x')).toThrow(StoreError);
    await store.append(chatMessage(1));
    expect(store.page(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY)).toEqual([
      chatMessage(1),
    ]);
    expect(store.page(2.7, 1.9)).toEqual([chatMessage(1)]);
  });

  it('answers reads with nothing and refuses writes after close', async () => {
    const store = await open(dirs.make());
    await appendMany(store, 2);
    store.saveSession('hash', { id: 'p', name: 'P' });
    await store.close();
    expect(store.page(10, 10)).toEqual([]);
    expect(store.findSession('hash')).toBeUndefined();
    await expectStoreError(store.append(chatMessage(3)), 'closed');
    expect(() => store.saveSession('hash', { id: 'p', name: 'P' })).toThrow(StoreError);
    expect(() => store.renameRoom('x')).toThrow(StoreError);
  });

  it('refuses an append made while closing, even from inside a commit callback', async () => {
    let lateAppend: Promise<void> | undefined;
    const store = await open(dirs.make(), {
      onCommit: () => {
        lateAppend ??= store.append(chatMessage(2));
        // The commit becomes durable while close() is still running: checked below.
        lateAppend.catch(() => undefined);
      },
    });
    const first = store.append(chatMessage(1));
    await store.close();
    await first;
    await expectStoreError(lateAppend!, 'closed');
    expect(store.lastDurableSeq).toBe(1);
  });

  it('closes cleanly: the log is folded into parley.db and the directory can be reopened at once', async () => {
    const dir = dirs.make();
    const store = await open(dir);
    await appendMany(store, 50);
    await store.close();
    const wal = join(dir, 'parley.db-wal');
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
    const again = await open(dir);
    expect(again.lastSeq).toBe(50);
  });
});
