/**
 * `@name` completion in the composer: which `@…` the caret is in, and the people whose names
 * start with what follows it (compared as names are, by nameKey: case and look-alikes aside).
 */
import { nameKey } from '../protocol/wire/text';

/** Names may hold spaces (`@Ann Lee`), so a query runs to the caret, up to this long. */
const MAX_QUERY = 40;
const WORD_CHAR = /[\p{L}\p{N}\p{M}_]/u;

export interface MentionQuery {
  /** Where the `@` is. */
  start: number;
  /** What follows it up to the caret. */
  query: string;
}

/** The `@…` being typed just before `caret`, if any (an `@` inside a word, as in mail, is not). */
export function mentionQueryAt(text: string, caret: number): MentionQuery | undefined {
  const before = text.slice(Math.max(0, caret - MAX_QUERY - 1), caret);
  const at = before.lastIndexOf('@');
  if (at < 0) return undefined;
  const query = before.slice(at + 1);
  if (/[\n@]/.test(query)) return undefined;
  const start = caret - before.length + at;
  const previous = start > 0 ? text[start - 1] : undefined;
  if (previous !== undefined && WORD_CHAR.test(previous)) return undefined;
  return { start, query };
}

/** Up to `max` of `names` starting with `query`, by name; none when nothing matches. */
export function mentionCandidates(names: readonly string[], query: string, max = 6): string[] {
  const key = nameKey(query);
  const seen = new Set<string>();
  const found: string[] = [];
  for (const name of names) {
    const nameAsKey = nameKey(name);
    if (!nameAsKey.startsWith(key) || seen.has(nameAsKey)) continue;
    seen.add(nameAsKey);
    found.push(name);
  }
  return found.sort((a, b) => a.localeCompare(b)).slice(0, max);
}

/** `text` with the `@query` at `mention` replaced by `@name ` and where the caret goes after it. */
export function completeMention(
  text: string,
  mention: MentionQuery,
  name: string,
): { text: string; caret: number } {
  const end = mention.start + 1 + mention.query.length;
  const inserted = `@${name} `;
  const rest = text.slice(end).replace(/^ /, '');
  return {
    text: text.slice(0, mention.start) + inserted + rest,
    caret: mention.start + inserted.length,
  };
}
