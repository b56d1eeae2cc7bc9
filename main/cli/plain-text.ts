/**
 * A message's Markdown as plain text for the terminal, parsed by markdown-it (the same parser as
 * the app's, HTML off) rather than by guessing at asterisks: emphasis and code markers go, code
 * keeps its text, list items start with `- ` (or their number), quotes with `> `, and a link
 * shows its address after its words when they differ.
 */
import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';

const markdown = new MarkdownIt({ html: false, linkify: false });

/** `text` without its Markdown markup. */
export function plainText(text: string): string {
  const blocks: string[] = [];
  let line = '';
  const prefixes: string[] = [];
  const ordered: number[] = [];
  let itemStart = false;

  const prefix = () => prefixes.join('');
  const flush = () => {
    if (line !== '') blocks.push(line);
    line = '';
  };
  const write = (words: string) => {
    if (line === '') {
      line = prefix();
      if (itemStart) {
        const number = ordered.at(-1);
        line += number !== undefined && number > 0 ? `${number}. ` : '- ';
        itemStart = false;
      }
    }
    line += words;
  };

  for (const token of markdown.parse(text, {})) {
    switch (token.type) {
      case 'inline':
        writeInline(token.children ?? [], write, () => {
          flush();
        });
        break;
      case 'paragraph_close':
      case 'heading_close':
        flush();
        break;
      case 'fence':
      case 'code_block':
        flush();
        for (const codeLine of token.content.replace(/\n$/, '').split('\n')) {
          blocks.push(`${prefix()}    ${codeLine}`);
        }
        break;
      case 'blockquote_open':
        prefixes.push('> ');
        break;
      case 'blockquote_close':
        prefixes.pop();
        break;
      case 'bullet_list_open':
        ordered.push(0);
        break;
      case 'ordered_list_open':
        ordered.push(Number(token.attrGet('start') ?? 1) || 1);
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        ordered.pop();
        break;
      case 'list_item_open':
        itemStart = true;
        break;
      case 'list_item_close': {
        const last = ordered.length - 1;
        if ((ordered[last] ?? 0) > 0) ordered[last] = (ordered[last] ?? 0) + 1;
        break;
      }
      case 'hr':
        flush();
        blocks.push('---');
        break;
    }
  }
  flush();
  return blocks.join('\n');
}

function writeInline(tokens: Token[], write: (words: string) => void, newline: () => void): void {
  let href: string | undefined;
  let linkWords = '';
  for (const token of tokens) {
    switch (token.type) {
      case 'text':
      case 'code_inline':
        if (href !== undefined) linkWords += token.content;
        write(token.content);
        break;
      case 'softbreak':
      case 'hardbreak':
        newline();
        break;
      case 'link_open':
        href = String(token.attrGet('href') ?? '') || undefined;
        linkWords = '';
        break;
      case 'link_close':
        if (href !== undefined && href !== linkWords && `mailto:${linkWords}` !== href) {
          write(` (${href})`);
        }
        href = undefined;
        break;
      case 'image':
        write(token.content || String(token.attrGet('src') ?? ''));
        break;
    }
  }
}
