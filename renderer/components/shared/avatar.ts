/** What a person's avatar shows: a colour of their own and the first letter of their name. */

/** A stable hue per name, so each person keeps one avatar colour. */
export function hueOf(name: string): number {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return hash % 360;
}

/** The first letter of a name (a whole code point, so emoji and accents survive). */
export function initialOf(name: string): string {
  const [first] = name.trim();
  return (first ?? '?').toLocaleUpperCase();
}
