/**
 * What each request of the client session sends and which host frame answers it (host-requests.ts
 * matches them): joining or leaving a channel and opening a direct conversation are answered by
 * the conversation's `conversation` frame; a rename by the frame with the new name; a new channel
 * by its `ack` and `conversation` frame; a topic by its `ack`; pages by `history` and `peers`.
 * And the bounds of the requests' arguments.
 */
import * as v from 'valibot';
import type { ConversationView } from '../bridge';
import type { Entry, PeerV2, SearchHit } from '../wire/entries';
import type { HostFrameV2, HostFrameV2Of } from '../wire/frames-v2';
import { directConversationId } from '../wire/identity';
import { DEFAULT_LIMITS } from '../wire/limits';
import { nameKey } from '../wire/text';
import type { ConversationList } from './conversation-list';
import type { RequestSpec } from './host-requests';

/** The arguments the session's requests take, as the protocol bounds them. */
export const convSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
export const seqSchema = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const targetSchema = v.pipe(seqSchema, v.minValue(1));
export const sendSchema = v.object({
  conv: convSchema,
  text: v.string(),
  replyTo: v.optional(targetSchema),
  files: v.optional(
    v.pipe(
      v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(128))),
      v.maxLength(DEFAULT_LIMITS.maxFilesPerMessage),
    ),
  ),
});
export const editSchema = v.object({ conv: convSchema, target: targetSchema, text: v.string() });
export const deleteSchema = v.object({ conv: convSchema, target: targetSchema });
export const reactSchema = v.object({
  conv: convSchema,
  target: targetSchema,
  emoji: v.pipe(v.string(), v.minLength(1)),
  on: v.boolean(),
});
const postIdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
/** A post kept for later (a reloaded page's outbox): its frame's fields, with its id. */
export const postSchema = v.variant('type', [
  v.object({ type: v.literal('say'), id: postIdSchema, ...sendSchema.entries }),
  v.object({ type: v.literal('edit'), id: postIdSchema, ...editSchema.entries }),
  v.object({ type: v.literal('delete'), id: postIdSchema, ...deleteSchema.entries }),
  v.object({ type: v.literal('react'), id: postIdSchema, ...reactSchema.entries }),
]);

export const searchSchema = v.object({
  q: v.pipe(v.string(), v.trim(), v.minLength(1)),
  conv: v.optional(convSchema),
  limit: v.pipe(seqSchema, v.minValue(1), v.maxValue(DEFAULT_LIMITS.searchResultsMax)),
});
export const pageSchema = v.object({
  conv: convSchema,
  before: v.pipe(seqSchema, v.minValue(1)),
  limit: v.pipe(seqSchema, v.minValue(1), v.maxValue(DEFAULT_LIMITS.historyPageMax)),
});
export const peersPageSchema = v.object({
  after: v.optional(v.string()),
  limit: v.pipe(seqSchema, v.minValue(1), v.maxValue(DEFAULT_LIMITS.peersPageMax)),
});

export interface SendRequest {
  conv: string;
  text: string;
  /** The seq, in the same conversation, this message answers. */
  replyTo?: number | undefined;
  /** Ids of finished uploads of this room the message carries. */
  files?: string[] | undefined;
}

export interface SearchRequest {
  /** The person's words: each a prefix, all required; "quoted words" are a phrase. */
  q: string;
  /** Only this conversation. */
  conv?: string;
  /** Most hits (1 to the protocol's searchResultsMax). */
  limit: number;
}

/** Refusals any membership change may meet: no such channel, not for you, too fast, store down. */
const MEMBERSHIP_REFUSALS = [
  'no_such_conversation',
  'not_allowed',
  'bad_message',
  'rate_limited',
  'unavailable',
] as const;

export interface SpecContext {
  conversations: ConversationList;
  self(): PeerV2 | undefined;
}

const conversationFrame = (frame: HostFrameV2): HostFrameV2Of<'conversation'> | undefined =>
  frame.type === 'conversation' ? frame : undefined;

export function joinSpec(context: SpecContext, conv: string): RequestSpec<ConversationView> {
  return {
    frame: { type: 'join', conv },
    answer: (frame) => {
      const answer = conversationFrame(frame);
      if (answer?.id !== conv || answer.member === false) return undefined;
      return context.conversations.get(conv);
    },
    refusals: MEMBERSHIP_REFUSALS,
    sentences: { not_allowed: 'That conversation is not a channel one can join.' },
  };
}

export function leaveSpec(context: SpecContext, conv: string): RequestSpec<ConversationView> {
  return {
    frame: { type: 'leave', conv },
    answer: (frame) => {
      const answer = conversationFrame(frame);
      if (answer?.id !== conv || answer.member === true) return undefined;
      return context.conversations.get(conv);
    },
    refusals: MEMBERSHIP_REFUSALS,
    sentences: { not_allowed: 'Everyone stays in general, and in their direct conversations.' },
  };
}

export function openDirectSpec(context: SpecContext, peer: string): RequestSpec<ConversationView> {
  return {
    frame: { type: 'open_direct', peer },
    answer: (frame) => {
      const self = context.self();
      const answer = conversationFrame(frame);
      if (!self || answer?.kind !== 'direct') return undefined;
      if (answer.id !== directConversationId(self.id, peer)) return undefined;
      return context.conversations.get(answer.id);
    },
    refusals: ['no_identity', 'bad_message', 'no_such_conversation', 'unavailable'],
    sentences: { bad_message: 'A direct conversation needs someone other than yourself.' },
  };
}

export function renameSpec(
  context: SpecContext,
  conv: string,
  name: string,
): RequestSpec<ConversationView> {
  const key = nameKey(name.trim());
  return {
    frame: { type: 'rename_channel', conv, name },
    answer: (frame) => {
      const answer = conversationFrame(frame);
      if (answer?.id !== conv || nameKey(answer.name ?? '') !== key) return undefined;
      return context.conversations.get(conv);
    },
    refusals: ['not_allowed', 'bad_name', 'channel_exists', 'no_such_conversation', 'bad_message'],
    sentences: {
      not_allowed: 'Only the person who created the channel can rename it.',
      bad_name: 'That channel name is not allowed: use 1 to 32 characters, no control characters.',
    },
  };
}

/** A new channel: its ack names it, and the request ends once its view is known too. */
export function createChannelSpec(
  context: SpecContext,
  id: string,
  name: string,
  topic: string | undefined,
): RequestSpec<ConversationView> {
  let created: string | undefined;
  return {
    frame: { type: 'create_channel', id, name, ...(topic !== undefined && { topic }) },
    answer: (frame) => {
      if (frame.type === 'ack' && frame.id === id) created = frame.conv;
      return created === undefined ? undefined : context.conversations.get(created);
    },
    ref: id,
    sentences: {
      bad_name: 'That channel name is not allowed: use 1 to 32 characters, no control characters.',
      bad_message: 'That topic is too long, or has control characters.',
    },
  };
}

export function setTopicSpec(
  id: string,
  conv: string,
  topic: string,
): RequestSpec<{ conv: string; seq: number }> {
  return {
    frame: { type: 'set_topic', id, conv, topic },
    answer: (frame) =>
      frame.type === 'ack' && frame.id === id ? { conv: frame.conv, seq: frame.seq } : undefined,
    ref: id,
    sentences: { bad_message: 'That topic is too long, or has control characters.' },
  };
}

export interface EntryPage {
  entries: Entry[];
  more: boolean;
}

export function historySpec(conv: string, before: number, limit: number): RequestSpec<EntryPage> {
  return {
    frame: { type: 'history', conv, before, limit },
    answer: (frame) =>
      frame.type === 'history' && frame.conv === conv
        ? { entries: frame.messages, more: frame.more }
        : undefined,
    refusals: ['no_such_conversation', 'bad_message'],
  };
}

export interface PeerPage {
  peers: PeerV2[];
  more: boolean;
}

export function peersSpec(after: string | undefined, limit: number): RequestSpec<PeerPage> {
  return {
    frame: { type: 'peers', ...(after !== undefined && { after }), limit },
    answer: (frame) =>
      frame.type === 'peers' ? { peers: frame.peers, more: frame.more } : undefined,
    refusals: ['bad_message'],
  };
}

/**
 * A search: answered by the `search_results` frame with the same `q` (the host's answers to one
 * connection come in order, so two searches for the same words each get one).
 */
export function searchSpec({ q, conv, limit }: SearchRequest): RequestSpec<SearchHit[]> {
  return {
    frame: { type: 'search', q, ...(conv !== undefined && { conv }), limit },
    answer: (frame) => (frame.type === 'search_results' && frame.q === q ? frame.hits : undefined),
    refusals: ['bad_message', 'no_such_conversation', 'rate_limited', 'unavailable'],
    sentences: {
      bad_message: 'Search for at least one word (at most 200 characters).',
      no_such_conversation: 'That conversation cannot be searched.',
      rate_limited: 'Too many searches at once. Wait a moment and try again.',
    },
    timeoutSentence: 'The search took too long: the host did not answer. Try again.',
  };
}
