/**
 * What the UI holds of one conversation's log: the entries it shows (text messages and system
 * lines such as "Ada joined #design"), in seq order, and how far back the log has been seen.
 * Immutable: merging returns a new log (or the same one when nothing was new), and a batch of
 * entries costs one array copy, however many entries the log already holds.
 */
import type { Entry, SystemEntry, TextEntry } from '../protocol/wire/entries';

/** The entries a conversation's timeline shows. Edits, deletions and reactions change these. */
export type ShownEntry = TextEntry | SystemEntry;

export interface ConversationLog {
  /** Text and system entries, unique by seq, ascending. */
  entries: ShownEntry[];
  /**
   * The lowest seq seen of any kind (0 before any): older entries can be asked for below it. Kept
   * apart from `entries` because entries of other kinds are seen but not shown.
   */
  firstSeq: number;
  /** Entries up to this seq were already there when the conversation was first seen: history. */
  historySeq: number;
}

export const EMPTY_LOG: ConversationLog = Object.freeze({
  entries: [],
  firstSeq: 0,
  historySeq: 0,
}) as ConversationLog;

export function isShown(entry: Entry): entry is ShownEntry {
  return entry.kind === 'text' || entry.kind === 'system';
}

/**
 * `log` with the entries of `incoming` it does not hold yet; `log` itself when nothing changed.
 * Entries already held keep their objects (the timeline and the list compare by identity).
 */
export function mergeEntries(log: ConversationLog, incoming: readonly Entry[]): ConversationLog {
  if (incoming.length === 0) return log;
  let firstSeq = log.firstSeq;
  const shown: ShownEntry[] = [];
  for (const entry of incoming) {
    if (firstSeq === 0 || entry.seq < firstSeq) firstSeq = entry.seq;
    if (isShown(entry)) shown.push(entry);
  }
  const entries = mergeBySeq(log.entries, shown);
  if (entries === log.entries && firstSeq === log.firstSeq) return log;
  return { ...log, entries, firstSeq };
}

/** The log with its history mark raised to `seq` (never lowered). */
export function withHistoryUpTo(log: ConversationLog, seq: number): ConversationLog {
  return seq > log.historySeq ? { ...log, historySeq: seq } : log;
}

/** The seq before which older entries can still be asked for, or undefined when none exist. */
export function olderBefore(log: ConversationLog): number | undefined {
  // Seqs start at 1 and grow by exactly 1, so anything above 1 means older entries exist.
  return log.firstSeq > 1 ? log.firstSeq : undefined;
}

/** The newest seq shown, or 0. */
export function lastShownSeq(log: ConversationLog): number {
  return log.entries[log.entries.length - 1]?.seq ?? 0;
}

/**
 * `current` with the entries of `incoming` whose seq it does not hold yet, ascending by seq;
 * `current` itself when nothing is new.
 */
function mergeBySeq(current: ShownEntry[], incoming: readonly ShownEntry[]): ShownEntry[] {
  if (incoming.length === 0) return current;
  const last = current[current.length - 1];
  // The common case, live entries: an ascending run after everything held; one copy.
  if (isAscendingAfter(incoming, last?.seq ?? Number.NEGATIVE_INFINITY)) {
    return current.concat(incoming);
  }
  if (last === undefined) return sortedUnique(incoming);
  // Otherwise (a page of older entries, a catchup after a reconnect): one linear merge.
  const added = sortedUnique(incoming);
  const merged: ShownEntry[] = [];
  let at = 0;
  let changed = false;
  for (const entry of added) {
    while (at < current.length && current[at]!.seq < entry.seq) merged.push(current[at++]!);
    if (at < current.length && current[at]!.seq === entry.seq) continue;
    merged.push(entry);
    changed = true;
  }
  if (!changed) return current;
  while (at < current.length) merged.push(current[at++]!);
  return merged;
}

/** True when every seq is above `after` and above the one before it. */
function isAscendingAfter(entries: readonly ShownEntry[], after: number): boolean {
  let previous = after;
  for (const entry of entries) {
    if (entry.seq <= previous) return false;
    previous = entry.seq;
  }
  return true;
}

/** Ascending by seq, the first of each seq kept. */
function sortedUnique(entries: readonly ShownEntry[]): ShownEntry[] {
  // A stable sort keeps the first of equal seqs first.
  const sorted = [...entries].sort((a, b) => a.seq - b.seq);
  return sorted.filter((entry, index) => index === 0 || sorted[index - 1]!.seq !== entry.seq);
}
