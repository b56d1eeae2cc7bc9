/**
 * What a person types into search, as terms both stores understand: each word matches the words
 * it begins (`café` finds `cafés`), text in double quotes is a phrase matched as written, and
 * every term is required. For SQLite the terms become an FTS5 query in which every term is a
 * quoted string, so no FTS5 operator, column filter or syntax error typed by a client ever
 * reaches SQLite: a quoted string is only ever split into words by the index's own tokenizer.
 */

/** One required term of a search. */
export interface SearchTerm {
  /** A word as typed (it may hold several words, like `e-mail`) or a quoted phrase. */
  readonly text: string;
  /** True for a typed word: its last word is matched as a prefix. False for a phrase. */
  readonly prefix: boolean;
}

/** A search: at least one term, all required. */
export type SearchQuery = readonly [SearchTerm, ...SearchTerm[]];

/**
 * What the index counts as part of a word (the categories of FTS5's `unicode61` tokenizer:
 * letters, digits, private-use characters, and the marks that accent them). Everything else
 * separates words.
 */
export const WORD_CHARACTER = /[\p{L}\p{N}\p{Co}\p{M}]/u;
const HAS_WORD = /[\p{L}\p{N}\p{Co}]/u;
/** Control characters separate words, like spaces (and FTS5 would end a string at a NUL). */
const CONTROL = /\p{Cc}/gu;

/**
 * The terms of `q`, or undefined when nothing in it can be searched for (only spaces, quotes,
 * punctuation or emoji). An unclosed quote runs to the end.
 */
export function parseSearchQuery(q: string): SearchQuery | undefined {
  const terms: SearchTerm[] = [];
  q.replace(CONTROL, ' ')
    .split('"')
    .forEach((part, index) => {
      if (index % 2 === 1) terms.push({ text: part.trim(), prefix: false });
      else for (const word of part.split(/\s+/u)) terms.push({ text: word, prefix: true });
    });
  const searchable = terms.filter((term) => HAS_WORD.test(term.text));
  return searchable.length > 0 ? (searchable as [SearchTerm, ...SearchTerm[]]) : undefined;
}

/** An FTS5 string literal: the only FTS5 syntax a term ever becomes. */
const quoted = (text: string): string => `"${text.replaceAll('"', '""')}"`;

/** The FTS5 expression of the terms: `"word"* "a phrase"` (juxtaposition is AND). */
export function ftsExpression(query: SearchQuery): string {
  return query.map((term) => quoted(term.text) + (term.prefix ? '*' : '')).join(' ');
}

/** `token` as one quoted FTS5 string (for the index's own tokens, never a person's text). */
export const ftsToken = quoted;
