/**
 * Chat Markdown to HTML: bold, italics, strike, inline code, code blocks, quotes, lists and links,
 * with @mentions of people in the room marked (protocol/client/linkify.ts's rule, so a mention
 * highlighted here is the one that notifies). markdown-it with `html: false`: raw HTML in a
 * message is text. The HTML made here is not trusted as it is: sanitize.ts cleans it before it
 * reaches the DOM. Only the raw text is ever stored or sent.
 */
import MarkdownIt from 'markdown-it';
import type { Env, StateCore, Token } from 'markdown-it';

/** A configured markdown-it. */
type MarkdownParser = InstanceType<typeof MarkdownIt>;
import { linkify } from '../../protocol/client/linkify';
import { nameKey } from '../../protocol/wire/text';

/** Who can be mentioned, and who is reading (their own mentions look different). */
export interface MentionContext {
  peerNames: readonly string[];
  selfName: string;
}

interface RenderEnv extends Env {
  peerNames: readonly string[];
  selfKey: string;
}

/**
 * Blocks nest at most this deep (lists in lists, quotes in quotes): deeper markup stays text, so a
 * hostile message cannot build a DOM thousands of levels deep.
 */
const MAX_NESTING = 20;
/** Emphasis (bold, italics, strike) nests at most this deep; markdown-it does not bound it. */
const MAX_EMPHASIS_DEPTH = 6;

/**
 * markdown-it tries each `[` as a link label and pairs every `*`, `_` and `~` run, which costs
 * hundreds of milliseconds for thousands of them. Past these counts in one message, that syntax
 * is not looked for (the characters show as typed; written-out `https://…` links still work).
 */
const MAX_BRACKETS_FOR_LINKS = 200;
const MAX_DELIMITERS_FOR_EMPHASIS = 400;

/** Parsers by the rules they leave out (see parserFor), made when first needed. */
const parsers = new Map<string, MarkdownParser>();

function chatMarkdown(): MarkdownParser {
  const parser = new MarkdownIt('default', {
    html: false,
    linkify: true,
    // A chat message's line breaks are meant: each one shows.
    breaks: true,
    typographer: false,
    maxNesting: MAX_NESTING,
  });
  // Headings, tables and rules do not belong in a chat line; images would load from anywhere.
  parser.disable(['heading', 'lheading', 'table', 'hr', 'image', 'reference']);
  // Only written-out links (`https://…`), as the plain-text rule had it: `example.com` stays text.
  parser.linkify.set({ fuzzyLink: false, fuzzyEmail: false, fuzzyIP: false });
  parser.validateLink = isSafeLink;
  parser.core.ruler.push('flatten_deep_emphasis', flattenDeepEmphasis);
  parser.core.ruler.push('mention', markMentions);
  parser.renderer.rules.mention = (tokens, index, _options, env) => {
    const token = tokens[index]!;
    const me = nameKey(String(token.meta?.['name'])) === (env as RenderEnv).selfKey;
    const name = parser.utils.escapeHtml(token.content);
    return `<span class="mention${me ? ' me' : ''}">${name}</span>`;
  };
  // The message keeps its whitespace (white-space: pre-wrap), so the line breaks markdown-it
  // writes for readability would show: breaks are a bare <br>, and newlines between tags go.
  parser.renderer.rules.softbreak = () => '<br>';
  parser.renderer.rules.hardbreak = () => '<br>';
  return parser;
}

/** The parser for `text`: without the syntax it has too many markers of to try. */
function parserFor(text: string): MarkdownParser {
  const off: string[] = [];
  if (count(text, /\[/g) > MAX_BRACKETS_FOR_LINKS) off.push('link');
  if (count(text, /[*_~]/g) > MAX_DELIMITERS_FOR_EMPHASIS) off.push('emphasis', 'strikethrough');
  const key = off.join(' ');
  let parser = parsers.get(key);
  if (!parser) {
    parser = chatMarkdown();
    if (off.length > 0) parser.disable(off);
    parsers.set(key, parser);
  }
  return parser;
}

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

const NEWLINES_BETWEEN_TAGS = />\n+</g;

/** The HTML of `text` (not yet sanitised: see sanitize.ts). */
export function markdownToHtml(text: string, mentions: MentionContext): string {
  const env: RenderEnv = { peerNames: mentions.peerNames, selfKey: nameKey(mentions.selfName) };
  return parserFor(text).render(text, env).replace(NEWLINES_BETWEEN_TAGS, '><').trimEnd();
}

/**
 * Links go only to http(s) pages, and never with a user name or password in them (the classic
 * way to disguise where a link goes): `javascript:`, `data:`, `file:` and the rest stay text.
 */
export function isSafeLink(href: string): boolean {
  if (!URL.canParse(href)) return false;
  const url = new URL(href);
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.hostname !== '' &&
    url.username === '' &&
    url.password === ''
  );
}

/** Splits the text outside links and code at each @mention of someone in the room. */
function markMentions(state: StateCore): void {
  const env = state.env as RenderEnv;
  if (env.peerNames.length === 0) return;
  for (const block of state.tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    let inLink = 0;
    const children: Token[] = [];
    for (const token of block.children) {
      if (token.type === 'link_open') inLink++;
      else if (token.type === 'link_close') inLink--;
      if (token.type !== 'text' || inLink > 0 || !token.content.includes('@')) {
        children.push(token);
        continue;
      }
      for (const part of linkify(token.content, env.peerNames)) {
        const piece = new state.Token(part.kind === 'mention' ? 'mention' : 'text', '', 0);
        piece.content = part.text;
        if (part.kind === 'mention') piece.meta = { name: part.name };
        children.push(piece);
      }
    }
    block.children = children;
  }
}

const EMPHASIS = new Set(['strong', 'em', 's']);

/** Emphasis nested deeper than MAX_EMPHASIS_DEPTH shows its markers as text instead. */
function flattenDeepEmphasis(state: StateCore): void {
  for (const block of state.tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    // Whether each open emphasis was flattened, so its close is treated alike.
    const open: boolean[] = [];
    for (const token of block.children) {
      if (!EMPHASIS.has(token.tag)) continue;
      if (token.nesting === 1) {
        const flatten = open.length >= MAX_EMPHASIS_DEPTH;
        open.push(flatten);
        if (flatten) asText(token);
      } else if (token.nesting === -1 && open.pop()) {
        asText(token);
      }
    }
  }
}

function asText(token: Token): void {
  token.type = 'text';
  token.tag = '';
  token.nesting = 0;
  token.content = token.markup;
}

/**
 * What a message says without its formatting, on one line (a reply's preview of what it answers,
 * a notification): the text of every inline run, code included, blocks joined by spaces.
 */
export function markdownToPlainText(text: string): string {
  const parts: string[] = [];
  const env: RenderEnv = { peerNames: [], selfKey: '' };
  for (const block of parserFor(text).parse(text, env)) {
    if (block.type !== 'inline' || !block.children) {
      if (block.type === 'fence' || block.type === 'code_block') parts.push(block.content);
      continue;
    }
    for (const token of block.children) {
      if (token.type === 'text' || token.type === 'code_inline') parts.push(token.content);
      else if (token.type === 'softbreak' || token.type === 'hardbreak') parts.push(' ');
    }
    parts.push(' ');
  }
  return parts.join('').replace(/\s+/gu, ' ').trim();
}
