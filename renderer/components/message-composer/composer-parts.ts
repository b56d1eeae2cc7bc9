/**
 * The parts of the composer around its field: what is being answered or edited (with a way to
 * call it off), the files waiting to go, and the people `@` offers.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { formatSize } from '../../files/file-format';

/** A message the composer answers (reply) or changes (edit). */
export interface ComposeContext {
  kind: 'reply' | 'edit';
  seq: number;
  /** Who wrote it. */
  author: string;
  /** Its text (edit: what the field starts with; reply: shown as a preview). */
  text: string;
}

export function contextTemplate(
  context: ComposeContext | undefined,
  cancel: () => void,
): TemplateResult | typeof nothing {
  if (!context) return nothing;
  const editing = context.kind === 'edit';
  return html`<div class="context" role="status">
    <span class="context-label">
      ${editing ? 'Editing your message' : html`Replying to <strong>${context.author}</strong>`}
    </span>
    ${editing ? nothing : html`<span class="context-text" dir="auto">${context.text}</span>`}
    <button
      class="quiet small"
      type="button"
      aria-label=${editing ? 'Cancel editing' : 'Cancel reply'}
      title="Cancel (Escape)"
      @click=${cancel}
    >
      ✕
    </button>
  </div>`;
}

export function attachmentsTemplate(
  files: readonly File[],
  remove: (index: number) => void,
): TemplateResult | typeof nothing {
  if (files.length === 0) return nothing;
  return html`<ul class="attachments" aria-label="Files to send">
    ${files.map(
      (file, index) =>
        html`<li>
          <span class="attachment-name" title=${file.name} dir="auto"
            >${file.name || 'pasted'}</span
          >
          <span class="attachment-size">${formatSize(file.size)}</span>
          <button
            class="quiet small"
            type="button"
            aria-label=${`Remove ${file.name || 'pasted file'}`}
            @click=${() => remove(index)}
          >
            ✕
          </button>
        </li>`,
    )}
  </ul>`;
}

export function mentionMenuTemplate(
  names: readonly string[],
  active: number,
  pick: (name: string) => void,
): TemplateResult {
  // Always in the DOM (empty when closed), so the field's aria-controls names something.
  return html`<ul
    id="mentions"
    class="mentions"
    role="listbox"
    aria-label="People to mention"
    ?hidden=${names.length === 0}
  >
    ${names.map(
      (name, index) =>
        html`<li
          id=${`mention-${index}`}
          role="option"
          aria-selected=${index === active ? 'true' : 'false'}
          @mousedown=${(event: MouseEvent) => {
            // Keeps the focus (and the caret) in the field.
            event.preventDefault();
            pick(name);
          }}
        >
          @${name}
        </li>`,
    )}
  </ul>`;
}
