/**
 * Search without an index: whether a text matches a query, and its snippet, with the rules the
 * SQLite store's FTS5 index follows (`unicode61 remove_diacritics 2`): words are runs of letters,
 * digits and their marks, compared without case or diacritics (`Crème` is `creme`). The memory
 * store searches with it, and the SQLite store when it must judge a text the index no longer
 * holds (the durable state of a message whose edit is not durable yet).
 */
import { MATCH_END, MATCH_START } from '../../../protocol/wire/entries';
import { WORD_CHARACTER, type SearchQuery } from './search-query';

/** About how many words a snippet shows (FTS5 `snippet()` is given the same number). */
export const SNIPPET_WORDS = 12;
/** What a snippet shows where it leaves text out. */
export const SNIPPET_ELLIPSIS = '…';

const WORDS = new RegExp(`${WORD_CHARACTER.source}+`, 'gu');
const MARKS = /\p{M}/gu;

interface Word {
  start: number;
  end: number;
  /** The word without case or diacritics. */
  key: string;
}

/** Lower case without diacritics: what two words must share to be the same word. */
const fold = (text: string): string => text.normalize('NFD').replace(MARKS, '').toLowerCase();

function wordsOf(text: string): Word[] {
  const words: Word[] = [];
  for (const match of text.matchAll(WORDS)) {
    const key = fold(match[0]);
    if (key !== '') words.push({ start: match.index, end: match.index + match[0].length, key });
  }
  return words;
}

/** Where a term matches: the indexes of its first and last word. */
type Span = readonly [number, number];

function spansOf(words: readonly Word[], keys: readonly string[], prefix: boolean): Span[] {
  const spans: Span[] = [];
  const last = keys.length - 1;
  for (let at = 0; at + last < words.length; at++) {
    const same = keys.every((key, index) => {
      const word = words[at + index]!.key;
      return index === last && prefix ? word.startsWith(key) : word === key;
    });
    if (same) spans.push([at, at + last]);
  }
  return spans;
}

/** The snippet of `text` if it matches every term of `query`, else undefined. */
export function matchSnippet(text: string, query: SearchQuery): string | undefined {
  const words = wordsOf(text);
  const spans: Span[] = [];
  for (const term of query) {
    const keys = wordsOf(term.text).map((word) => word.key);
    const found = keys.length === 0 ? [] : spansOf(words, keys, term.prefix);
    if (found.length === 0) return undefined;
    spans.push(...found);
  }
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  return snippet(text, words, spans);
}

/**
 * SNIPPET_WORDS words with the first match in their middle (as FTS5 centres its window), every
 * match in them marked.
 */
function snippet(text: string, words: readonly Word[], spans: readonly Span[]): string {
  const [first, firstEnd] = spans[0]!;
  const lead = Math.floor((SNIPPET_WORDS - (firstEnd - first + 1)) / 2);
  const from = Math.max(0, Math.min(first - lead, words.length - SNIPPET_WORDS));
  const to = Math.min(words.length, from + SNIPPET_WORDS);
  let out = from > 0 ? SNIPPET_ELLIPSIS : '';
  let at = from > 0 ? words[from]!.start : 0;
  let markedTo = -1;
  for (const [start, end] of spans) {
    if (start <= markedTo || start >= to) continue;
    const last = Math.min(end, to - 1);
    out += text.slice(at, words[start]!.start) + MATCH_START;
    out += text.slice(words[start]!.start, words[last]!.end) + MATCH_END;
    at = words[last]!.end;
    markedTo = last;
  }
  const end = to < words.length ? words[to - 1]!.end : text.length;
  return out + text.slice(at, end) + (to < words.length ? SNIPPET_ELLIPSIS : '');
}
