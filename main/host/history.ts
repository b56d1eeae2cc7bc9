/**
 * Which stored messages a client is shown: the welcome's history and `history` pages.
 * Only messages up to `upTo` (the last broadcast seq) are ever shown, so a client that is added to
 * the fan-out right after its welcome receives every later message exactly once.
 */
import type { ChatMessage } from '../../protocol/wire/frames';
import type { Limits } from '../../protocol/wire/limits';
import type { MessageStore } from './store/message-store';

export interface WelcomeHistory {
  history: ChatMessage[];
  lastSeq: number;
  gap: boolean;
}

export interface HistoryPage {
  messages: ChatMessage[];
  more: boolean;
}

/**
 * The newest messages whose JSON fits in `budgetBytes` (always at least one), so one reply can
 * never by itself push a client over the backlog limit and get it dropped as too slow.
 */
export function newestWithin(messages: ChatMessage[], budgetBytes: number): ChatMessage[] {
  let bytes = 0;
  let start = messages.length;
  while (start > 0) {
    const size = Buffer.byteLength(JSON.stringify(messages[start - 1])) + 1;
    if (bytes + size > budgetBytes && start < messages.length) break;
    bytes += size;
    start--;
  }
  return start === 0 ? messages : messages.slice(start);
}

/** A reply's byte budget: half the backlog limit leaves room for the live traffic behind it. */
export function replyBudget(limits: Pick<Limits, 'maxBacklogBytes'>): number {
  return limits.maxBacklogBytes / 2;
}

/** `welcome.history` for a fresh hello (`afterSeq` undefined) or a resume from `afterSeq`. */
export function welcomeHistory(
  store: MessageStore,
  limits: Limits,
  upTo: number,
  afterSeq?: number,
): WelcomeHistory {
  const budget = replyBudget(limits);
  if (afterSeq === undefined) {
    const recent = store.page(upTo + 1, limits.historyOnJoin);
    return { history: newestWithin(recent, budget), lastSeq: upTo, gap: false };
  }
  const keep = limits.historyOnResume;
  // One more than we may send tells us whether any were skipped; the seq span bounds the read.
  const span = Math.max(0, upTo - afterSeq);
  const missed = store.page(upTo + 1, Math.min(keep + 1, span)).filter((m) => m.seq > afterSeq);
  const kept = missed.length > keep ? missed.slice(missed.length - keep) : missed;
  const history = newestWithin(kept, budget);
  return { history, lastSeq: upTo, gap: history.length < missed.length };
}

/** A `history` page: seq < before, the newest `limit` of them, oldest first. */
export function historyPage(
  store: MessageStore,
  limits: Limits,
  upTo: number,
  before: number,
  limit: number,
): HistoryPage {
  const page = store.page(Math.min(before, upTo + 1), limit + 1);
  const requested = page.length > limit ? page.slice(1) : page;
  const messages = newestWithin(requested, replyBudget(limits));
  return { messages, more: page.length > messages.length };
}
