/**
 * When the desktop app shows a system notification for a chat message, and what it says.
 * Pure: the Electron shell feeds it the window state and the user's setting.
 *
 * The rule:
 * - your own messages never notify (also when they arrive from another device of yours);
 * - nothing notifies while the window is focused: you are looking at the chat;
 * - otherwise, every message notifies when notifications are on;
 * - with notifications off, a message that @mentions you still notifies, because being called
 *   by name is the one thing a person who muted the room still wants to hear about.
 */
import * as v from 'valibot';
import type { ChatMessage } from '../../../protocol/wire/frames';
import { mentionsName } from '../../../protocol/client/linkify';

export interface NotifyContext {
  windowFocused: boolean;
  fromSelf: boolean;
  mentionsMe: boolean;
  notificationsEnabled: boolean;
}

const notifyContextSchema = v.object({
  windowFocused: v.boolean(),
  fromSelf: v.boolean(),
  mentionsMe: v.boolean(),
  notificationsEnabled: v.boolean(),
});

export function shouldNotify(context: NotifyContext): boolean {
  // A malformed context (from a bug upstream) stays quiet rather than throwing in an event handler.
  if (!v.is(notifyContextSchema, context)) return false;
  if (context.fromSelf || context.windowFocused) return false;
  return context.notificationsEnabled || context.mentionsMe;
}

export interface NotificationContent {
  title: string;
  body: string;
  /** The message @mentions the user (the shell may use an urgent style or sound for it). */
  mentionsMe: boolean;
}

export interface NotificationOptions {
  /** Every peer name in the room, so `@Ann Lee` is not read as a mention of `Ann`. */
  peerNames?: readonly string[];
  /** Appended to the title as `… — Room`, when given. */
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
 * The title names the sender (and says so when the message mentions the user); the body is the
 * message on one line, shortened.
 */
export function notificationFor(
  message: Pick<ChatMessage, 'from' | 'text'>,
  selfName: string,
  options: NotificationOptions = {},
): NotificationContent {
  const maxBody = options.maxBodyLength ?? DEFAULT_MAX_BODY_LENGTH;
  const maxName = options.maxNameLength ?? DEFAULT_MAX_NAME_LENGTH;
  const sender = truncateGraphemes(oneLine(message.from.name) || 'Someone', maxName);
  const mentionsMe =
    selfName.trim().length > 0 && mentionsName(message.text, selfName, options.peerNames ?? []);
  let title = mentionsMe ? `${sender} mentioned you` : sender;
  const roomName = oneLine(options.roomName ?? '');
  if (roomName.length > 0) title = `${title} — ${truncateGraphemes(roomName, maxName)}`;
  const body = truncateGraphemes(oneLine(message.text), maxBody);
  return { title, body, mentionsMe };
}
