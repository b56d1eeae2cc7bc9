/**
 * When the desktop app shows a system notification for a chat message, and what it says.
 * Pure: the Electron shell feeds it the window state and the user's setting.
 *
 * The rule:
 * - your own messages never notify (also when they arrive from another device of yours);
 * - nothing notifies while the window is focused: you are looking at the chat;
 * - otherwise, every message notifies when notifications are on;
 * - with notifications off, a message that @mentions you, or one in a direct conversation with
 *   you, still notifies, because being spoken to is the one thing a person who muted the room
 *   still wants to hear about.
 *
 * What it says: which conversation (`#design — Ada`, or `Ada (direct)`), and the message.
 */
import * as v from 'valibot';
import type { ConversationView } from '../../../protocol/bridge';
import type { PeerV2 } from '../../../protocol/wire/entries';
import { mentionsName } from '../../../protocol/client/linkify';

export interface NotifyContext {
  windowFocused: boolean;
  fromSelf: boolean;
  mentionsMe: boolean;
  /** The message is in a direct conversation: it is addressed to this person. */
  direct?: boolean;
  notificationsEnabled: boolean;
}

const notifyContextSchema = v.object({
  windowFocused: v.boolean(),
  fromSelf: v.boolean(),
  mentionsMe: v.boolean(),
  direct: v.optional(v.boolean()),
  notificationsEnabled: v.boolean(),
});

export function shouldNotify(context: NotifyContext): boolean {
  // A malformed context (from a bug upstream) stays quiet rather than throwing in an event handler.
  if (!v.is(notifyContextSchema, context)) return false;
  if (context.fromSelf || context.windowFocused) return false;
  return context.notificationsEnabled || context.mentionsMe || context.direct === true;
}

export interface NotificationContent {
  title: string;
  body: string;
  /** The message @mentions the user (the shell may use an urgent style or sound for it). */
  mentionsMe: boolean;
  /** The conversation it is in, to open when the notification is clicked (when known). */
  conv?: string;
}

/** What a notification needs to know of the conversation a message is in. */
export type NotifiedConversation = Pick<ConversationView, 'id' | 'kind' | 'name' | 'peer'>;

export interface NotificationOptions {
  /** Every peer name in the room, so `@Ann Lee` is not read as a mention of `Ann`. */
  peerNames?: readonly string[];
  /** The conversation the message is in: the title says which (`#design — Ada`, `Ada (direct)`). */
  conversation?: NotifiedConversation;
  /** Appended to the title as `Ada — Room` when no conversation is given. */
  roomName?: string;
  /** Longest body, in user-perceived characters (graphemes), ellipsis included. */
  maxBodyLength?: number;
  /** Longest sender name in the title, in graphemes. */
  maxNameLength?: number;
}

const DEFAULT_MAX_BODY_LENGTH = 160;
const DEFAULT_MAX_NAME_LENGTH = 40;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Cuts `text` to at most `max` graphemes, ending with `…` when cut; never splits an emoji. */
export function truncateGraphemes(text: string, max: number): string {
  const limit = Math.max(1, Math.floor(max));
  const graphemes: string[] = [];
  for (const { segment } of segmenter.segment(text)) {
    graphemes.push(segment);
    if (graphemes.length > limit) break;
  }
  if (graphemes.length <= limit) return text;
  return `${graphemes.slice(0, limit - 1).join('')}…`;
}

// Notifications show one short paragraph: runs of whitespace (newlines included) become one space.
function oneLine(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/**
 * Title and body of the notification for `message`, seen by the user named `selfName`.
 * The title names the conversation and the sender (and says so when the message mentions the
 * user); the body is the message on one line, shortened.
 */
export function notificationFor(
  message: { from: PeerV2; text: string },
  selfName: string,
  options: NotificationOptions = {},
): NotificationContent {
  const maxBody = options.maxBodyLength ?? DEFAULT_MAX_BODY_LENGTH;
  const maxName = options.maxNameLength ?? DEFAULT_MAX_NAME_LENGTH;
  const sender = truncateGraphemes(oneLine(message.from.name) || 'Someone', maxName);
  const mentionsMe =
    selfName.trim().length > 0 && mentionsName(message.text, selfName, options.peerNames ?? []);
  const who = mentionsMe ? `${sender} mentioned you` : sender;
  const conversation = options.conversation;
  const body = truncateGraphemes(oneLine(message.text), maxBody);
  if (conversation?.kind === 'direct') {
    return { title: `${who} (direct)`, body, mentionsMe, conv: conversation.id };
  }
  if (conversation) {
    const channel = truncateGraphemes(oneLine(conversation.name ?? conversation.id), maxName);
    return { title: `#${channel} — ${who}`, body, mentionsMe, conv: conversation.id };
  }
  const roomName = oneLine(options.roomName ?? '');
  const title = roomName.length > 0 ? `${who} — ${truncateGraphemes(roomName, maxName)}` : who;
  return { title, body, mentionsMe };
}

/** The notification as one line, as the title and body read together: `#design — Ada: hi`. */
export function notificationLine(content: Pick<NotificationContent, 'title' | 'body'>): string {
  return `${content.title}: ${content.body}`;
}
