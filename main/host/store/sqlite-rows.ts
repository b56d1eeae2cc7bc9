/**
 * Rows of parley.db and the values they stand for. Rows coming back from the file are validated
 * like any other input: a row of the wrong shape means a damaged file, not a crash.
 */
import * as v from 'valibot';
import { entrySchema, fileSchema } from '../../../protocol/wire/entries';
import type { Entry, FileInfo, PeerV2 } from '../../../protocol/wire/entries';
import { corruptError } from './sqlite-errors';
import { encodeText, storedTextSchema } from './sqlite-schema';
import { currentTextEntry, type TextState } from './stored-entry';

const integer = v.pipe(v.number(), v.safeInteger());
const flag = v.picklist([0, 1]);
const optionalText = v.nullable(storedTextSchema);

/** A JSON array of files, as text_state.files holds it. */
const filesSchema = v.pipe(
  v.string(),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    try {
      return JSON.parse(dataset.value) as unknown;
    } catch {
      addIssue({ message: 'not JSON' });
      return NEVER;
    }
  }),
  v.array(fileSchema),
);

export const peerColumns = {
  peer_id: storedTextSchema,
  peer_name: storedTextSchema,
  ephemeral: flag,
};

export const peerOf = (row: { peer_id: string; peer_name: string; ephemeral: 0 | 1 }): PeerV2 =>
  row.ephemeral === 1
    ? { id: row.peer_id, name: row.peer_name, ephemeral: true }
    : { id: row.peer_id, name: row.peer_name };

/**
 * An entry row joined with its text_state row, as the array a raw statement returns:
 * ENTRY_COLUMNS, then text_state's text, reply_to, files, edited and deleted.
 */
export const entryRowSchema = v.pipe(
  v.tuple([
    storedTextSchema,
    integer,
    storedTextSchema,
    storedTextSchema,
    storedTextSchema,
    flag,
    integer,
    storedTextSchema,
    v.nullable(integer),
    optionalText,
    optionalText,
    v.nullable(flag),
    optionalText,
    optionalText,
    optionalText,
    optionalText,
    v.nullable(integer),
    v.nullable(filesSchema),
    v.nullable(integer),
    v.nullable(flag),
  ]),
  v.transform(
    ([
      conv,
      seq,
      say_id,
      peer_id,
      peer_name,
      ephemeral,
      ts,
      kind,
      target,
      text,
      emoji,
      reaction_on,
      event,
      name,
      topic,
      state_text,
      reply_to,
      files,
      edited,
      deleted,
    ]) => ({
      conv,
      seq,
      say_id,
      peer_id,
      peer_name,
      ephemeral,
      ts,
      kind,
      target,
      text,
      emoji,
      reaction_on,
      event,
      name,
      topic,
      state_text,
      reply_to,
      files,
      edited,
      deleted,
    }),
  ),
);
export type EntryRow = v.InferOutput<typeof entryRowSchema>;

/** The columns of entries after `row`, in the order ENTRY_COLUMNS names them. */
export const ENTRY_COLUMNS =
  'conv, seq, say_id, peer_id, peer_name, ephemeral, ts, kind, target, text, emoji, reaction_on, event, name, topic';

/** The values of ENTRY_COLUMNS for an entry (text entries keep their text in text_state). */
export function entryValues(entry: Entry): (string | number | null)[] {
  const text = entry.kind === 'edit' ? entry.text : undefined;
  const target = 'target' in entry ? entry.target : undefined;
  const system = entry.kind === 'system' ? entry : undefined;
  const encoded = (value: string | undefined) => (value === undefined ? null : encodeText(value));
  return [
    encodeText(entry.conv),
    entry.seq,
    encodeText(entry.id),
    encodeText(entry.from.id),
    encodeText(entry.from.name),
    entry.from.ephemeral ? 1 : 0,
    entry.ts,
    encodeText(entry.kind),
    target ?? null,
    encoded(text),
    encoded(entry.kind === 'reaction' ? entry.emoji : undefined),
    entry.kind === 'reaction' ? Number(entry.on) : null,
    encoded(system?.event),
    encoded(system?.name),
    encoded(system?.topic),
  ];
}

export const encodeFiles = (files: FileInfo[] | undefined): string | null =>
  files === undefined ? null : JSON.stringify(files);

/**
 * The entry a row stands for (text entries in the state their text_state row and `reactions`
 * give), or undefined when the row does not make a valid entry.
 */
export function entryOf(
  row: EntryRow,
  reactions: readonly { emoji: string; peer: string }[] = [],
): Entry | undefined {
  const base = { seq: row.seq, conv: row.conv, id: row.say_id, from: peerOf(row), ts: row.ts };
  const present = <K extends string, T>(key: K, value: T | null) =>
    (value === null ? {} : { [key]: value }) as Partial<Record<K, T>>;
  let entry: unknown;
  switch (row.kind) {
    case 'text': {
      if (row.state_text === null) return undefined;
      const state: TextState = {
        text: row.state_text,
        ...present('replyTo', row.reply_to),
        ...present('files', row.files),
        ...present('edited', row.edited),
        ...(row.deleted === 1 && { deleted: true }),
        reactions: [...reactions],
      };
      entry = currentTextEntry(base, state);
      break;
    }
    case 'edit':
      entry = { ...base, kind: 'edit', target: row.target, text: row.text };
      break;
    case 'delete':
      entry = { ...base, kind: 'delete', target: row.target };
      break;
    case 'reaction':
      entry = {
        ...base,
        kind: 'reaction',
        target: row.target,
        emoji: row.emoji,
        on: row.reaction_on === 1,
      };
      break;
    case 'system':
      entry = {
        ...base,
        kind: 'system',
        event: row.event,
        by: peerOf(row),
        ...present('name', row.name),
        ...present('topic', row.topic),
      };
      break;
  }
  const parsed = v.safeParse(entrySchema, entry);
  return parsed.success ? parsed.output : undefined;
}

/** Validates rows of `file`; a row of another shape is reported as damage to the file. */
export function rowParser(file: string) {
  return <T extends v.GenericSchema>(schema: T, row: unknown): v.InferOutput<T> => {
    const parsed = v.safeParse(schema, row);
    if (!parsed.success) throw corruptError(file, `unexpected row ${JSON.stringify(row)}`);
    return parsed.output;
  };
}
