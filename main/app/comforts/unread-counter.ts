/**
 * The unread count the window title, the taskbar/dock badge and the tray tooltip show: messages
 * not read on any of the person's devices, summed over their conversations. The client session's
 * conversation list counts them (protocol/client/conversation-list.ts) and the read markers clear
 * them (the window marks the conversation on screen read while the person looks at it, and the
 * person's other devices report theirs), so every device and every window agrees.
 */
import type { ConversationView } from '../../../protocol/bridge';

export const APP_NAME = 'Parley';

/** Badge and title cap: beyond it the exact number does not help anyone. */
const MAX_SHOWN = 99;

export interface UnreadTotals {
  /** Unread messages in every conversation together. */
  count: number;
  /** Conversations with an unread message that mentions the person. */
  mentions: number;
}

/** The unread messages of every conversation, and how many conversations mention the person. */
export function unreadTotals(conversations: readonly ConversationView[]): UnreadTotals {
  let count = 0;
  let mentions = 0;
  for (const view of conversations) {
    if (Number.isSafeInteger(view.unread) && view.unread > 0) count += view.unread;
    if (view.mentioned) mentions++;
  }
  return { count, mentions };
}

/** `3`, `99+`, or '' for none: the text of a badge. */
export function badgeText(count: number): string {
  if (!Number.isFinite(count) || count <= 0) return '';
  return count > MAX_SHOWN ? `${MAX_SHOWN}+` : String(Math.floor(count));
}

/** `(3) Room — Parley`; without unread messages `Room — Parley`; outside a room `Parley`. */
export function windowTitle(unread: number, roomName?: string): string {
  const room = roomName?.replace(/\s+/gu, ' ').trim();
  const base = room ? `${room} — ${APP_NAME}` : APP_NAME;
  const badge = badgeText(unread);
  return badge ? `(${badge}) ${base}` : base;
}
