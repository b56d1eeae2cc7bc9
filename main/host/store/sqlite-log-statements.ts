/**
 * The queries of the logs (entries, the state of text entries, reactions, client-chosen ids),
 * prepared once per connection.
 */
import type Database from 'libsql';
import * as v from 'valibot';
import type { Entry, TextEntry } from '../../../protocol/wire/entries';
import { corruptError } from './sqlite-errors';
import {
  ENTRY_COLUMNS,
  encodeFiles,
  entryOf,
  entryRowSchema,
  entryValues,
  rowParser,
  type EntryRow,
} from './sqlite-rows';
import { encodeText, storedTextSchema } from './sqlite-schema';

export interface LogStatements {
  /** Inserts the entry row (an edit with `text` instead of its own) and returns its row id. */
  insertEntry(entry: Entry, text?: string): number;
  insertTextState(row: number, entry: TextEntry): void;
  /** The row of the text entry `conv`/`seq` if it exists and is not deleted. */
  liveTextRow(conv: string, seq: number): number | undefined;
  setText(row: number, text: string, edited: number): void;
  /** Purges a text entry: its text, files, reactions, and the texts of its edits. */
  purge(row: number, conv: string, seq: number): void;
  react(conv: string, target: number, emoji: string, peerId: string, on: boolean): void;
  /** The texts of the edits of `conv`/`target`, by seq. */
  editTexts(conv: string, target: number): Map<number, string>;
  /** The newest `limit` entries with seq < beforeSeq, oldest first, text entries current. */
  page(conv: string, beforeSeq: number, limit: number): Entry[];
  textEntry(conv: string, seq: number): TextEntry | undefined;
  /** Highest stored seq of `conv`, 0 for an empty log. */
  maxSeq(conv: string): number;
  /** Up to `limit` of the ids `peerId` used. */
  sayIdsOf(peerId: string, limit: number): string[];
  locateSayId(peerId: string, sayId: string): { conv: string; seq: number } | undefined;
}

const ENTRY_SELECT = `SELECT ${ENTRY_COLUMNS.split(', ')
  .map((column) => `e.${column}`)
  .join(', ')}, t.text AS state_text, t.reply_to, t.files, t.edited, t.deleted
  FROM entries e LEFT JOIN text_state t ON t.row = e.row`;

const TEXT = encodeText('text');
const EDIT = encodeText('edit');
const EMPTY = encodeText('');

const seqRowSchema = v.object({ seq: v.nullable(v.pipe(v.number(), v.safeInteger())) });
const rowIdSchema = v.object({ row: v.pipe(v.number(), v.safeInteger()) });
const editRowSchema = v.object({
  seq: v.pipe(v.number(), v.safeInteger()),
  text: storedTextSchema,
});
const reactionRowSchema = v.object({
  target: v.pipe(v.number(), v.safeInteger()),
  emoji: storedTextSchema,
  peer_id: storedTextSchema,
});
const locationRowSchema = v.object({
  conv: storedTextSchema,
  seq: v.pipe(v.number(), v.safeInteger()),
});

export function prepareLogStatements(db: Database.Database, file: string): LogStatements {
  const parseRow = rowParser(file);
  const insertEntry = db.prepare(
    `INSERT INTO entries (${ENTRY_COLUMNS}) VALUES (${ENTRY_COLUMNS.split(', ')
      .map(() => '?')
      .join(', ')})`,
  );
  const insertTextState = db.prepare(
    'INSERT INTO text_state (row, text, reply_to, files) VALUES (?, ?, ?, ?)',
  );
  const liveTextRow = db.prepare(
    `SELECT e.row AS row FROM entries e JOIN text_state t ON t.row = e.row
     WHERE e.conv = ? AND e.seq = ? AND e.kind = '${TEXT}' AND t.deleted = 0`,
  );
  const setText = db.prepare('UPDATE text_state SET text = ?, edited = ? WHERE row = ?');
  const purgeText = db.prepare(
    `UPDATE text_state SET text = '${EMPTY}', files = NULL, deleted = 1 WHERE row = ?`,
  );
  const dropReactions = db.prepare('DELETE FROM reactions WHERE conv = ? AND target = ?');
  const purgeEdits = db.prepare(
    `UPDATE entries SET text = '${EMPTY}' WHERE conv = ? AND target = ? AND kind = '${EDIT}'`,
  );
  const addReaction = db.prepare(
    'INSERT INTO reactions (conv, target, emoji, peer_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const removeReaction = db.prepare(
    'DELETE FROM reactions WHERE conv = ? AND target = ? AND emoji = ? AND peer_id = ?',
  );
  const editTexts = db.prepare(
    `SELECT seq, text FROM entries WHERE conv = ? AND target = ? AND kind = '${EDIT}'`,
  );
  // Walks UNIQUE (conv, seq) backwards from beforeSeq: cost grows with `limit`, not the log.
  // Raw (rows as arrays): libsql builds row objects several times slower.
  const page = db
    .prepare(`${ENTRY_SELECT} WHERE e.conv = ? AND e.seq < ? ORDER BY e.seq DESC LIMIT ?`)
    .raw();
  const textEntry = db
    .prepare(`${ENTRY_SELECT} WHERE e.conv = ? AND e.seq = ? AND e.kind = '${TEXT}'`)
    .raw();
  const reactions = db.prepare(
    'SELECT target, emoji, peer_id FROM reactions WHERE conv = ? AND target BETWEEN ? AND ? ORDER BY row',
  );
  const maxSeq = db.prepare('SELECT max(seq) AS seq FROM entries WHERE conv = ?');
  const sayIdsOf = db.prepare('SELECT say_id FROM entries WHERE peer_id = ? LIMIT ?').pluck();
  const locate = db.prepare('SELECT conv, seq FROM entries WHERE peer_id = ? AND say_id = ?');

  /** Entries of rows of one conversation, with the reactions of its text entries. */
  const toEntries = (conv: string, rows: EntryRow[]): Entry[] => {
    const texts = rows.filter((row) => row.kind === 'text').map((row) => row.seq);
    const reacted = new Map<number, { emoji: string; peer: string }[]>();
    if (texts.length > 0) {
      const found = reactions.all(encodeText(conv), Math.min(...texts), Math.max(...texts));
      for (const raw of found) {
        const { target, emoji, peer_id: peer } = parseRow(reactionRowSchema, raw);
        const list = reacted.get(target);
        if (list) list.push({ emoji, peer });
        else reacted.set(target, [{ emoji, peer }]);
      }
    }
    return rows.map((row) => {
      const entry = entryOf(row, reacted.get(row.seq));
      if (!entry) throw corruptError(file, `entry ${row.seq} of ${conv} is malformed`);
      return entry;
    });
  };

  return {
    insertEntry(entry, text) {
      const values = entryValues(entry);
      if (text !== undefined) values[9] = encodeText(text);
      return Number(insertEntry.run(...values).lastInsertRowid);
    },
    insertTextState(row, entry) {
      insertTextState.run(
        row,
        encodeText(entry.text),
        entry.replyTo ?? null,
        encodeFiles(entry.files),
      );
    },
    liveTextRow(conv, seq) {
      const row = liveTextRow.get(encodeText(conv), seq);
      return row === undefined ? undefined : parseRow(rowIdSchema, row).row;
    },
    setText(row, text, edited) {
      setText.run(encodeText(text), edited, row);
    },
    purge(row, conv, seq) {
      purgeText.run(row);
      dropReactions.run(encodeText(conv), seq);
      purgeEdits.run(encodeText(conv), seq);
    },
    react(conv, target, emoji, peerId, on) {
      const values = [encodeText(conv), target, encodeText(emoji), encodeText(peerId)];
      (on ? addReaction : removeReaction).run(...values);
    },
    editTexts(conv, target) {
      const rows = editTexts
        .all(encodeText(conv), target)
        .map((row) => parseRow(editRowSchema, row));
      return new Map(rows.map((row) => [row.seq, row.text]));
    },
    page(conv, beforeSeq, limit) {
      const rows = page
        .all(encodeText(conv), beforeSeq, limit)
        .map((row) => parseRow(entryRowSchema, row));
      return toEntries(conv, rows.reverse());
    },
    textEntry(conv, seq) {
      const row = textEntry.get(encodeText(conv), seq);
      if (row === undefined) return undefined;
      const [entry] = toEntries(conv, [parseRow(entryRowSchema, row)]);
      return entry as TextEntry;
    },
    maxSeq(conv) {
      return parseRow(seqRowSchema, maxSeq.get(encodeText(conv))).seq ?? 0;
    },
    sayIdsOf(peerId, limit) {
      return sayIdsOf.all(encodeText(peerId), limit).map((id) => parseRow(storedTextSchema, id));
    },
    locateSayId(peerId, sayId) {
      const row = locate.get(encodeText(peerId), encodeText(sayId));
      return row === undefined ? undefined : parseRow(locationRowSchema, row);
    },
  };
}
