/**
 * Splits chat text into plain text, links and @mentions, for display. Pure: the renderer, the
 * guest page and the notification logic share it.
 *
 * Links: only `http://` and `https://` (any case), so a message can never carry a javascript:,
 * data:, file: or other link. A link runs to the next whitespace or `<>"\``; trailing
 * punctuation (`.,:;!?'"` and closing brackets without a partner inside the link) is left out.
 * Links with a user name or password (`https://bank.com@evil.example/`) stay plain text,
 * because they are the classic way to disguise where a link goes.
 *
 * Mentions: `@` (at the start or after a non-word character, so e-mail addresses are not
 * mentions) followed by a known peer name, compared case-insensitively. Names may contain
 * spaces, so the longest known name that follows the `@` wins (`@Ann Lee` over `@Ann`), and the
 * name must end at a word boundary (`@Annabel` is not a mention of `Ann`).
 */
import { nameKey } from '../wire/text';

export type TextPart =
  | { kind: 'text'; text: string }
  | { kind: 'link'; text: string; href: string }
  /** `text` is what was written (with the `@`); `name` is the peer name it matched. */
  | { kind: 'mention'; text: string; name: string };

const LINK_START = /https?:\/\//giu;
const LINK_STOP = /[\s<>"`]/u;
const WORD_CHAR = /[\p{L}\p{N}\p{M}_]/u;
const TRAILING_PUNCTUATION = new Set(['.', ',', ':', ';', '!', '?', "'", '"', '*', '…']);
const CLOSING_TO_OPENING: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && WORD_CHAR.test(char);
}

// Word checks look at whole code points, so a letter outside the BMP still counts as a letter.
function charBefore(text: string, index: number): string | undefined {
  if (index <= 0) return undefined;
  const code = text.charCodeAt(index - 1);
  if (code >= 0xdc00 && code <= 0xdfff && index >= 2) return text.slice(index - 2, index);
  return text[index - 1];
}

function charAt(text: string, index: number): string | undefined {
  const code = text.codePointAt(index);
  return code === undefined ? undefined : String.fromCodePoint(code);
}

function countChar(text: string, char: string): number {
  let count = 0;
  for (const c of text) if (c === char) count++;
  return count;
}

/** Drops trailing punctuation, keeping a closing bracket that closes one inside the link. */
function trimLinkEnd(candidate: string): string {
  let end = candidate.length;
  while (end > 0) {
    const last = candidate[end - 1]!;
    if (TRAILING_PUNCTUATION.has(last)) {
      end--;
      continue;
    }
    const opening = CLOSING_TO_OPENING[last];
    if (opening !== undefined) {
      const body = candidate.slice(0, end);
      if (countChar(body, last) > countChar(body, opening)) {
        end--;
        continue;
      }
    }
    break;
  }
  return candidate.slice(0, end);
}

/** The href for a link candidate, or undefined when it is not a safe http(s) link. */
function safeHref(candidate: string): string | undefined {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.hostname === '' || url.username !== '' || url.password !== '') return undefined;
  return url.href;
}

interface Match {
  start: number;
  end: number;
  part: TextPart;
}

function findLinks(text: string): Match[] {
  const links: Match[] = [];
  for (const found of text.matchAll(LINK_START)) {
    const start = found.index;
    if (links.length > 0 && start < links[links.length - 1]!.end) continue;
    if (isWordChar(charBefore(text, start))) continue;
    let end = start + found[0].length;
    while (end < text.length && !LINK_STOP.test(text[end]!)) end++;
    const candidate = trimLinkEnd(text.slice(start, end));
    if (candidate.length <= found[0].length) continue;
    const href = safeHref(candidate);
    if (href === undefined) continue;
    links.push({
      start,
      end: start + candidate.length,
      part: { kind: 'link', text: candidate, href },
    });
  }
  return links;
}

/** Known names grouped by length, so each `@` costs one lookup per distinct length. */
class NameIndex {
  private readonly byLength = new Map<number, Map<string, string>>();
  readonly lengthsLongestFirst: number[];

  constructor(names: readonly string[]) {
    for (const raw of names) {
      if (typeof raw !== 'string') continue;
      const name = raw.trim();
      if (name.length === 0) continue;
      let sameLength = this.byLength.get(name.length);
      if (!sameLength) this.byLength.set(name.length, (sameLength = new Map()));
      if (!sameLength.has(nameKey(name))) sameLength.set(nameKey(name), name);
    }
    this.lengthsLongestFirst = [...this.byLength.keys()].sort((a, b) => b - a);
  }

  find(slice: string): string | undefined {
    return this.byLength.get(slice.length)?.get(nameKey(slice));
  }
}

function findMentionAt(text: string, at: number, index: NameIndex): Match | undefined {
  if (isWordChar(charBefore(text, at))) return undefined;
  const from = at + 1;
  for (const length of index.lengthsLongestFirst) {
    const end = from + length;
    if (end > text.length) continue;
    const name = index.find(text.slice(from, end));
    if (name === undefined) continue;
    if (isWordChar(charAt(text, end))) continue;
    return { start: at, end, part: { kind: 'mention', text: text.slice(at, end), name } };
  }
  return undefined;
}

function findMentions(text: string, names: readonly string[], skip: Match[]): Match[] {
  const index = new NameIndex(names);
  if (index.lengthsLongestFirst.length === 0) return [];
  const mentions: Match[] = [];
  let skipIndex = 0;
  let at = text.indexOf('@');
  while (at !== -1) {
    while (skipIndex < skip.length && skip[skipIndex]!.end <= at) skipIndex++;
    const inside = skipIndex < skip.length && skip[skipIndex]!.start <= at;
    const mention = inside ? undefined : findMentionAt(text, at, index);
    if (mention) mentions.push(mention);
    at = text.indexOf('@', mention ? mention.end : at + 1);
  }
  return mentions;
}

/**
 * Splits `text` into parts whose texts, joined, give back `text` exactly. `peerNames` are the
 * names that can be mentioned (everyone in the room).
 */
export function linkify(text: string, peerNames: readonly string[] = []): TextPart[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const links = findLinks(text);
  const matches = [...links, ...findMentions(text, peerNames, links)].sort(
    (a, b) => a.start - b.start,
  );
  const parts: TextPart[] = [];
  let cursor = 0;
  for (const match of matches) {
    if (match.start > cursor) parts.push({ kind: 'text', text: text.slice(cursor, match.start) });
    parts.push(match.part);
    cursor = match.end;
  }
  if (cursor < text.length) parts.push({ kind: 'text', text: text.slice(cursor) });
  return parts;
}

/** The peer names `text` mentions (each once, as given in `peerNames`), outside links. */
export function mentionedNames(text: string, peerNames: readonly string[]): string[] {
  const names = new Set<string>();
  for (const part of linkify(text, peerNames)) if (part.kind === 'mention') names.add(part.name);
  return [...names];
}

/**
 * True when `text` mentions `name`. Give every peer name in `peerNames` when known: with peers
 * `Ann` and `Ann Lee`, `@Ann Lee` mentions only Ann Lee.
 */
export function mentionsName(
  text: string,
  name: string,
  peerNames: readonly string[] = [],
): boolean {
  const key = nameKey(name.trim());
  return mentionedNames(text, [...peerNames, name]).some((found) => nameKey(found) === key);
}
