/**
 * Durability against a real crash: a child process appends as fast as it can and prints each seq
 * once its append resolved; the test kills it with SIGKILL mid-stream, reopens the directory and
 * requires every printed (acknowledged) message back, with the same room id.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore, StoreError } from '../../../../main/host/store/sqlite-store';
import type { MessageStore } from '../../../../main/host/store/message-store';
import { fixtureMessage } from '../../../fixtures/store/fixture-messages';
import { buildFixture, killStrayFixtures, runFixture, tempDirs } from './sqlite-test-kit';
import type { RunningFixture } from './sqlite-test-kit';

const dirs = tempDirs('sqlite-crash');
let childScript = '';

beforeAll(async () => {
  childScript = await buildFixture('store-child', dirs.make());
});
afterEach(() => killStrayFixtures());
afterAll(() => {
  killStrayFixtures();
  dirs.removeAll();
});

const ROUNDS = 3;
const LINE_TIMEOUT_MS = 15_000;

const ackedSeqs = (fixture: RunningFixture): number[] =>
  fixture.lines.filter((line) => line.startsWith('ack ')).map((line) => Number(line.slice(4)));

/** Every stored message, oldest first, read in pages. */
function allMessages(store: MessageStore) {
  const pages = [];
  for (let before = store.lastDurableSeq + 1; before > 1; before -= 200)
    pages.unshift(store.page(before, 200));
  return pages.flat();
}

describe('SQLite store under SIGKILL', () => {
  it(`keeps every acknowledged message through ${ROUNDS} kills mid-stream`, async () => {
    const dir = dirs.make();
    let roomId: string | undefined;
    let acknowledged = 0;

    for (let round = 0; round < ROUNDS; round++) {
      const fixture = runFixture(childScript, [dir, 'crash-loop']);
      const opened = JSON.parse(
        await fixture.waitForLine((line) => line.startsWith('{'), LINE_TIMEOUT_MS),
      ) as {
        ok: boolean;
        room: { id: string };
        lastSeq: number;
      };
      expect(opened.ok).toBe(true);
      roomId ??= opened.room.id;
      expect(opened.room.id).toBe(roomId);
      // Recovered seqs continue: the new process starts after everything acknowledged before.
      expect(opened.lastSeq).toBeGreaterThanOrEqual(acknowledged);

      // A varying target so the kill lands in different phases of a commit.
      const target = opened.lastSeq + 150 + round * 37;
      await fixture.waitForLine((line) => line === `ack ${target}`, LINE_TIMEOUT_MS);
      fixture.child.kill('SIGKILL');
      const { signal } = await fixture.exited;
      expect(signal).toBe('SIGKILL');

      const acked = ackedSeqs(fixture);
      expect(acked.length).toBeGreaterThan(0);
      // Acks come in seq order, without gaps, from where the previous process stopped.
      expect(acked).toEqual(acked.map((_, index) => opened.lastSeq + 1 + index));
      acknowledged = acked.at(-1)!;

      const store = await openSqliteStore(dir, 'Reopened');
      try {
        expect(store.room.id).toBe(roomId);
        expect(store.lastDurableSeq).toBeGreaterThanOrEqual(acknowledged);
        const messages = allMessages(store);
        // Every stored message is the one the child wrote for that seq, numbered 1..lastSeq.
        expect(messages).toEqual(messages.map((_, index) => fixtureMessage(index + 1)));
        expect(messages.length).toBe(store.lastSeq);
        const next = fixtureMessage(store.lastSeq + 1);
        await store.append(next);
        expect(store.page(next.seq + 1, 1)).toEqual([next]);
        acknowledged = next.seq;
      } finally {
        await store.close();
      }
    }
  });

  it('refuses a second host on a directory another process holds, and recovers it after a kill', async () => {
    const dir = dirs.make();
    const holder = runFixture(childScript, [dir, 'hold']);
    await holder.waitForLine((line) => line === 'ready', LINE_TIMEOUT_MS);
    const refused: unknown = await openSqliteStore(dir, 'Second host').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(StoreError);
    expect((refused as StoreError).code).toBe('locked');
    expect((refused as StoreError).message).toContain(
      `${dir}/parley.db is in use by another Parley host`,
    );

    holder.child.kill('SIGKILL');
    await holder.exited;
    const store = await openSqliteStore(dir, 'Second host');
    expect(store.room.name).toBe('Fixture room');
    await store.close();
  });

  it('is refused by another process while this one holds the directory', async () => {
    const dir = dirs.make();
    const store = await openSqliteStore(dir, 'Holder');
    try {
      const other = runFixture(childScript, [dir, 'open']);
      const result = JSON.parse(
        await other.waitForLine((line) => line.startsWith('{'), LINE_TIMEOUT_MS),
      ) as {
        ok: boolean;
        code: string;
      };
      expect(result).toMatchObject({ ok: false, code: 'locked' });
      await other.exited;
    } finally {
      await store.close();
    }
    const after = runFixture(childScript, [dir, 'open']);
    const reopened = JSON.parse(
      await after.waitForLine((line) => line.startsWith('{'), LINE_TIMEOUT_MS),
    ) as {
      ok: boolean;
      room: { name: string };
    };
    expect(reopened).toMatchObject({ ok: true, room: { name: 'Holder' } });
    await after.exited;
  });
});
