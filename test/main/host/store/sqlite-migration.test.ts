/**
 * A data folder written by a version 1 host (test/fixtures/store/v1-room, made by the v1 store
 * itself) opens without loss: its room becomes `general`, with every seq, id, peer, text and ts,
 * and every session, and the folder then works as any other.
 */
import Database from 'libsql';
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../../../main/host/store/sqlite-schema';
import { openSqliteStore } from '../../../../main/host/store/sqlite-store';
import type { ChatMessage, Peer, RoomInfo } from '../../../../protocol/wire/frames';
import { expectInvalid } from './store-contract';
import { everything, textEntry } from './entry-kit';
import { tempDirs } from './sqlite-test-kit';

const fixtureDir = fileURLToPath(new URL('../../../fixtures/store/v1-room/', import.meta.url));
interface Expected {
  rooms: Record<'closed' | 'crashed', RoomInfo>;
  messages: ChatMessage[];
  sessions: { tokenHash: string; peer: Peer }[];
}
// Read by hand: Vite's JSON import refuses the lone surrogates some texts hold (\ud800).
const { rooms, messages, sessions } = JSON.parse(
  readFileSync(join(fixtureDir, 'expected.json'), 'utf8'),
) as Expected;

const dirs = tempDirs('sqlite-migration');
afterAll(() => dirs.removeAll());

/** A copy of one v1 fixture folder (opening migrates in place). */
function copyOf(name: 'closed' | 'crashed'): string {
  const dir = dirs.make();
  for (const file of readdirSync(join(fixtureDir, name))) {
    copyFileSync(join(fixtureDir, name, file), join(dir, file));
  }
  return dir;
}

const v1Entry = (message: ChatMessage) => ({
  seq: message.seq,
  conv: 'general',
  id: message.id,
  // Version 1 peers never had an identity: they are ephemeral peers of version 2.
  from: { ...message.from, ephemeral: true },
  ts: message.ts,
  kind: 'text',
  text: message.text,
});

describe.each(['closed', 'crashed'] as const)('SQLite store: a v1 room (%s)', (name) => {
  it('becomes general with every message, id and session, and goes on from there', async () => {
    const dir = copyOf(name);
    const store = await openSqliteStore(dir, 'Not a new room');
    try {
      expect(store.room).toEqual(rooms[name]);
      expect(store.conversations()).toEqual([
        {
          id: 'general',
          kind: 'channel',
          name: 'general',
          members: [],
          lastSeq: messages.length,
          created: expect.any(Number),
        },
      ]);
      expect(store.lastDurableSeq('general')).toBe(messages.length);
      expect(everything(store)).toEqual(messages.map(v1Entry));
      expect(store.page('general', 101, 1)[0]).toMatchObject({ text: '𝄞'.repeat(4000) });
      for (const message of messages) {
        expect(store.findBySayId(message.from.id, message.id)).toEqual({
          conv: 'general',
          seq: message.seq,
        });
      }
      for (const { tokenHash, peer } of sessions) {
        expect(store.findSession(tokenHash)).toEqual({ ...peer, ephemeral: true });
      }
      const [first] = messages;
      await expectInvalid(
        store.append(textEntry(messages.length + 1, { id: first!.id, from: first!.from })),
      );
      await store.append(textEntry(messages.length + 1));
    } finally {
      await store.close();
    }

    const raw = new Database(join(dir, 'parley.db'));
    try {
      expect(raw.prepare('PRAGMA user_version').get()).toMatchObject({
        user_version: SCHEMA_VERSION,
      });
      const tables = raw.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).pluck();
      expect(tables.all()).not.toContain('messages');
    } finally {
      raw.close();
    }

    const again = await openSqliteStore(dir, 'Not a new room');
    try {
      expect(again.lastSeq('general')).toBe(messages.length + 1);
      expect(everything(again)).toHaveLength(messages.length + 1);
    } finally {
      await again.close();
    }
  });
});
