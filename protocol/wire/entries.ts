/**
 * The shapes protocol v2 adds (docs/protocol.md, "Conversations" and "Files"): peers with an
 * identity, conversations, files, and the entries of a conversation's log. Host frames that carry
 * them are validated by the client session with these same schemas.
 */
import * as v from 'valibot';

const seq = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const positiveSeq = v.pipe(v.number(), v.safeInteger(), v.minValue(1));
const timestamp = v.pipe(v.number(), v.safeInteger());

/** A peer of version 2: a random (ephemeral) id when it came without an identity. */
export const peerV2Schema = v.object({
  id: v.string(),
  name: v.string(),
  ephemeral: v.optional(v.literal(true)),
});
export type PeerV2 = v.InferOutput<typeof peerV2Schema>;

export const CONVERSATION_KINDS = ['channel', 'direct'] as const;
export type ConversationKind = (typeof CONVERSATION_KINDS)[number];

export const conversationSchema = v.object({
  id: v.string(),
  kind: v.picklist(CONVERSATION_KINDS),
  /** Channels: the channel's name (without `#`). */
  name: v.optional(v.string()),
  topic: v.optional(v.string()),
  /** Direct conversations: both peers. */
  members: v.optional(v.array(peerV2Schema)),
  /** Channels: whether this identity has joined (always true for `general`). */
  member: v.optional(v.boolean()),
  /** Channels: the peer id of the creator, who alone may rename it (absent for `general`). */
  creator: v.optional(v.string()),
  lastSeq: seq,
  readSeq: seq,
});
export type Conversation = v.InferOutput<typeof conversationSchema>;

export const fileSchema = v.object({
  /** Hex SHA-256 of the bytes. */
  id: v.string(),
  name: v.string(),
  size: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  mime: v.string(),
  width: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1))),
  height: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1))),
  thumb: v.optional(v.string()),
  url: v.string(),
});
export type FileInfo = v.InferOutput<typeof fileSchema>;

export const SYSTEM_EVENTS = [
  'channel_created',
  'joined_channel',
  'left_channel',
  'topic',
] as const;
export type SystemEvent = (typeof SYSTEM_EVENTS)[number];

const entryBase = {
  seq: positiveSeq,
  conv: v.string(),
  /** The client-chosen id of the frame that added it (host-made for plain mode and system entries). */
  id: v.string(),
  from: peerV2Schema,
  ts: timestamp,
};

export const textEntrySchema = v.object({
  ...entryBase,
  kind: v.literal('text'),
  text: v.string(),
  replyTo: v.optional(positiveSeq),
  files: v.optional(v.array(fileSchema)),
  /** When it was last edited (history and catchup give the current state). */
  edited: v.optional(timestamp),
  deleted: v.optional(v.literal(true)),
  /** Who reacts with what now: emoji to peer ids, in the order they reacted. */
  reactions: v.optional(v.record(v.string(), v.array(v.string()))),
});

export const editEntrySchema = v.object({
  ...entryBase,
  kind: v.literal('edit'),
  target: positiveSeq,
  text: v.string(),
});

export const deleteEntrySchema = v.object({
  ...entryBase,
  kind: v.literal('delete'),
  target: positiveSeq,
});

export const reactionEntrySchema = v.object({
  ...entryBase,
  kind: v.literal('reaction'),
  target: positiveSeq,
  emoji: v.string(),
  on: v.boolean(),
});

export const systemEntrySchema = v.object({
  ...entryBase,
  kind: v.literal('system'),
  event: v.picklist(SYSTEM_EVENTS),
  /** Who did it (the same peer as `from`). */
  by: peerV2Schema,
  /** `channel_created` and `topic`: the channel's name and topic at that moment. */
  name: v.optional(v.string()),
  topic: v.optional(v.string()),
});

export const entrySchema = v.variant('kind', [
  textEntrySchema,
  editEntrySchema,
  deleteEntrySchema,
  reactionEntrySchema,
  systemEntrySchema,
]);
export type Entry = v.InferOutput<typeof entrySchema>;
export type TextEntry = v.InferOutput<typeof textEntrySchema>;
export type EditEntry = v.InferOutput<typeof editEntrySchema>;
export type DeleteEntry = v.InferOutput<typeof deleteEntrySchema>;
export type ReactionEntry = v.InferOutput<typeof reactionEntrySchema>;
export type SystemEntry = v.InferOutput<typeof systemEntrySchema>;
export type EntryKind = Entry['kind'];

export const searchHitSchema = v.object({
  conv: v.string(),
  seq: positiveSeq,
  from: peerV2Schema,
  ts: timestamp,
  /** Plain text with each match between U+E000 and U+E001. */
  snippet: v.string(),
});
export type SearchHit = v.InferOutput<typeof searchHitSchema>;

/** Marks around each match in a search snippet. */
export const MATCH_START = '\uE000';
export const MATCH_END = '\uE001';
