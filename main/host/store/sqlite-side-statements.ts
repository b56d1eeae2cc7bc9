/**
 * The queries of everything beside the logs: conversations and their members, read markers,
 * remembered names, sessions and the room record, prepared once per connection.
 */
import type Database from 'libsql';
import * as v from 'valibot';
import { CONVERSATION_KINDS } from '../../../protocol/wire/entries';
import type { PeerV2 } from '../../../protocol/wire/entries';
import type { Peer } from '../../../protocol/wire/frames';
import { nameKey } from '../../../protocol/wire/text';
import type { StoredConversation } from './room-store';
import { peerColumns, peerOf, rowParser } from './sqlite-rows';
import { encodeText, storedTextSchema } from './sqlite-schema';

/** A session change waiting for the next commit. */
export type SessionWrite =
  | { kind: 'save'; tokenHash: string; peer: PeerV2; at: number }
  | { kind: 'touch'; tokenHash: string; at: number };

export interface SideStatements {
  /** Every conversation in creation order, with its members; lastSeq is left at 0. */
  conversations(): StoredConversation[];
  insertConversation(conversation: StoredConversation): void;
  addMember(conv: string, peerId: string): void;
  removeMember(conv: string, peerId: string): void;
  setTopic(conv: string, topic: string | undefined): void;
  renameConversation(conv: string, name: string): void;
  readMarkers(peerId: string): Record<string, number>;
  raiseRead(peerId: string, conv: string, seq: number): void;
  identity(peerId: string): Peer | undefined;
  rememberIdentity(peer: Peer, at: number): void;
  writeSession(write: SessionWrite): void;
  session(tokenHash: string): PeerV2 | undefined;
  /** Deletes sessions last used before `before`; returns how many. */
  pruneSessions(before: number): number;
  renameRoom(name: string): void;
}

const integer = v.pipe(v.number(), v.safeInteger());
const optionalText = v.nullable(storedTextSchema);
const conversationRowSchema = v.object({
  id: storedTextSchema,
  kind: v.pipe(storedTextSchema, v.picklist(CONVERSATION_KINDS)),
  name: optionalText,
  topic: optionalText,
  creator: optionalText,
  created: integer,
});
const memberRowSchema = v.object({ conv: storedTextSchema, peer_id: storedTextSchema });
const readRowSchema = v.object({ conv: storedTextSchema, seq: integer });
const nameRowSchema = v.object({ name: storedTextSchema });
const sessionRowSchema = v.object(peerColumns);

const encoded = (value: string | undefined): string | null =>
  value === undefined ? null : encodeText(value);

export function prepareSideStatements(db: Database.Database, file: string): SideStatements {
  const parseRow = rowParser(file);
  const conversations = db.prepare(
    'SELECT id, kind, name, topic, creator, created FROM conversations ORDER BY row',
  );
  const members = db.prepare('SELECT conv, peer_id FROM members ORDER BY row');
  const insertConversation = db.prepare(
    `INSERT INTO conversations (id, kind, name, name_key, topic, creator, created)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const addMember = db.prepare(
    'INSERT INTO members (conv, peer_id) VALUES (?, ?) ON CONFLICT DO NOTHING',
  );
  const removeMember = db.prepare('DELETE FROM members WHERE conv = ? AND peer_id = ?');
  const setTopic = db.prepare('UPDATE conversations SET topic = ? WHERE id = ?');
  const rename = db.prepare('UPDATE conversations SET name = ?, name_key = ? WHERE id = ?');
  const readMarkers = db.prepare('SELECT conv, seq FROM read_markers WHERE peer_id = ?');
  const raiseRead = db.prepare(
    `INSERT INTO read_markers (peer_id, conv, seq) VALUES (?, ?, ?)
     ON CONFLICT (peer_id, conv) DO UPDATE SET seq = max(seq, excluded.seq)`,
  );
  const identity = db.prepare('SELECT name FROM identities WHERE peer_id = ?');
  const rememberIdentity = db.prepare(
    `INSERT INTO identities (peer_id, name, last_seen) VALUES (?, ?, ?)
     ON CONFLICT (peer_id) DO UPDATE SET name = excluded.name, last_seen = excluded.last_seen`,
  );
  const saveSession = db.prepare(
    `INSERT INTO sessions (token_hash, peer_id, peer_name, ephemeral, created, last_used)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (token_hash) DO UPDATE SET peer_id = excluded.peer_id,
       peer_name = excluded.peer_name, ephemeral = excluded.ephemeral, last_used = excluded.last_used`,
  );
  const touchSession = db.prepare('UPDATE sessions SET last_used = ? WHERE token_hash = ?');
  const findSession = db.prepare(
    'SELECT peer_id, peer_name, ephemeral FROM sessions WHERE token_hash = ?',
  );
  const pruneSessions = db.prepare('DELETE FROM sessions WHERE last_used < ?');
  const renameRoom = db.prepare('UPDATE room SET name = ? WHERE singleton = 1');

  return {
    conversations() {
      const byId = new Map<string, StoredConversation>();
      for (const raw of conversations.all()) {
        const row = parseRow(conversationRowSchema, raw);
        const conversation: StoredConversation = {
          id: row.id,
          kind: row.kind,
          members: [],
          lastSeq: 0,
          created: row.created,
        };
        if (row.name !== null) conversation.name = row.name;
        if (row.topic !== null) conversation.topic = row.topic;
        if (row.creator !== null) conversation.creator = row.creator;
        byId.set(row.id, conversation);
      }
      for (const raw of members.all()) {
        const { conv, peer_id: peerId } = parseRow(memberRowSchema, raw);
        byId.get(conv)?.members.push(peerId);
      }
      return [...byId.values()];
    },
    insertConversation(conversation) {
      const { id, kind, name, topic, creator, created } = conversation;
      const key = kind === 'channel' && name !== undefined ? nameKey(name) : undefined;
      insertConversation.run(
        encodeText(id),
        encodeText(kind),
        encoded(name),
        encoded(key),
        encoded(topic),
        encoded(creator),
        created,
      );
      for (const member of conversation.members) addMember.run(encodeText(id), encodeText(member));
    },
    addMember(conv, peerId) {
      addMember.run(encodeText(conv), encodeText(peerId));
    },
    removeMember(conv, peerId) {
      removeMember.run(encodeText(conv), encodeText(peerId));
    },
    setTopic(conv, topic) {
      setTopic.run(topic ? encodeText(topic) : null, encodeText(conv));
    },
    renameConversation(conv, name) {
      rename.run(encodeText(name), encodeText(nameKey(name)), encodeText(conv));
    },
    readMarkers(peerId) {
      const rows = readMarkers.all(encodeText(peerId)).map((row) => parseRow(readRowSchema, row));
      return Object.fromEntries(rows.map((row) => [row.conv, row.seq]));
    },
    raiseRead(peerId, conv, seq) {
      raiseRead.run(encodeText(peerId), encodeText(conv), seq);
    },
    identity(peerId) {
      const row = identity.get(encodeText(peerId));
      return row === undefined
        ? undefined
        : { id: peerId, name: parseRow(nameRowSchema, row).name };
    },
    rememberIdentity(peer, at) {
      rememberIdentity.run(encodeText(peer.id), encodeText(peer.name), at);
    },
    writeSession(write) {
      if (write.kind === 'save') {
        const { tokenHash, peer, at } = write;
        const ephemeral = peer.ephemeral ? 1 : 0;
        saveSession.run(
          encodeText(tokenHash),
          encodeText(peer.id),
          encodeText(peer.name),
          ephemeral,
          at,
          at,
        );
      } else {
        touchSession.run(write.at, encodeText(write.tokenHash));
      }
    },
    session(tokenHash) {
      const row = findSession.get(encodeText(tokenHash));
      return row === undefined ? undefined : peerOf(parseRow(sessionRowSchema, row));
    },
    pruneSessions(before) {
      return pruneSessions.run(before).changes;
    },
    renameRoom(name) {
      renameRoom.run(encodeText(name));
    },
  };
}
