/** A search hit's snippet as parts to show: plain text, and the matches to mark. */
import { MATCH_END, MATCH_START } from '../protocol/wire/entries';

export interface SnippetPart {
  text: string;
  match: boolean;
}

/**
 * Splits a snippet at its marks (U+E000 before a match, U+E001 after it). Marks that do not pair
 * up are dropped, never shown; the text is never read as markup.
 */
export function snippetParts(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let match = false;
  let text = '';
  for (const char of snippet) {
    if (char === MATCH_START || char === MATCH_END) {
      const opens = char === MATCH_START;
      if (opens !== match) {
        if (text) parts.push({ text, match });
        text = '';
        match = opens;
      }
      continue;
    }
    text += char;
  }
  if (text) parts.push({ text, match: false });
  return parts;
}
