/**
 * The events of a shared room's stream, as scripts.ts writes them: each names the event before it
 * (`p`), the host whose script made it (`h`), its kind (`t`) and its data (`d`, JSON). Everything
 * read from Redis is checked here: a malformed event is reported, never trusted.
 */
import * as v from 'valibot';
import { entrySchema, peerV2Schema, type Entry, type PeerV2 } from '../../../protocol/wire/entries';
import type { Reply } from './redis-link';

const seq = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

export const sessionRecordSchema = v.object({ peer: peerV2Schema, used: v.number() });
export type SessionRecord = v.InferOutput<typeof sessionRecordSchema>;

/** A conversation as the room's `convs` hash keeps it (lastSeq lives in `seq`, members in the log). */
export const conversationRecordSchema = v.object({
  id: v.string(),
  kind: v.picklist(['channel', 'direct']),
  name: v.optional(v.string()),
  /** Channels: the nameKey the name is held under. */
  key: v.optional(v.string()),
  topic: v.optional(v.string()),
  creator: v.optional(v.string()),
  /** Direct conversations: both peers. */
  members: v.optional(v.tuple([peerV2Schema, peerV2Schema])),
  created: v.number(),
});
export type ConversationRecord = v.InferOutput<typeof conversationRecordSchema>;

const dataSchemas = {
  e: entrySchema,
  d: conversationRecordSchema,
  rn: v.object({ conv: v.string(), name: v.string() }),
  room: v.object({ name: v.string() }),
  j: peerV2Schema,
  l: peerV2Schema,
  pr: v.object({ before: peerV2Schema, after: peerV2Schema }),
  s: v.object({ k: v.string(), s: sessionRecordSchema }),
  r: v.object({ p: v.string(), c: v.string(), s: seq }),
  n: v.object({ id: v.string(), name: v.string() }),
} as const;

type Kind = keyof typeof dataSchemas;

export type RoomEvent = {
  [K in Kind]: {
    readonly id: string;
    readonly prev: string;
    readonly host: string;
    readonly kind: K;
    readonly data: v.InferOutput<(typeof dataSchemas)[K]>;
  };
}[Kind];

export type EntryEvent = Extract<RoomEvent, { kind: 'e' }>;

const fieldsSchema = v.object({
  p: v.string(),
  h: v.string(),
  t: v.picklist(Object.keys(dataSchemas) as Kind[]),
  d: v.string(),
});

/** One stream entry ([id, [field, value, ...]]) as an event, or why it is not one. */
export function parseEvent(raw: Reply): RoomEvent | string {
  if (!Array.isArray(raw) || typeof raw[0] !== 'string' || !Array.isArray(raw[1])) {
    return 'not a stream entry';
  }
  const [id, list] = raw;
  const fields: Record<string, unknown> = {};
  for (let index = 0; index + 1 < list.length; index += 2) {
    fields[String(list[index])] = list[index + 1];
  }
  const parsed = v.safeParse(fieldsSchema, fields);
  if (!parsed.success) return `event ${id}: ${v.summarize(parsed.issues)}`;
  const { p, h, t, d } = parsed.output;
  let json: unknown;
  try {
    json = JSON.parse(d);
  } catch {
    return `event ${id}: its data is not JSON`;
  }
  const data = v.safeParse(dataSchemas[t], json);
  if (!data.success) return `event ${id} (${t}): ${v.summarize(data.issues)}`;
  return { id, prev: p, host: h, kind: t, data: data.output } as RoomEvent;
}

/** The stream entries of an XREAD/XRANGE reply (RESP2), oldest first. */
export function streamEntries(reply: Reply): Reply[] {
  if (!Array.isArray(reply)) return [];
  // XREAD: [[key, entries]]; XRANGE: entries.
  const first = reply[0];
  if (Array.isArray(first) && typeof first[0] === 'string' && Array.isArray(first[1])) {
    const looksLikeXread = first[1].every((item) => Array.isArray(item));
    if (looksLikeXread && reply.length === 1 && !/^\d+-\d+$/.test(first[0])) return first[1];
  }
  return reply;
}

/** A flat [field, value, ...] reply as a map. */
export function pairs(reply: Reply): Map<string, string> {
  const map = new Map<string, string>();
  if (!Array.isArray(reply)) return map;
  for (let index = 0; index + 1 < reply.length; index += 2) {
    map.set(String(reply[index]), String(reply[index + 1]));
  }
  return map;
}

/** JSON from Redis, checked; undefined (and `problem` told why) when it does not fit. */
export function parseJson<T extends v.GenericSchema>(
  schema: T,
  text: string,
  problem: (why: string) => void,
): v.InferOutput<T> | undefined {
  try {
    const parsed = v.safeParse(schema, JSON.parse(text));
    if (parsed.success) return parsed.output;
    problem(v.summarize(parsed.issues));
  } catch {
    problem('not JSON');
  }
  return undefined;
}

export type { Entry, PeerV2 };
