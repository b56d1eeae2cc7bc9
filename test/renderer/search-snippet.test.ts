import { describe, expect, it } from 'vitest';
import { MATCH_END, MATCH_START } from '../../protocol/wire/entries';
import { snippetParts } from '../../renderer/search-snippet';

describe('search snippets', () => {
  it('splits a snippet at its marks into plain text and matches', () => {
    expect(
      snippetParts(`the ${MATCH_START}pelican${MATCH_END} has ${MATCH_START}landed${MATCH_END}`),
    ).toEqual([
      { text: 'the ', match: false },
      { text: 'pelican', match: true },
      { text: ' has ', match: false },
      { text: 'landed', match: true },
    ]);
  });

  it('never shows a stray mark, and reads markup as text', () => {
    expect(snippetParts(`a${MATCH_END}b${MATCH_START}${MATCH_START}<b>c</b>`)).toEqual([
      { text: 'ab', match: false },
      // A match never closed shows as plain text.
      { text: '<b>c</b>', match: false },
    ]);
    expect(snippetParts('')).toEqual([]);
  });
});
