/**
 * What the UI says about a conversation (protocol/bridge.ts, ConversationView): its name as
 * people read it, where the sidebar lists it, and what this person may do with it.
 */
import type { ConversationView } from '../protocol/bridge';
import { nameKey } from '../protocol/wire/text';

/** The channel every room has and everyone is in. */
export const GENERAL = 'general';

/** `#design` for a channel, the other person's name for a direct conversation. */
export function conversationLabel(view: ConversationView | undefined): string {
  if (!view) return '';
  if (view.kind === 'direct') return view.peer?.name ?? 'Someone';
  return `#${view.name ?? view.id}`;
}

/** Whether this person can read and write in it now: a channel they joined, or a direct one. */
export function isOpenable(view: ConversationView): boolean {
  return view.kind === 'direct' || view.member;
}

export interface SidebarGroups {
  /** The channels this person is in: `general` first, then by name. */
  channels: ConversationView[];
  /** Their direct conversations, by the other person's name. */
  directs: ConversationView[];
}

export function sidebarGroups(conversations: readonly ConversationView[]): SidebarGroups {
  const channels = conversations
    .filter((view) => view.kind === 'channel' && view.member)
    .sort(byChannelName);
  const directs = conversations
    .filter((view) => view.kind === 'direct')
    .sort((a, b) => compareNames(a.peer?.name ?? '', b.peer?.name ?? '') || compareIds(a, b));
  return { channels, directs };
}

/** Every channel of the room, joined or not, by name (`general` first): what one can browse. */
export function allChannels(conversations: readonly ConversationView[]): ConversationView[] {
  return conversations.filter((view) => view.kind === 'channel').sort(byChannelName);
}

/**
 * Unread messages across every conversation (a muted one counts only when it mentions this
 * person), and how many conversations mention them.
 */
export function unreadTotals(conversations: readonly ConversationView[]): {
  unread: number;
  mentioned: number;
} {
  let unread = 0;
  let mentioned = 0;
  for (const view of conversations) {
    if (emphasised(view)) unread += view.unread;
    if (view.mentioned) mentioned++;
  }
  return { unread, mentioned };
}

/** Members may set a channel's topic (`general` included); direct conversations have none. */
export function canSetTopic(view: ConversationView): boolean {
  return view.kind === 'channel' && view.member;
}

/** Only the creator may rename a channel; `general` has none. */
export function canRename(view: ConversationView, selfId: string | undefined): boolean {
  return view.kind === 'channel' && selfId !== undefined && view.creator === selfId;
}

/** Anyone in a channel may leave it, except `general`. */
export function canLeave(view: ConversationView): boolean {
  return view.kind === 'channel' && view.member && view.id !== GENERAL;
}

function byChannelName(a: ConversationView, b: ConversationView): number {
  if (a.id === GENERAL || b.id === GENERAL) return a.id === GENERAL ? -1 : b.id === GENERAL ? 1 : 0;
  return compareNames(a.name ?? a.id, b.name ?? b.id) || compareIds(a, b);
}

function compareNames(a: string, b: string): number {
  const left = nameKey(a);
  const right = nameKey(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

function compareIds(a: ConversationView, b: ConversationView): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Whether a conversation's unread messages call for attention: not muted, or mentioning you. */
export function emphasised(view: ConversationView): boolean {
  return !view.muted || view.mentioned;
}
