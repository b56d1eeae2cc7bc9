/**
 * What the UI holds of one conversation's log: the entries it shows (text messages and system
 * lines such as "Ada joined #design"), in seq order, and how far back the log has been seen.
 * Immutable: merging returns a new log (or the same one when nothing was new), and a batch of
 * entries costs one array copy, however many entries the log already holds.
 */
import type {
  DeleteEntry,
  EditEntry,
  Entry,
  ReactionEntry,
  SystemEntry,
  TextEntry,
} from '../protocol/wire/entries';
import { applyChange } from '../protocol/client/message-state';

/** The entries a conversation's timeline shows. Edits, deletions and reactions change these. */
export type ShownEntry = TextEntry | SystemEntry;
type ChangeEntry = EditEntry | DeleteEntry | ReactionEntry;

/** A message the log held that a change replaced, and the revision that change made. */
export interface Revised {
  revision: number;
  seq: number;
}

/** How many recent revisions a log remembers (a timeline further behind builds anew). */
const RECENT_REVISIONS = 64;

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
  /** Counts the changes made to messages already held (edits, deletions, reactions). */
  revision: number;
  /** The latest of those, oldest first (at most RECENT_REVISIONS): what a timeline must redo. */
  recent: readonly Revised[];
}

export const EMPTY_LOG: ConversationLog = Object.freeze({
  entries: [],
  firstSeq: 0,
  historySeq: 0,
  revision: 0,
  recent: [],
}) as ConversationLog;

export function isShown(entry: Entry): entry is ShownEntry {
  return entry.kind === 'text' || entry.kind === 'system';
}

/**
 * `log` with the entries of `incoming` it does not hold yet, and the edits, deletions and
 * reactions among them applied to the messages it holds; `log` itself when nothing changed.
 * Entries nothing changed keep their objects (the timeline and the list compare by identity); a
 * changed message is a new object in the same place. A change to a message not held is dropped:
 * history and catchup give each message in its current state when it is loaded.
 */
export function mergeEntries(log: ConversationLog, incoming: readonly Entry[]): ConversationLog {
  if (incoming.length === 0) return log;
  let firstSeq = log.firstSeq;
  const shown: ShownEntry[] = [];
  const changes: ChangeEntry[] = [];
  // Where each message of this batch arrived: a change reaches only messages that came before
  // it (held already, or earlier in the batch), exactly as if the batch were folded one by one.
  const arrivedAt = new Map<number, number>();
  const changesAt: number[] = [];
  incoming.forEach((entry, position) => {
    if (firstSeq === 0 || entry.seq < firstSeq) firstSeq = entry.seq;
    if (isShown(entry)) {
      shown.push(entry);
      if (!arrivedAt.has(entry.seq)) arrivedAt.set(entry.seq, position);
    } else {
      changes.push(entry);
      changesAt.push(position);
    }
  });
  const merged = mergeBySeq(log.entries, shown);
  const applicable = changes.filter((change, index) => {
    const arrived = arrivedAt.get(change.target);
    return (
      arrived === undefined ||
      arrived < changesAt[index]! ||
      indexOfSeq(log.entries, change.target) >= 0
    );
  });
  const changed = applicable.length === 0 ? undefined : applyChanges(merged, applicable, log);
  const entries = changed?.entries ?? merged;
  if (entries === log.entries && firstSeq === log.firstSeq) return log;
  return changed
    ? { ...log, entries, firstSeq, revision: changed.revision, recent: changed.recent }
    : { ...log, entries, firstSeq };
}

/** `entries` with `changes` applied (one copy for them all), and the revisions they made. */
function applyChanges(
  entries: ShownEntry[],
  changes: readonly ChangeEntry[],
  log: ConversationLog,
): { entries: ShownEntry[]; revision: number; recent: Revised[] } | undefined {
  let copy: ShownEntry[] | undefined;
  let revision = log.revision;
  const revised: Revised[] = [];
  for (const change of changes) {
    const index = indexOfSeq(copy ?? entries, change.target);
    const target = index < 0 ? undefined : (copy ?? entries)[index];
    if (target?.kind !== 'text') continue;
    const next = applyChange(target, change);
    if (next === target) continue;
    copy ??= entries.slice();
    copy[index] = next;
    revised.push({ revision: ++revision, seq: change.target });
  }
  if (!copy) return undefined;
  return { entries: copy, revision, recent: [...log.recent, ...revised].slice(-RECENT_REVISIONS) };
}

/** The index of the entry with `seq` among entries sorted by seq, or -1. */
export function indexOfSeq(entries: readonly ShownEntry[], seq: number): number {
  let low = 0;
  let high = entries.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const at = entries[middle]!.seq;
    if (at === seq) return middle;
    if (at < seq) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
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
