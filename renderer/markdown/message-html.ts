/**
 * The sanitised HTML of each message, kept per message (its seq, or a pending message's say id)
 * with the text it was made from: the list renders the rows in view many times a second, and
 * each should cost a lookup, not a parse and a sanitise. An edit changes the text, which makes
 * a new one. Mentions depend on who is in the room, so a change of names starts over.
 */
import { markdownToHtml, type MentionContext } from './message-markdown';
import { sanitizeMessageHtml } from './sanitize';

/** Messages kept; the list shows a few dozen at a time, and scrolling back refills it. */
const DEFAULT_CAPACITY = 5000;

/** Renders and sanitises one message's text (both steps, so nothing unsanitised escapes). */
export function messageHtml(text: string, mentions: MentionContext): string {
  return sanitizeMessageHtml(markdownToHtml(text, mentions));
}

export class MessageHtmlCache {
  readonly #capacity: number;
  #entries = new Map<string | number, { text: string; html: string }>();
  #peerNames: readonly string[] = [];
  #selfName = '';

  constructor(capacity = DEFAULT_CAPACITY) {
    this.#capacity = capacity;
  }

  /** Starts over when the names mentions are found by changed (compared by identity). */
  useMentions(mentions: MentionContext): void {
    if (mentions.peerNames === this.#peerNames && mentions.selfName === this.#selfName) return;
    this.#peerNames = mentions.peerNames;
    this.#selfName = mentions.selfName;
    this.#entries = new Map();
  }

  /** The HTML of message `key` showing `text`. */
  html(key: string | number, text: string): string {
    const held = this.#entries.get(key);
    if (held && held.text === text) return held.html;
    const html = messageHtml(text, { peerNames: this.#peerNames, selfName: this.#selfName });
    // The Map keeps the order they were made in: the oldest goes first.
    this.#entries.delete(key);
    this.#entries.set(key, { text, html });
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    return html;
  }
}
