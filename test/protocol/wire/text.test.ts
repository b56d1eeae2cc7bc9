/**
 * The name rule: what a name may contain, and which names count as the same one. Names that
 * would look alike to the people in a room must not both be in it.
 */
import { describe, expect, it } from 'vitest';
import { checkName, nameKey } from '../../../protocol/wire/text';

const MAX = 32;

describe('checkName', () => {
  it.each([
    ['zero-width space', 'admin\u200b'],
    ['soft hyphen', 'ad\u00admin'],
    ['word joiner', 'admin\u2060'],
    ['right-to-left override', '\u202enimda'],
    ['direction marks around it', '\u200eadmin\u200f'],
    ['only a zero-width space', '\u200b'],
    ['a Hangul filler', 'admin\u3164'],
    ['a joiner between letters', 'ad\u200dmin'],
  ])('refuses invisible and direction characters: %s', (_what, name) => {
    expect(checkName(name, MAX)).toEqual({ ok: false, problem: 'invisible' });
  });

  it('refuses a lone surrogate', () => {
    expect(checkName('adm\ud800in', MAX)).toEqual({ ok: false, problem: 'malformed' });
    expect(checkName('\udc00', MAX)).toEqual({ ok: false, problem: 'malformed' });
  });

  it('keeps the invisible parts of emoji', () => {
    for (const name of ['❤️ Ann', 'Ann 👨‍👩‍👧', '👍🏽‍♂️ Bo', '1️⃣ team']) {
      expect(checkName(name, MAX), name).toEqual({ ok: true, name });
    }
  });

  it('returns the name in NFKC form, trimmed', () => {
    expect(checkName(' ａｄｍｉｎ ', MAX)).toEqual({ ok: true, name: 'admin' });
    expect(checkName('Zoe\u0308', MAX)).toEqual({ ok: true, name: 'Zoë' });
    expect(checkName('ﬁnn', MAX)).toEqual({ ok: true, name: 'finn' });
  });

  it('still refuses empty, control and over-long names, and accepts ordinary ones', () => {
    expect(checkName('   ', MAX)).toEqual({ ok: false, problem: 'empty' });
    expect(checkName('a\nb', MAX)).toEqual({ ok: false, problem: 'control' });
    expect(checkName('x'.repeat(MAX + 1), MAX)).toEqual({ ok: false, problem: 'too_long' });
    for (const name of ['Ann Lee', 'Zoë', 'Олег', '李雷', 'guest-12', "O'Brien"]) {
      expect(checkName(name, MAX), name).toEqual({ ok: true, name });
    }
  });
});

describe('nameKey', () => {
  it.each([
    ['another case', 'ADMIN'],
    ['Cyrillic а', '\u0430dmin'],
    ['Greek capitals', '\u0391DMIN'],
    ['fullwidth letters', 'ａｄｍｉｎ'],
    ['a decomposed accent elsewhere', 'admin'],
    ['rn for m', 'adrnin'],
  ])('gives look-alikes of admin the same key: %s', (_what, name) => {
    expect(nameKey(name)).toBe(nameKey('admin'));
  });

  it('folds digits that look like letters, whatever the case', () => {
    expect(nameKey('B0B')).toBe(nameKey('bob'));
    expect(nameKey('Zoe\u0308')).toBe(nameKey('ZOË'));
  });

  it('keeps names apart that do not look alike', () => {
    const names = ['admin', 'admins', 'Ann', 'Anne', 'Bob', 'Олег', 'Oleg', '李雷'];
    expect(new Set(names.map(nameKey)).size).toBe(names.length);
  });
});
