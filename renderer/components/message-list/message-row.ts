/**
 * The template of one message in the list: who and when, the message it answers, its text as
 * formatted Markdown (sanitised, cached per message), "(edited)", its files, its reactions and
 * what can be done with it (react, reply, and for one's own: edit, delete). Buttons carry a
 * `data-action` and the list handles every click in one place (message-list.ts), so a row's
 * template holds no listener and can be reused as long as the message is the same object.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import type { TextEntry } from '../../../protocol/wire/entries';
import type { MessageHtmlCache } from '../../markdown/message-html';
import { formatTime } from '../../timeline';
import { hueOf, initialOf } from '../shared/avatar';
import { filesTemplate, type FileLinks } from './message-files';
import { reactionsTemplate } from './message-reactions';
import { plainPreview } from './plain-preview';

export interface MessageRowContext {
  selfId: string | undefined;
  html: MessageHtmlCache;
  /** A person's name by peer id (who reacted). */
  nameOf(peerId: string): string;
  /** Message `seq` of this conversation, when the list holds it (what a reply answers). */
  original(seq: number): TextEntry | undefined;
  files: FileLinks;
  /** The message shown as the target of a jump (highlighted for a moment). */
  highlighted: number | undefined;
}

export interface MessageRowInput {
  message: TextEntry;
  own: boolean;
  /** Follows a message of the same author closely: no name, no avatar. */
  grouped: boolean;
}

export function messageRowTemplate(
  row: MessageRowInput,
  context: MessageRowContext,
): TemplateResult {
  const { message, own, grouped } = row;
  const time = html`<time datetime=${new Date(message.ts).toISOString()}
    >${formatTime(message.ts)}</time
  >`;
  const highlighted = context.highlighted === message.seq;
  return html`
    <div
      class="row msg ${own ? 'own' : ''} ${grouped ? 'grouped' : ''} ${highlighted ? 'highlight' : ''}"
      role="listitem"
      data-seq=${message.seq}
    >
      ${own ? nothing : avatar(message.from.name, grouped)}
      <div class="content">
        ${
          grouped
            ? nothing
            : html`<div class="meta">
                <span class="author">${own ? 'You' : message.from.name}</span>${time}
              </div>`
        }
        ${message.replyTo === undefined ? nothing : replyQuote(message.replyTo, context)}
        ${
          message.deleted
            ? html`<div class="bubble deleted"><p class="text">Message deleted</p></div>`
            : html`<div class="bubble">
                ${message.text === '' ? nothing : formatted(context.html.html(message.seq, message.text))}${
                  message.edited === undefined
                    ? nothing
                    : html`<span
                        class="edited"
                        title=${`Edited ${new Date(message.edited).toLocaleString()}`}
                        >(edited)</span
                      >`
                }
                ${filesTemplate(message.files, context.files)}
              </div>`
        }
        ${message.deleted ? nothing : reactionsTemplate(message, context)}
      </div>
      ${grouped ? html`<span class="side-time">${time}</span>` : nothing}
      ${message.deleted ? nothing : actions(own)}
    </div>
  `;
}

/** Sanitised HTML (message-html.ts) of a message's text. */
export function formatted(sanitised: string): TemplateResult {
  return html`<div class="text" dir="auto">${unsafeHTML(sanitised)}</div>`;
}

function replyQuote(seq: number, context: MessageRowContext): TemplateResult {
  const original = context.original(seq);
  const label = original
    ? `Reply to ${original.from.name}: ${original.deleted ? 'a deleted message' : plainPreview(original.text)}`
    : 'Reply to an earlier message';
  return html`<button
    class="quote"
    data-action="jump"
    data-target=${seq}
    title="Show the original"
    aria-label=${label}
  >
    ${
      original
        ? html`<span class="quote-author">${original.from.name}</span>
            <span class="quote-text" dir="auto"
              >${original.deleted ? 'Message deleted' : plainPreview(original.text)}</span
            >`
        : html`<span class="quote-text">An earlier message</span>`
    }
  </button>`;
}

function actions(own: boolean): TemplateResult {
  return html`<div class="actions" role="toolbar" aria-label="Message actions">
    <button class="quiet small" data-action="react" aria-label="Add a reaction" title="React">
      ☺
    </button>
    <button class="quiet small" data-action="reply" aria-label="Reply" title="Reply">↩</button>
    ${
      own
        ? html`<button class="quiet small" data-action="edit" aria-label="Edit" title="Edit">
              ✎
            </button>
            <button class="quiet small" data-action="delete" aria-label="Delete" title="Delete">
              🗑
            </button>`
        : nothing
    }
  </div>`;
}

export function avatar(name: string, grouped: boolean): TemplateResult {
  if (grouped) return html`<span class="avatar-space"></span>`;
  return html`<span
    class="avatar"
    aria-hidden="true"
    style=${styleMap({ '--hue': String(hueOf(name)) })}
    >${initialOf(name)}</span
  >`;
}
