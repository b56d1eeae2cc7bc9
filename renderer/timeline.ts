/**
 * The rows of one conversation's message list, in display order: day separators, messages,
 * system lines (someone joined the channel, set its topic), join/leave lines of the room, then
 * this user's unacknowledged messages (pending or failed) at the end.
 */
import type { PeerV2, SystemEntry, TextEntry } from '../protocol/wire/entries';
import type { OutgoingMessage } from '../protocol/client/client-types';
import { indexOfSeq, type Revised, type ShownEntry } from './conversation-log';
import type { PresenceLine } from './room-state';
import { rowIndexOfSeq } from './timeline-lookup';

export type TimelineRow =
  | { kind: 'day'; key: string; ts: number }
  | { kind: 'message'; key: string; message: TextEntry; own: boolean }
  | { kind: 'event'; key: string; entry: SystemEntry }
  | { kind: 'presence'; key: string; line: PresenceLine }
  | { kind: 'outgoing'; key: string; entry: OutgoingMessage; from: PeerV2 | undefined };

/** What one conversation's rows are made of. */
export interface TimelineInput {
  /** Its entries, unique by seq, ascending. */
  entries: readonly ShownEntry[];
  /** Room presence lines placed among them (only `general` has any). */
  presence: readonly PresenceLine[];
  /** This user's unacknowledged messages to it. */
  outbox: readonly OutgoingMessage[];
  self: PeerV2 | undefined;
  /** The log's count of changes to messages it held (conversation-log.ts); 0 when absent. */
  revision?: number;
  /** The latest of those changes, oldest first. */
  recent?: readonly Revised[];
}

/** The rows of one state, built from nothing. */
export function buildTimeline(state: TimelineInput): TimelineRow[] {
  return new TimelineBuilder().rows(state);
}

/** How far the fold has got through a conversation's entries and presence lines. */
interface FoldCursor {
  entryCount: number;
  presenceCount: number;
  /** The seq of the last entry placed; 0 before any. */
  lastSeq: number;
  lastDay: string | undefined;
  /** Say ids of this user's messages placed so far: their outbox entries are not shown twice. */
  ownIds: Set<string>;
}

/**
 * Builds the rows of successive states of one conversation, reusing the work done for the one
 * before: when entries and presence lines only grew at the end (as live traffic does), only the
 * new ones are folded, so a frame's cost grows with what arrived in it, not with the 10,000 rows
 * before. Anything else (older entries above, another conversation, another self) starts over.
 * The rows returned are a fresh array every time (Lit and the list compare by identity).
 */
export class TimelineBuilder {
  #input: TimelineInput | undefined;
  /** Rows of the entries and presence lines folded so far, in order; only ever appended to. */
  #placed: TimelineRow[] = [];
  #cursor: FoldCursor = newCursor();
  #rows: TimelineRow[] = [];

  rows(input: TimelineInput): TimelineRow[] {
    const previous = this.#input;
    if (
      previous?.entries === input.entries &&
      previous.presence === input.presence &&
      previous.outbox === input.outbox &&
      previous.self === input.self
    ) {
      return this.#rows;
    }
    if (!previous || !this.#continues(previous, input) || !this.#revise(previous, input)) {
      this.#placed = [];
      this.#cursor = newCursor();
    }
    this.#foldNew(input);
    this.#input = input;
    this.#rows = this.#placed.concat(this.#trailingPresence(input), this.#outgoing(input));
    return this.#rows;
  }

  /**
   * Whether `next` is `previous` with entries and presence lines added at the end only (entries
   * changed in place aside: #revise redoes those). Entry lists are sorted, unique by seq and only
   * grow, so the same first and last seq at the same places means the same prefix.
   */
  #continues(previous: TimelineInput, next: TimelineInput): boolean {
    if (previous.self?.id !== next.self?.id) return false;
    if (!sameSeqsAtStart(previous.entries, next.entries)) return false;
    if (!sameStart(previous.presence, next.presence)) return false;
    // A new line anchored above the last placed entry would belong further up.
    for (let index = previous.presence.length; index < next.presence.length; index++) {
      if (next.presence[index]!.afterSeq < this.#cursor.lastSeq) return false;
    }
    return true;
  }

  /**
   * Replaces the rows of messages changed since `previous` (edited, deleted, reacted to) with rows
   * of their new state; false when the log's record of changes does not reach back that far.
   */
  #revise(previous: TimelineInput, next: TimelineInput): boolean {
    const before = previous.revision ?? 0;
    const now = next.revision ?? 0;
    if (now === before) return true;
    const recent = next.recent ?? [];
    if (now < before || recent.length === 0 || recent[0]!.revision > before + 1) return false;
    for (const { revision, seq } of recent) {
      if (revision <= before) continue;
      const rowIndex = rowIndexOfSeq(this.#placed, seq);
      // Not placed yet: it is folded from the new entries as it is now.
      if (rowIndex < 0) continue;
      const row = this.#placed[rowIndex]!;
      const entry = next.entries[indexOfSeq(next.entries, seq)];
      if (row.kind !== 'message' || entry?.kind !== 'text') return false;
      this.#placed[rowIndex] = { ...row, message: entry };
    }
    return true;
  }

  /** Places the entries (and the presence lines due before or among them) not yet placed. */
  #foldNew(input: TimelineInput): void {
    const cursor = this.#cursor;
    const rows = this.#placed;
    const selfId = input.self?.id;
    const placePresenceUpTo = (seq: number) => {
      for (; cursor.presenceCount < input.presence.length; cursor.presenceCount++) {
        const line = input.presence[cursor.presenceCount]!;
        if (line.afterSeq > seq) break;
        cursor.lastDay = pushDayIfNew(rows, line.at, cursor.lastDay);
        rows.push({ kind: 'presence', key: line.key, line });
      }
    };

    placePresenceUpTo(cursor.lastSeq);
    for (; cursor.entryCount < input.entries.length; cursor.entryCount++) {
      const entry = input.entries[cursor.entryCount]!;
      // Lines anchored to a seq older than this entry but not held (e.g. after a gap) go here.
      placePresenceUpTo(entry.seq - 1);
      cursor.lastDay = pushDayIfNew(rows, entry.ts, cursor.lastDay);
      if (entry.kind === 'text') {
        const own = entry.from.id === selfId;
        if (own) cursor.ownIds.add(entry.id);
        rows.push({ kind: 'message', key: `m${entry.seq}`, message: entry, own });
      } else {
        rows.push({ kind: 'event', key: `e${entry.seq}`, entry });
      }
      cursor.lastSeq = entry.seq;
      placePresenceUpTo(entry.seq);
    }
  }

  /** Presence lines anchored after every entry held (none, usually), below the entries. */
  #trailingPresence(input: TimelineInput): TimelineRow[] {
    const rows: TimelineRow[] = [];
    let lastDay = this.#cursor.lastDay;
    for (let index = this.#cursor.presenceCount; index < input.presence.length; index++) {
      const line = input.presence[index]!;
      lastDay = pushDayIfNew(rows, line.at, lastDay);
      rows.push({ kind: 'presence', key: line.key, line });
    }
    return rows;
  }

  /** This user's unacknowledged messages, last. */
  #outgoing(input: TimelineInput): TimelineRow[] {
    const rows: TimelineRow[] = [];
    for (const entry of input.outbox) {
      // The host's broadcast can arrive before its ack: the stored message already stands for it.
      if (this.#cursor.ownIds.has(entry.id)) continue;
      rows.push({ kind: 'outgoing', key: `o${entry.id}`, entry, from: input.self });
    }
    return rows;
  }
}

function newCursor(): FoldCursor {
  return { entryCount: 0, presenceCount: 0, lastSeq: 0, lastDay: undefined, ownIds: new Set() };
}

/** True when `next` starts with the seqs of all of `previous` (checked at its ends). */
function sameSeqsAtStart(previous: readonly ShownEntry[], next: readonly ShownEntry[]): boolean {
  if (next.length < previous.length) return false;
  if (previous.length === 0) return true;
  const last = previous.length - 1;
  return previous[0]!.seq === next[0]!.seq && previous[last]!.seq === next[last]!.seq;
}

/** True when `next` starts with all of `previous` (checked at its ends; see #continues). */
function sameStart<T>(previous: readonly T[], next: readonly T[]): boolean {
  if (next.length < previous.length) return false;
  if (previous.length === 0) return true;
  return previous[0] === next[0] && previous[previous.length - 1] === next[previous.length - 1];
}

/** Adds a day separator when `ts` falls on another day than the row before; returns the day. */
function pushDayIfNew(rows: TimelineRow[], ts: number, lastDay: string | undefined): string {
  const day = dayKey(ts);
  if (day !== lastDay) rows.push({ kind: 'day', key: `d${day}`, ts });
  return day;
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
