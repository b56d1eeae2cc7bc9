/** Text rules of protocol v1. Lengths count Unicode code points, not UTF-16 units. */

export function codePointLength(text: string): number {
  let count = 0;
  // for..of walks code points; a lone surrogate counts as one, like any other unit.
  for (const _ of text) count++;
  return count;
}

// Cc covers C0, DEL and C1 controls; names also refuse line and paragraph separators.
const CONTROL = /[\p{Cc}\u2028\u2029]/u;

/** True when `text` holds a control character (or a line or paragraph separator). */
export function hasControlCharacters(text: string): boolean {
  return CONTROL.test(text);
}

export type NameProblem = 'empty' | 'too_long' | 'control';

/** Returns the trimmed name, or the rule it breaks. */
export function checkName(
  raw: string,
  maxLength: number,
): { ok: true; name: string } | { ok: false; problem: NameProblem } {
  const name = raw.trim();
  if (name.length === 0) return { ok: false, problem: 'empty' };
  if (codePointLength(name) > maxLength) return { ok: false, problem: 'too_long' };
  if (CONTROL.test(name)) return { ok: false, problem: 'control' };
  return { ok: true, name };
}

/** The key under which names are unique: case-insensitive and normalization-insensitive. */
export function nameKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

export function describeNameProblem(problem: NameProblem, maxLength: number): string {
  switch (problem) {
    case 'empty':
      return 'name is empty';
    case 'too_long':
      return `name is longer than ${maxLength} characters`;
    case 'control':
      return 'name contains control characters';
  }
}
