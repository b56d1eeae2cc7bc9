/** Text rules of protocol v1. Lengths count Unicode code points, not UTF-16 units. */
import unhomoglyph from 'unhomoglyph';

export function codePointLength(text: string): number {
  let count = 0;
  // for..of walks code points; a lone surrogate counts as one, like any other unit.
  for (const _ of text) count++;
  return count;
}

// Cc covers C0, DEL and C1 controls; names also refuse line and paragraph separators.
const CONTROL = /[\p{Cc}\u2028\u2029]/u;
/** With the u flag only a surrogate that is not half of a pair matches. */
const LONE_SURROGATE = /\p{Cs}/u;
/**
 * Code points that show nothing or reorder what follows (zero-width space, soft hyphen, word
 * joiner, direction marks and overrides): `admin` with one of them looks exactly like `admin`.
 */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Bidi_Control}]/u;
const INVISIBLE_ALL = new RegExp(INVISIBLE.source, 'gu');
/**
 * The invisible code points emoji need, where they are part of one: a variation selector right
 * after an emoji (❤️), a joiner between two pictographs (👨‍👩‍👧). nameKey drops them, so they
 * cannot tell two names apart.
 */
const EMOJI_PARTS =
  /(?<=\p{Emoji})[\uFE0E\uFE0F]|(?<=\p{Extended_Pictographic}[\uFE0F\p{Emoji_Modifier}]?)\u200D(?=\p{Extended_Pictographic})/gu;

/** True when `text` holds a control character (or a line or paragraph separator). */
export function hasControlCharacters(text: string): boolean {
  return CONTROL.test(text);
}

export type NameProblem = 'empty' | 'too_long' | 'control' | 'invisible' | 'malformed';

/**
 * Returns the name as the room will show it (NFKC-normalized and trimmed), or the rule it breaks.
 * Names that only look alike are told apart by nameKey, not here.
 */
export function checkName(
  raw: string,
  maxLength: number,
): { ok: true; name: string } | { ok: false; problem: NameProblem } {
  // A lone surrogate is no character at all; normalizing it would hide that.
  if (LONE_SURROGATE.test(raw)) return { ok: false, problem: 'malformed' };
  const name = raw.normalize('NFKC').trim();
  if (name.length === 0) return { ok: false, problem: 'empty' };
  if (codePointLength(name) > maxLength) return { ok: false, problem: 'too_long' };
  if (CONTROL.test(name)) return { ok: false, problem: 'control' };
  if (INVISIBLE.test(name.replace(EMOJI_PARTS, ''))) return { ok: false, problem: 'invisible' };
  return { ok: true, name };
}

/**
 * The key under which names are unique: two names with the same key would look the same to the
 * people in the room. Compatibility forms (fullwidth `ａ`), case and confusable characters (the
 * Cyrillic `а` of `аdmin`) all fold: the key is the confusable skeleton of Unicode UTS #39 of the
 * lower-cased NFKC name, repeated once its own output is lower-cased again (`B0B` → `bOb` → `bob`).
 * Not for display: `m` and `rn` share the key `rn`.
 */
export function nameKey(name: string): string {
  let key = name.normalize('NFKC');
  // Two rounds reach the fixed point for every name tried; a third costs little and is bounded.
  for (let round = 0; round < 3; round++) {
    const next = skeleton(key.toLowerCase());
    if (next === key) break;
    key = next;
  }
  return key;
}

/** UTS #39 skeleton: NFD, without default-ignorable code points, prototypes of confusables, NFD. */
function skeleton(text: string): string {
  return unhomoglyph(text.normalize('NFD').replace(INVISIBLE_ALL, '')).normalize('NFD');
}

export function describeNameProblem(problem: NameProblem, maxLength: number): string {
  switch (problem) {
    case 'empty':
      return 'name is empty';
    case 'too_long':
      return `name is longer than ${maxLength} characters`;
    case 'control':
      return 'name contains control characters';
    case 'invisible':
      return 'name contains invisible or text-direction characters';
    case 'malformed':
      return 'name is not valid Unicode text (a lone surrogate)';
  }
}
