/**
 * Durability against a real crash: a child process appends to two conversations as fast as it
 * can and prints each (conversation, seq) once its append resolved; the test kills it with
 * SIGKILL mid-stream, reopens the directory and requires every printed (acknowledged) entry back,
 * with the same room id, and every edit's effect stored exactly when the edit is.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore, StoreError } from '../../../../main/host/store/sqlite-store';
import {
  FIXTURE_CONVERSATIONS,
  fixtureConversation,
  fixtureEntry,
} from '../../../fixtures/store/fixture-entries';
import { expectFixtureLogs } from './fixture-check';
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

type LastSeqs = Record<string, number>;

/** The acknowledged seqs of each conversation, in the order they were printed. */
function ackedSeqs(fixture: RunningFixture): Record<string, number[]> {
  const acked: Record<string, number[]> = Object.fromEntries(
    FIXTURE_CONVERSATIONS.map((conv) => [conv, []]),
  );
  for (const line of fixture.lines) {
    const [word, conv, seq] = line.split(' ');
    if (word === 'ack') acked[conv!]!.push(Number(seq));
  }
  return acked;
}

describe('SQLite store under SIGKILL', () => {
  it(`keeps every acknowledged entry through ${ROUNDS} kills mid-stream`, async () => {
    const dir = dirs.make();
    let roomId: string | undefined;
    let acknowledged: LastSeqs = { general: 0, [FIXTURE_CONVERSATIONS[1]]: 0 };

    for (let round = 0; round < ROUNDS; round++) {
      const fixture = runFixture(childScript, [dir, 'crash-loop']);
      const opened = JSON.parse(
        await fixture.waitForLine((line) => line.startsWith('{'), LINE_TIMEOUT_MS),
      ) as { ok: boolean; room: { id: string }; lastSeqs: LastSeqs };
      expect(opened.ok).toBe(true);
      roomId ??= opened.room.id;
      expect(opened.room.id).toBe(roomId);
      for (const conv of FIXTURE_CONVERSATIONS) {
        // Recovered seqs continue: the new process starts after everything acknowledged before.
        expect(opened.lastSeqs[conv]).toBeGreaterThanOrEqual(acknowledged[conv]!);
      }

      // A varying target so the kill lands in different phases of a commit.
      const target = opened.lastSeqs.general! + 100 + round * 37;
      await fixture.waitForLine((line) => line === `ack general ${target}`, LINE_TIMEOUT_MS);
      fixture.child.kill('SIGKILL');
      const { signal } = await fixture.exited;
      expect(signal).toBe('SIGKILL');

      const acked = ackedSeqs(fixture);
      for (const conv of FIXTURE_CONVERSATIONS) {
        const seqs = acked[conv]!;
        expect(seqs.length).toBeGreaterThan(0);
        // Acks come in seq order, without gaps, from where the previous process stopped.
        expect(seqs).toEqual(seqs.map((_, index) => opened.lastSeqs[conv]! + 1 + index));
        acknowledged = { ...acknowledged, [conv]: seqs.at(-1)! };
      }

      const store = await openSqliteStore(dir, 'Reopened');
      try {
        expect(store.room.id).toBe(roomId);
        for (const conv of FIXTURE_CONVERSATIONS) {
          expect(store.lastDurableSeq(conv)).toBeGreaterThanOrEqual(acknowledged[conv]!);
        }
        expectFixtureLogs(store);
        const conv = fixtureConversation(
          FIXTURE_CONVERSATIONS.reduce((sum, c) => sum + store.lastSeq(c), 0),
        );
        const next = fixtureEntry(conv, store.lastSeq(conv) + 1);
        await store.append(next);
        expect(store.page(conv, next.seq + 1, 1)).toEqual([next]);
        acknowledged = { ...acknowledged, [conv]: next.seq };
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
