/**
 * Every query of the store, prepared once per connection. Rows coming back from the file are
 * validated like any other input: a row of the wrong shape means a damaged file, not a crash.
 */
import type Database from 'libsql';
import * as v from 'valibot';
import type { ChatMessage, Peer } from '../../../protocol/wire/frames';
import { corruptError } from './sqlite-errors';
import { encodeText, storedTextSchema } from './sqlite-schema';

/** A session change waiting for the next commit. */
export type SessionWrite =
  | { kind: 'save'; tokenHash: string; peer: Peer; at: number }
  | { kind: 'touch'; tokenHash: string; at: number };

const messageRowSchema = v.pipe(
  v.object({
    seq: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
    say_id: storedTextSchema,
    peer_id: storedTextSchema,
    peer_name: storedTextSchema,
    text: storedTextSchema,
    ts: v.pipe(v.number(), v.safeInteger()),
  }),
  v.transform((row): ChatMessage => ({
    seq: row.seq,
    id: row.say_id,
    from: { id: row.peer_id, name: row.peer_name },
    text: row.text,
    ts: row.ts,
  })),
);
const seqRowSchema = v.object({ seq: v.nullable(v.pipe(v.number(), v.safeInteger())) });
const sessionRowSchema = v.object({ peer_id: storedTextSchema, peer_name: storedTextSchema });

export interface StoreStatements {
  insertMessage(message: ChatMessage): void;
  /** The newest `limit` messages with seq < beforeSeq, oldest first. */
  pageBefore(beforeSeq: number, limit: number): ChatMessage[];
  seqBySayId(peerId: string, sayId: string): number | undefined;
  /** Highest stored seq, 0 for an empty room. */
  maxSeq(): number;
  writeSession(write: SessionWrite): void;
  session(tokenHash: string): Peer | undefined;
  renameRoom(name: string): void;
}

export function prepareStatements(db: Database.Database, file: string): StoreStatements {
  const insertMessage = db.prepare(
    'INSERT INTO messages (seq, say_id, peer_id, peer_name, text, ts) VALUES (?, ?, ?, ?, ?, ?)',
  );
  // Walks the primary key backwards from beforeSeq: cost grows with `limit`, not with the room.
  const pageBefore = db.prepare(
    'SELECT seq, say_id, peer_id, peer_name, text, ts FROM messages WHERE seq < ? ORDER BY seq DESC LIMIT ?',
  );
  const seqBySayId = db.prepare('SELECT seq FROM messages WHERE peer_id = ? AND say_id = ?');
  const maxSeq = db.prepare('SELECT max(seq) AS seq FROM messages');
  const saveSession = db.prepare(
    `INSERT INTO sessions (token_hash, peer_id, peer_name, created, last_used) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (token_hash) DO UPDATE SET
       peer_id = excluded.peer_id, peer_name = excluded.peer_name, last_used = excluded.last_used`,
  );
  const touchSession = db.prepare('UPDATE sessions SET last_used = ? WHERE token_hash = ?');
  const findSession = db.prepare('SELECT peer_id, peer_name FROM sessions WHERE token_hash = ?');
  const renameRoom = db.prepare('UPDATE room SET name = ? WHERE singleton = 1');

  const parseRow = <T extends v.GenericSchema>(schema: T, row: unknown): v.InferOutput<T> => {
    const parsed = v.safeParse(schema, row);
    if (!parsed.success) throw corruptError(file, `unexpected row ${JSON.stringify(row)}`);
    return parsed.output;
  };

  return {
    insertMessage(message) {
      insertMessage.run(
        message.seq,
        encodeText(message.id),
        encodeText(message.from.id),
        encodeText(message.from.name),
        encodeText(message.text),
        message.ts,
      );
    },
    pageBefore(beforeSeq, limit) {
      const rows = pageBefore.all(beforeSeq, limit);
      return rows.map((row) => parseRow(messageRowSchema, row)).reverse();
    },
    seqBySayId(peerId, sayId) {
      const row = seqBySayId.get(encodeText(peerId), encodeText(sayId));
      return row === undefined ? undefined : (parseRow(seqRowSchema, row).seq ?? undefined);
    },
    maxSeq() {
      return parseRow(seqRowSchema, maxSeq.get()).seq ?? 0;
    },
    writeSession(write) {
      if (write.kind === 'save') {
        const { tokenHash, peer, at } = write;
        saveSession.run(encodeText(tokenHash), encodeText(peer.id), encodeText(peer.name), at, at);
      } else {
        touchSession.run(write.at, encodeText(write.tokenHash));
      }
    },
    session(tokenHash) {
      const row = findSession.get(encodeText(tokenHash));
      if (row === undefined) return undefined;
      const found = parseRow(sessionRowSchema, row);
      return { id: found.peer_id, name: found.peer_name };
    },
    renameRoom(name) {
      renameRoom.run(encodeText(name));
    },
  };
}
