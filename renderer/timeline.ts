/**
 * The rows of the message list, in display order: day separators, messages, join/leave lines,
 * then this user's unacknowledged messages (pending or failed) at the end.
 */
import type { ChatMessage, Peer } from '../protocol/frames';
import type { OutgoingMessage } from '../protocol/client-types';
import type { PresenceLine, RoomState } from './room-state';

export type TimelineRow =
  | { kind: 'day'; key: string; ts: number }
  | { kind: 'message'; key: string; message: ChatMessage; own: boolean }
  | { kind: 'presence'; key: string; line: PresenceLine }
  | { kind: 'outgoing'; key: string; entry: OutgoingMessage; from: Peer | undefined };

export function buildTimeline(
  state: Pick<RoomState, 'messages' | 'presence' | 'outbox' | 'self'>,
): TimelineRow[] {
  const rows: TimelineRow[] = [];
  const selfId = state.self?.id;
  const ownIds = new Set<string>();
  let presenceIndex = 0;
  let lastDay: string | undefined;

  const pushDayIfNew = (ts: number) => {
    const day = dayKey(ts);
    if (day === lastDay) return;
    lastDay = day;
    rows.push({ kind: 'day', key: `d${day}`, ts });
  };
  const pushPresenceUpTo = (seq: number) => {
    for (; presenceIndex < state.presence.length; presenceIndex++) {
      const line = state.presence[presenceIndex]!;
      if (line.afterSeq > seq) break;
      pushDayIfNew(line.at);
      rows.push({ kind: 'presence', key: line.key, line });
    }
  };

  pushPresenceUpTo(0);
  for (const message of state.messages) {
    // Lines anchored to a seq older than this message but not held (e.g. after a gap) go here.
    pushPresenceUpTo(message.seq - 1);
    const own = message.from.id === selfId;
    if (own) ownIds.add(message.id);
    pushDayIfNew(message.ts);
    rows.push({ kind: 'message', key: `m${message.seq}`, message, own });
    pushPresenceUpTo(message.seq);
  }
  pushPresenceUpTo(Number.POSITIVE_INFINITY);

  for (const entry of state.outbox) {
    // The host's broadcast can arrive before its ack: the stored message already stands for it.
    if (ownIds.has(entry.id)) continue;
    rows.push({ kind: 'outgoing', key: `o${entry.id}`, entry, from: state.self });
  }
  return rows;
}

/** Local calendar day, e.g. `2025-3-14`; used only to tell days apart. */
export function dayKey(ts: number): string {
  const date = new Date(ts);
  return `${date.getFullYear()}-${date.getMonth() + 1}-${date.getDate()}`;
}

/** Local time as HH:MM (24 h). */
export function formatTime(ts: number): string {
  const date = new Date(ts);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** "Today", "Yesterday", or a date such as "Fri 14 Mar 2025". */
export function formatDay(ts: number, now: number = Date.now()): string {
  const day = dayKey(ts);
  if (day === dayKey(now)) return 'Today';
  const yesterday = new Date(now);
  yesterday.setDate(yesterday.getDate() - 1);
  if (day === dayKey(yesterday.getTime())) return 'Yesterday';
  return new Date(ts).toLocaleDateString(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
