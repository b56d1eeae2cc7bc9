/**
 * Which stored entries a client is shown: parley.v1's welcome history and `history` pages (the
 * text entries of `general`, as v1 messages), and parley.v2's catchups and `history` pages (every
 * entry of one conversation). Only entries up to `upTo` (the conversation's last broadcast seq)
 * are ever shown, so a client that enters the fan-out right after its reply receives every later
 * entry exactly once.
 */
import type { Entry } from '../../protocol/wire/entries';
import type { ChatMessage } from '../../protocol/wire/frames';
import { GENERAL } from '../../protocol/wire/identity';
import type { Limits } from '../../protocol/wire/limits';
import { v1MessageOf } from './fan-out';
import type { RoomStore } from './store/room-store';

export interface WelcomeHistory {
  history: ChatMessage[];
  lastSeq: number;
  gap: boolean;
}

export interface HistoryPage {
  messages: ChatMessage[];
  more: boolean;
}

/** How many entries of `general` a parley.v1 reply reads at most, looking for text entries. */
const V1_SCAN_PAGES = 10;

/**
 * The newest items whose JSON fits in `budgetBytes` (always at least one), so one reply can
 * never by itself push a client over the backlog limit and get it dropped as too slow.
 */
export function newestWithin<T extends { seq: number }>(items: T[], budgetBytes: number): T[] {
  let bytes = 0;
  let start = items.length;
  while (start > 0) {
    const size = Buffer.byteLength(JSON.stringify(items[start - 1])) + 1;
    if (bytes + size > budgetBytes && start < items.length) break;
    bytes += size;
    start--;
  }
  return start === 0 ? items : items.slice(start);
}

/** A reply's byte budget: half the backlog limit leaves room for the live traffic behind it. */
export function replyBudget(limits: Pick<Limits, 'maxBacklogBytes'>): number {
  return limits.maxBacklogBytes / 2;
}

/**
 * The newest `limit` text entries of `general` with seq < before (as v1 messages, deleted ones
 * left out), oldest first, and whether older entries exist. Other kinds are skipped, so a page
 * reads on (a bounded number of store pages) until it has `limit` or reaches the start.
 */
function v1Messages(
  store: RoomStore,
  before: number,
  limit: number,
  after = 0,
): { messages: ChatMessage[]; more: boolean } {
  const found: ChatMessage[][] = [];
  let count = 0;
  let cursor = before;
  for (let page = 0; page < V1_SCAN_PAGES && count < limit && cursor > after + 1; page++) {
    const read = Math.min(limit - count + 1, cursor - after - 1);
    const entries = store.page(GENERAL, cursor, read);
    if (entries.length === 0) break;
    const messages = entries.filter(isShownToV1).map((entry) => v1MessageOf(entry));
    found.unshift(messages);
    count += messages.length;
    cursor = entries[0]!.seq;
    if (entries.length < read) break;
  }
  const messages = found.flat();
  const kept = messages.length > limit ? messages.slice(messages.length - limit) : messages;
  return { messages: kept, more: kept.length < messages.length || cursor > after + 1 };
}

function isShownToV1(entry: Entry): entry is Extract<Entry, { kind: 'text' }> {
  return entry.kind === 'text' && entry.deleted !== true;
}

/** `welcome.history` for a fresh hello (`afterSeq` undefined) or a resume from `afterSeq`. */
export function welcomeHistory(
  store: RoomStore,
  limits: Limits,
  upTo: number,
  afterSeq?: number,
): WelcomeHistory {
  const budget = replyBudget(limits);
  if (afterSeq === undefined) {
    const recent = v1Messages(store, upTo + 1, limits.historyOnJoin).messages;
    return { history: newestWithin(recent, budget), lastSeq: upTo, gap: false };
  }
  if (afterSeq >= upTo) return { history: [], lastSeq: upTo, gap: false };
  const missed = v1Messages(store, upTo + 1, limits.historyOnResume, afterSeq);
  const history = newestWithin(missed.messages, budget);
  return { history, lastSeq: upTo, gap: missed.more || history.length < missed.messages.length };
}

/** A parley.v1 `history` page: seq < before, the newest `limit` messages, oldest first. */
export function historyPage(
  store: RoomStore,
  limits: Limits,
  upTo: number,
  before: number,
  limit: number,
): HistoryPage {
  const page = v1Messages(store, Math.min(before, upTo + 1), limit);
  const messages = newestWithin(page.messages, replyBudget(limits));
  return { messages, more: page.more || messages.length < page.messages.length };
}

export interface EntryPage {
  entries: Entry[];
  /** Entries were left out: older ones exist (a page), or ones after the cursor (a catchup). */
  more: boolean;
}

/** A parley.v2 `history` page of one conversation: seq < before, newest `limit`, oldest first. */
export function entryPage(
  store: RoomStore,
  budget: number,
  conv: string,
  upTo: number,
  before: number,
  limit: number,
): EntryPage {
  const page = store.page(conv, Math.min(before, upTo + 1), limit + 1);
  const requested = page.length > limit ? page.slice(1) : page;
  const entries = newestWithin(requested, budget);
  return { entries, more: page.length > entries.length };
}

/**
 * A parley.v2 catchup of one conversation: every entry after `cursor` (at most `limits
 * .historyOnResume`, then `more`), or the newest `catchupOnJoin` without a cursor.
 */
export function catchupEntries(
  store: RoomStore,
  limits: Limits,
  budget: number,
  conv: string,
  upTo: number,
  cursor: number | undefined,
): EntryPage {
  if (cursor === undefined) {
    const recent = store.page(conv, upTo + 1, limits.catchupOnJoin);
    return { entries: newestWithin(recent, budget), more: false };
  }
  if (cursor >= upTo) return { entries: [], more: false };
  const keep = limits.historyOnResume;
  const missed = store.page(conv, upTo + 1, Math.min(keep + 1, upTo - cursor));
  const after = missed.filter((entry) => entry.seq > cursor);
  const kept = after.length > keep ? after.slice(after.length - keep) : after;
  const entries = newestWithin(kept, budget);
  return { entries, more: entries.length < after.length };
}
