import { describe, expect, it } from 'vitest';
import { completeMention, mentionCandidates, mentionQueryAt } from '../../renderer/mention-query';

describe('mention completion', () => {
  it('finds the @name being typed before the caret, not an @ inside a word', () => {
    expect(mentionQueryAt('hi @bo', 6)).toEqual({ start: 3, query: 'bo' });
    expect(mentionQueryAt('@', 1)).toEqual({ start: 0, query: '' });
    // Names may hold spaces.
    expect(mentionQueryAt('ask @Ann L', 10)).toEqual({ start: 4, query: 'Ann L' });
    expect(mentionQueryAt('mail ann@example', 16)).toBeUndefined();
    expect(mentionQueryAt('@bob\nnext', 9)).toBeUndefined();
    expect(mentionQueryAt('no mention', 10)).toBeUndefined();
  });

  it('offers the names that start with the query, as names compare, each once', () => {
    const names = ['Bob', 'bea', 'Cy', 'BOB', 'Bé'];
    expect(mentionCandidates(names, 'b')).toEqual(
      ['bea', 'Bob', 'Bé'].sort((a, b) => a.localeCompare(b)),
    );
    expect(mentionCandidates(names, 'BO')).toEqual(['Bob']);
    expect(mentionCandidates(names, 'x')).toEqual([]);
    expect(mentionCandidates(names, '', 2)).toHaveLength(2);
  });

  it('replaces the query with the name and a space, caret after it', () => {
    expect(completeMention('hi @bo there', { start: 3, query: 'bo' }, 'Bob')).toEqual({
      text: 'hi @Bob there',
      caret: 8,
    });
    expect(completeMention('@', { start: 0, query: '' }, 'Ann Lee')).toEqual({
      text: '@Ann Lee ',
      caret: 9,
    });
  });
});
