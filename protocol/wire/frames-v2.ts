/**
 * Frame schemas and types of protocol v2 (subprotocol `parley.v2`, docs/protocol.md). Client
 * frames are validated by the host with the schema built for its limits; host frames are
 * validated by the client session, so a confused or hostile host cannot crash a client either.
 */
import * as v from 'valibot';
import {
  conversationSchema,
  entrySchema,
  peerV2Schema,
  searchHitSchema,
  type Conversation,
  type Entry,
} from './entries';
import { roomSchema } from './frames';
import { identitySchema } from './identity';
import type { Limits } from './limits';
import { codePointLength } from './text';

const seq = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const targetSeq = v.pipe(v.number(), v.safeInteger(), v.minValue(1));
const conv = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const bounded = (min: number, max: number) =>
  v.pipe(v.number(), v.safeInteger(), v.minValue(min), v.maxValue(max));
const codePoints = (min: number, max: number, what: string) =>
  v.pipe(
    v.string(),
    v.check(
      (text) => codePointLength(text) >= min && codePointLength(text) <= max,
      `${what} must be ${min} to ${max} characters`,
    ),
  );

export type ClientFrameV2Limits = Pick<
  Limits,
  | 'maxSayIdLength'
  | 'historyPageMax'
  | 'maxFilesPerMessage'
  | 'searchResultsMax'
  | 'maxSearchQueryLength'
  | 'maxEmojiLength'
  | 'peersPageMax'
>;

/** Builds the schema of version 2 client-to-host frames for the host's configured limits. */
export function createClientFrameV2Schema(limits: ClientFrameV2Limits) {
  const id = codePoints(1, limits.maxSayIdLength, 'id');
  return v.variant('type', [
    v.object({
      type: v.literal('hello'),
      name: v.string(),
      password: v.optional(v.string()),
      identity: v.optional(identitySchema),
      resume: v.optional(
        v.object({
          token: v.string(),
          cursors: v.optional(v.record(conv, seq), {}),
        }),
      ),
    }),
    v.object({
      type: v.literal('say'),
      id,
      conv,
      text: v.string(),
      replyTo: v.optional(targetSeq),
      files: v.optional(
        v.pipe(
          v.array(v.pipe(v.string(), v.maxLength(128))),
          v.maxLength(limits.maxFilesPerMessage),
        ),
      ),
    }),
    v.object({ type: v.literal('edit'), id, conv, target: targetSeq, text: v.string() }),
    v.object({ type: v.literal('delete'), id, conv, target: targetSeq }),
    v.object({
      type: v.literal('react'),
      id,
      conv,
      target: targetSeq,
      emoji: codePoints(1, limits.maxEmojiLength, 'emoji'),
      on: v.boolean(),
    }),
    v.object({
      type: v.literal('create_channel'),
      id,
      name: v.string(),
      topic: v.optional(v.string()),
    }),
    v.object({ type: v.literal('set_topic'), id, conv, topic: v.string() }),
    v.object({ type: v.literal('rename_channel'), conv, name: v.string() }),
    v.object({ type: v.literal('join'), conv }),
    v.object({ type: v.literal('leave'), conv }),
    v.object({
      type: v.literal('open_direct'),
      peer: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
    }),
    v.object({ type: v.literal('read'), conv, seq }),
    v.object({ type: v.literal('typing'), conv }),
    v.object({
      type: v.literal('history'),
      conv,
      before: seq,
      limit: bounded(1, limits.historyPageMax),
    }),
    v.object({
      type: v.literal('search'),
      q: codePoints(1, limits.maxSearchQueryLength, 'q'),
      conv: v.optional(conv),
      limit: bounded(1, limits.searchResultsMax),
    }),
    v.object({
      type: v.literal('peers'),
      after: v.optional(v.string()),
      limit: bounded(1, limits.peersPageMax),
    }),
    v.object({ type: v.literal('ping') }),
  ]);
}

export type ClientFrameV2 = v.InferOutput<ReturnType<typeof createClientFrameV2Schema>>;
export type ClientFrameV2Of<T extends ClientFrameV2['type']> = Extract<ClientFrameV2, { type: T }>;
/** The frames that add an entry to a log: acknowledged with `ack {id, conv, seq}`, exactly once. */
export const ENTRY_FRAME_TYPES = [
  'say',
  'edit',
  'delete',
  'react',
  'create_channel',
  'set_topic',
] as const;

export const hostFrameV2Schema = v.variant('type', [
  v.object({
    type: v.literal('welcome'),
    protocol: v.literal(2),
    room: roomSchema,
    self: peerV2Schema,
    token: v.string(),
    peers: v.array(peerV2Schema),
    peerCount: seq,
    conversations: v.array(conversationSchema),
  }),
  v.object({ type: v.literal('peers'), peers: v.array(peerV2Schema), more: v.boolean() }),
  v.object({ type: v.literal('catchup'), conv, messages: v.array(entrySchema), gap: v.boolean() }),
  // `message` carries its entry's fields beside `type`, as version 1's `message` does.
  v.variant(
    'kind',
    entrySchema.options.map((option) =>
      v.object({ type: v.literal('message'), ...option.entries }),
    ),
  ),
  v.object({ type: v.literal('ack'), id: v.string(), conv, seq: targetSeq }),
  v.object({ type: v.literal('conversation'), ...conversationSchema.entries }),
  v.object({ type: v.literal('peer'), peer: peerV2Schema }),
  v.object({ type: v.literal('joined'), peer: peerV2Schema }),
  v.object({ type: v.literal('left'), peer: peerV2Schema }),
  v.object({ type: v.literal('read'), conv, seq }),
  v.object({ type: v.literal('typing'), conv, peer: peerV2Schema }),
  v.object({
    type: v.literal('history'),
    conv,
    messages: v.array(entrySchema),
    more: v.boolean(),
  }),
  v.object({ type: v.literal('search_results'), q: v.string(), hits: v.array(searchHitSchema) }),
  v.object({ type: v.literal('pong') }),
  v.object({
    type: v.literal('error'),
    code: v.string(),
    message: v.string(),
    ref: v.optional(v.string()),
  }),
]);

export type HostFrameV2 = v.InferOutput<typeof hostFrameV2Schema>;
export type HostFrameV2Of<T extends HostFrameV2['type']> = Extract<HostFrameV2, { type: T }>;
export type WelcomeV2Frame = HostFrameV2Of<'welcome'>;

/** The `message` frame of an entry. */
export const messageFrame = (entry: Entry) => ({ type: 'message', ...entry }) as const;

/** The entry a `message` frame carries. */
export function entryOf(frame: HostFrameV2Of<'message'>): Entry {
  const { type: _type, ...entry } = frame;
  return entry as Entry;
}

/** A `conversation` frame for a conversation. */
export const conversationFrame = (conversation: Conversation) =>
  ({ type: 'conversation', ...conversation }) as const;

/** The conversation a `conversation` frame describes. */
export function conversationOf(frame: HostFrameV2Of<'conversation'>): Conversation {
  const { type: _type, ...conversation } = frame;
  return conversation;
}

/** Parses one host frame; returns undefined for anything that is not a valid v2 host frame. */
export function parseHostFrameV2(data: string): HostFrameV2 | undefined {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return undefined;
  }
  const result = v.safeParse(hostFrameV2Schema, json);
  return result.success ? result.output : undefined;
}

export type { Entry };
