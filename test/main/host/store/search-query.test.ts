/**
 * What a person types becomes terms (words as prefixes, quoted phrases as written, all required),
 * and those become an FTS5 query that SQLite always accepts and never reads as an operator. The
 * memory store's matcher finds what FTS5 finds.
 */
import Database from 'libsql';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { matchSnippet } from '../../../../main/host/store/search-match';
import {
  ftsExpression,
  parseSearchQuery,
  type SearchQuery,
} from '../../../../main/host/store/search-query';
import { MATCH_END, MATCH_START } from '../../../../protocol/wire/entries';

/** An FTS5 table made as parley.db's (one text column here). */
const db = new Database(':memory:');
db.exec(
  `CREATE VIRTUAL TABLE t USING fts5 (text, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')`,
);
const insert = db.prepare('INSERT INTO t (rowid, text) VALUES (?, ?)');
const matching = db.prepare('SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid').raw();
afterAll(() => db.close());

const TEXTS = [
  'Crème brûlée for the café party',
  'the cafeteria opens at NOON',
  'e-mail me: x@y.z (or "quote" me)',
  'naïve Ångström ΣΊΣΥΦΟΣ straße',
  'NEAR OR AND NOT col:text ^start',
];
TEXTS.forEach((text, index) => insert.run(index + 1, text));

/** The rows FTS5 finds for `q`, through the module (undefined when `q` has nothing to find). */
function ftsRows(q: string): number[] | undefined {
  const query = parseSearchQuery(q);
  if (!query) return undefined;
  const rows = matching.all(`text : (${ftsExpression(query)})`) as [number][];
  return rows.map(([row]) => row);
}

/** The rows the memory matcher finds for `q`. */
function memoryRows(q: string): number[] | undefined {
  const query = parseSearchQuery(q);
  if (!query) return undefined;
  return TEXTS.flatMap((text, index) => (matchSnippet(text, query) ? [index + 1] : []));
}

describe('parseSearchQuery', () => {
  it('makes each word a prefix term and each quoted text a phrase', () => {
    expect(parseSearchQuery('  café   party ')).toEqual([
      { text: 'café', prefix: true },
      { text: 'party', prefix: true },
    ]);
    expect(parseSearchQuery('menu "crème brûlée" now')).toEqual([
      { text: 'menu', prefix: true },
      { text: 'crème brûlée', prefix: false },
      { text: 'now', prefix: true },
    ]);
    // An unclosed quote runs to the end.
    expect(parseSearchQuery('a "b c')).toEqual([
      { text: 'a', prefix: true },
      { text: 'b c', prefix: false },
    ]);
  });

  it('finds nothing to search for in spaces, quotes, punctuation or emoji', () => {
    for (const q of ['', '   ', '""', '" "', '- * : ^', '🎉 👍🏽', '"…"', '\u0000\t\n']) {
      expect(parseSearchQuery(q), q).toBeUndefined();
    }
    expect(parseSearchQuery('🎉 x')).toEqual([{ text: 'x', prefix: true }]);
    // Control characters separate words (FTS5 would end a string at a NUL).
    expect(parseSearchQuery('a\u0000b')).toEqual([
      { text: 'a', prefix: true },
      { text: 'b', prefix: true },
    ]);
  });
});

describe('ftsExpression', () => {
  it('quotes every term, so FTS5 syntax typed by a person is only words', () => {
    const query = parseSearchQuery('a"b" NEAR(x y) col:z "say ""hi""" OR ^w')!;
    expect(ftsExpression(query)).toBe('"a"* "b" "NEAR(x"* "y)"* "col:z"* "say" "hi" "OR"* "^w"*');
    expect(ftsExpression([{ text: 'say "hi"', prefix: false }])).toBe('"say ""hi"""');
    expect(ftsRows('NEAR OR')).toEqual([5]);
    expect(ftsRows('col:text')).toEqual([5]);
    expect(ftsRows('^start')).toEqual([5]);
  });

  it('matches words by prefix without case or diacritics, phrases as written, all required', () => {
    expect(ftsRows('cafe')).toEqual([1, 2]);
    expect(ftsRows('"cafe"')).toEqual([1]);
    expect(ftsRows('CAFÉ party')).toEqual([1]);
    expect(ftsRows('"creme brulee"')).toEqual([1]);
    expect(ftsRows('"brulee creme"')).toEqual([]);
    expect(ftsRows('naive angstrom sisyphos')).toEqual([]);
    expect(ftsRows('naive angstrom σίσυφος')).toEqual([4]);
    expect(ftsRows('e-mail')).toEqual([3]);
    expect(ftsRows('"quote" me')).toEqual([3]);
  });

  it('never makes FTS5 fail, whatever is typed', () => {
    const typed = fc.string({
      unit: fc.constantFrom(...'ab"*:^()-+ {}NEARORAND\\\'\u0000é🎉.'.split('')),
      maxLength: 40,
    });
    fc.assert(
      fc.property(typed, (q) => {
        expect(() => ftsRows(q)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });
});

describe('matchSnippet (the memory store)', () => {
  it('finds what FTS5 finds', () => {
    const words = ['cafe', 'café', 'CAF', 'caf', 'crème', 'creme', 'brûlée', 'the', 'noon'];
    const queries = fc.array(
      fc.oneof(
        fc.constantFrom(...words),
        fc.constantFrom(...words).map((word) => `"${word}"`),
        fc
          .tuple(fc.constantFrom(...words), fc.constantFrom(...words))
          .map(([a, b]) => `"${a} ${b}"`),
      ),
      { minLength: 1, maxLength: 3 },
    );
    fc.assert(
      fc.property(queries, (terms) => {
        const q = terms.join(' ');
        expect(memoryRows(q), q).toEqual(ftsRows(q));
      }),
      { numRuns: 300 },
    );
    for (const q of ['e-mail', '"quote" me', 'σίσυφος', 'strasse', 'STRAßE', 'ångström']) {
      expect(memoryRows(q), q).toEqual(ftsRows(q));
    }
  });

  it('marks every match in about a dozen words around the first', () => {
    const query: SearchQuery = [{ text: 'need', prefix: true }];
    const text = `${Array.from({ length: 30 }, (_, index) => `w${index}`).join(' ')} needle, end`;
    const snippet = matchSnippet(`start needles ${text}`, query)!;
    expect(snippet).toBe(`start ${MATCH_START}needles${MATCH_END} w0 w1 w2 w3 w4 w5 w6 w7 w8 w9…`);
    expect(matchSnippet(text, query)).toBe(
      `…w20 w21 w22 w23 w24 w25 w26 w27 w28 w29 ${MATCH_START}needle${MATCH_END}, end`,
    );
    const middle = `${text} ${Array.from({ length: 30 }, (_, index) => `v${index}`).join(' ')}`;
    // As FTS5 gives it: the match in the middle of the window.
    expect(matchSnippet(middle, query)).toBe(
      `…w25 w26 w27 w28 w29 ${MATCH_START}needle${MATCH_END}, end v0 v1 v2 v3 v4…`,
    );
    expect(matchSnippet('crème brûlée!', [{ text: 'creme brulee', prefix: false }])).toBe(
      `${MATCH_START}crème brûlée${MATCH_END}!`,
    );
  });
});
