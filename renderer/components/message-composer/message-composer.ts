/**
 * Where messages are written. Enter sends, Shift+Enter starts a new line; a counter appears near
 * the length limit and a message over it is refused; `composer-typing` fires at most every 2 s.
 * Each conversation keeps its own draft: switching to another and back finds it as it was left.
 *
 * It also answers and changes messages: with a reply it shows what is answered above the field;
 * editing puts the message's text in the field (Up arrow in an empty field edits one's last
 * message; Escape calls either off). Typing `@` offers the people of the room to mention. Files
 * picked, pasted or dropped on the window wait beside the field and go out with the message.
 */
import { LitElement, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { DEFAULT_LIMITS } from '../../../protocol/wire/limits';
import { codePointLength } from '../../../protocol/wire/text';
import { completeMention, mentionCandidates, mentionQueryAt } from '../../mention-query';
import type { MentionQuery } from '../../mention-query';
import { emit } from '../shared/events';
import { sharedStyles } from '../shared/shared.styles';
import { attachmentsTemplate, contextTemplate, mentionMenuTemplate } from './composer-parts';
import type { ComposeContext } from './composer-parts';
import { messageComposerStyles } from './message-composer.styles';

export type { ComposeContext } from './composer-parts';

/** The counter shows once a message is this close to the limit. */
export const COUNTER_MARGIN = 500;
export const TYPING_INTERVAL_MS = 2000;

const numberFormat = new Intl.NumberFormat();

@customElement('message-composer')
export class MessageComposer extends LitElement {
  static override styles = [sharedStyles, messageComposerStyles];

  @property({ type: Number, attribute: 'max-length' }) maxLength = DEFAULT_LIMITS.maxTextLength;
  @property({ type: Number, attribute: 'max-files' }) maxFiles = DEFAULT_LIMITS.maxFilesPerMessage;
  @property({ type: String }) placeholder = 'Write a message';
  @property({ type: Boolean, reflect: true }) disabled = false;
  /** A send error from the room (e.g. rate limited), shown under the field. */
  @property({ type: String }) error = '';
  /** Whose draft is in the field (the conversation's id). */
  @property({ type: String, attribute: 'draft-key' }) draftKey = '';
  /** A message being answered or changed, shown above the field. */
  @property({ attribute: false }) context: ComposeContext | undefined;
  /** The names `@` offers (the people of the room but this person). */
  @property({ attribute: false }) mentionable: readonly string[] = [];
  @state() value = '';
  @state() localError = '';
  /** Files waiting to go out with the message. */
  @state() files: File[] = [];
  @state() mention: MentionQuery | undefined;
  @state() mentionIndex = 0;

  @query('textarea') private textarea!: HTMLTextAreaElement | null;
  @query('input[type=file]') private picker!: HTMLInputElement | null;

  #lastTypingAt = Number.NEGATIVE_INFINITY;
  /** The drafts of the conversations not on screen, by draft key. */
  readonly #drafts = new Map<string, string>();
  /** The draft set aside while a message is edited, put back afterwards. */
  #setAside: string | undefined;

  override focus(): void {
    this.textarea?.focus();
  }

  /** Adds files to go out with the next message (dropped on the window, say). */
  addFiles(files: readonly File[]): void {
    const room = this.maxFiles - this.files.length;
    if (files.length > room) {
      this.localError = `At most ${this.maxFiles} files go with one message.`;
    }
    if (room > 0) this.files = [...this.files, ...files.slice(0, room)];
    this.focus();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('context')) this.#contextChanged(changed.get('context'));
    if (!changed.has('draftKey')) return;
    const previous = changed.get('draftKey');
    if (previous !== undefined && this.value !== '') this.#drafts.set(previous, this.value);
    this.value = this.#drafts.get(this.draftKey) ?? '';
    this.#drafts.delete(this.draftKey);
    this.localError = '';
    this.files = [];
    this.mention = undefined;
    // Typing here is news to another conversation's members.
    this.#lastTypingAt = Number.NEGATIVE_INFINITY;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('value')) this.#fitHeight();
  }

  protected override render(): TemplateResult {
    const length = codePointLength(this.value);
    const over = length > this.maxLength;
    const showCounter = length >= this.maxLength - COUNTER_MARGIN;
    const error = this.localError || this.error;
    const empty = this.value.trim().length === 0 && this.files.length === 0;
    const candidates = this.#candidates();
    const editing = this.context?.kind === 'edit';
    return html`
      ${contextTemplate(this.context, () => emit(this, 'compose-cancel', {}))}
      ${attachmentsTemplate(this.files, (index) => this.#removeFile(index))}
      ${mentionMenuTemplate(candidates, this.mentionIndex, (name) => this.#pickMention(name))}
      <form @submit=${this.#onSubmit}>
        ${
          editing
            ? nothing
            : html`<button
                  class="attach quiet"
                  type="button"
                  aria-label="Attach files"
                  title="Attach files"
                  ?disabled=${this.disabled}
                  @click=${() => this.picker?.click()}
                >
                  <svg
                    viewBox="0 0 24 24"
                    aria-hidden="true"
                    fill="none"
                    stroke="currentColor"
                    stroke-width="2"
                    stroke-linecap="round"
                    stroke-linejoin="round"
                  >
                    <path
                      d="M21 11.5l-8.6 8.6a5 5 0 0 1-7.1-7.1l8.6-8.6a3.3 3.3 0 0 1 4.7 4.7l-8.6 8.6a1.7 1.7 0 0 1-2.4-2.4l7.9-7.9"
                    />
                  </svg>
                </button>
                <input type="file" multiple hidden tabindex="-1" @change=${this.#onPicked} />`
        }
        <label for="message" class="visually-hidden">Message</label>
        <textarea
          id="message"
          rows="1"
          .value=${live(this.value)}
          placeholder=${editing ? 'Edit your message' : this.placeholder}
          ?disabled=${this.disabled}
          aria-invalid=${over ? 'true' : 'false'}
          aria-describedby="composer-status"
          aria-autocomplete="list"
          aria-expanded=${candidates.length > 0 ? 'true' : 'false'}
          aria-controls="mentions"
          aria-activedescendant=${candidates.length > 0 ? `mention-${this.mentionIndex}` : ''}
          @input=${this.#onInput}
          @keydown=${this.#onKeyDown}
          @click=${this.#updateMention}
          @paste=${this.#onPaste}
          @blur=${() => (this.mention = undefined)}
        ></textarea>
        <button
          class="send primary"
          type="submit"
          aria-label=${editing ? 'Save' : 'Send'}
          title=${editing ? 'Save (Enter)' : 'Send (Enter)'}
          ?disabled=${this.disabled || over || empty}
        >
          <svg
            viewBox="0 0 24 24"
            aria-hidden="true"
            fill="none"
            stroke="currentColor"
            stroke-width="2.2"
            stroke-linecap="round"
            stroke-linejoin="round"
          >
            <path d=${editing ? 'M5 13l4 4L19 7' : 'M5 12h14M13 6l6 6-6 6'} />
          </svg>
        </button>
      </form>
      <div class="below" id="composer-status">
        ${error ? html`<p class="error" role="alert">${error}</p>` : html`<span class="keys">${this.#keysHint()}</span>`}
        ${
          showCounter
            ? html`<span class="counter ${over ? 'over' : ''}"
                >${numberFormat.format(length)} /
                ${numberFormat.format(this.maxLength)}${
                  over
                    ? html` · ${numberFormat.format(length - this.maxLength)} over the limit`
                    : nothing
                }</span
              >`
            : nothing
        }
      </div>
    `;
  }

  #keysHint(): string {
    if (this.context) return 'Enter to send · Escape to cancel';
    return 'Enter to send · Shift+Enter for a new line';
  }

  #contextChanged(previous: ComposeContext | undefined): void {
    const next = this.context;
    if (previous?.kind === 'edit' && next?.kind !== 'edit') {
      // Back from editing: the draft that was there before comes back.
      this.value = this.#setAside ?? '';
      this.#setAside = undefined;
    }
    if (next?.kind === 'edit' && (previous?.kind !== 'edit' || previous.seq !== next.seq)) {
      if (previous?.kind !== 'edit') this.#setAside = this.value;
      this.value = next.text;
      this.files = [];
    }
    this.localError = '';
    if (next) void this.updateComplete.then(() => this.#focusAtEnd());
  }

  #candidates(): string[] {
    if (!this.mention) return [];
    return mentionCandidates(this.mentionable, this.mention.query);
  }

  #onInput = (event: Event): void => {
    this.value = (event.target as HTMLTextAreaElement).value;
    if (this.localError && codePointLength(this.value) <= this.maxLength) this.localError = '';
    this.#updateMention();
    if (this.value.trim().length === 0 || this.context?.kind === 'edit') return;
    const now = Date.now();
    if (now - this.#lastTypingAt >= TYPING_INTERVAL_MS) {
      this.#lastTypingAt = now;
      emit(this, 'composer-typing', {});
    }
  };

  #updateMention = (): void => {
    const textarea = this.textarea;
    if (!textarea) return;
    const found = mentionQueryAt(textarea.value, textarea.selectionStart);
    if (found?.start !== this.mention?.start) this.mentionIndex = 0;
    this.mention = found;
  };

  #onKeyDown = (event: KeyboardEvent): void => {
    // While an input method is composing, keys pick candidates: they are not ours.
    if (event.isComposing) return;
    const candidates = this.#candidates();
    if (candidates.length > 0 && this.#onMentionKey(event, candidates)) return;
    if (event.key === 'Escape' && this.context) {
      event.preventDefault();
      emit(this, 'compose-cancel', {});
      return;
    }
    if (event.key === 'ArrowUp' && this.value === '' && this.files.length === 0 && !this.context) {
      event.preventDefault();
      emit(this, 'edit-last', {});
      return;
    }
    if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
      // The caret moves after this event: look where it went then.
      requestAnimationFrame(this.#updateMention);
    }
    if (event.key !== 'Enter' || event.shiftKey) return;
    event.preventDefault();
    this.#send();
  };

  /** Keys while people to mention are offered; true when the key was theirs. */
  #onMentionKey(event: KeyboardEvent, candidates: string[]): boolean {
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        const step = event.key === 'ArrowDown' ? 1 : -1;
        this.mentionIndex = (this.mentionIndex + step + candidates.length) % candidates.length;
        break;
      }
      case 'Enter':
      case 'Tab':
        this.#pickMention(candidates[this.mentionIndex] ?? candidates[0]!);
        break;
      case 'Escape':
        this.mention = undefined;
        break;
      default:
        return false;
    }
    event.preventDefault();
    return true;
  }

  #pickMention(name: string): void {
    const mention = this.mention;
    if (!mention) return;
    const { text, caret } = completeMention(this.value, mention, name);
    this.value = text;
    this.mention = undefined;
    void this.updateComplete.then(() => {
      this.textarea?.focus();
      this.textarea?.setSelectionRange(caret, caret);
    });
  }

  #onPaste = (event: ClipboardEvent): void => {
    const files = [...(event.clipboardData?.files ?? [])];
    if (files.length === 0 || this.context?.kind === 'edit') return;
    // An image copied from somewhere pastes as a file (and often as its name too): the file wins.
    event.preventDefault();
    this.addFiles(files);
  };

  #onPicked = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    this.addFiles([...(input.files ?? [])]);
    // The same file picked again is a new pick.
    input.value = '';
  };

  #removeFile(index: number): void {
    this.files = this.files.filter((_, at) => at !== index);
    if (this.localError) this.localError = '';
    this.focus();
  }

  #onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    this.#send();
  };

  #send(): void {
    if (this.disabled) return;
    const text = this.value.trim();
    const files = this.files;
    if (text.length === 0 && files.length === 0) return;
    const length = codePointLength(text);
    if (length > this.maxLength) {
      this.localError = `That message is too long: ${numberFormat.format(length)} characters, and the limit is ${numberFormat.format(this.maxLength)}.`;
      return;
    }
    const context = this.context;
    this.localError = '';
    this.mention = undefined;
    if (context?.kind === 'edit') {
      // The draft set aside comes back when the owner ends the edit (context cleared).
      emit(this, 'edit-message', { seq: context.seq, text });
      return;
    }
    this.value = '';
    this.files = [];
    // The next keystroke after a send is a new bout of typing.
    this.#lastTypingAt = Number.NEGATIVE_INFINITY;
    const replyTo = context?.kind === 'reply' ? { replyTo: context.seq } : {};
    if (files.length > 0) emit(this, 'send-files', { text, files, ...replyTo });
    else emit(this, 'send-message', { text, ...replyTo });
  }

  #focusAtEnd(): void {
    const textarea = this.textarea;
    if (!textarea) return;
    textarea.focus();
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
  }

  #fitHeight(): void {
    const textarea = this.textarea;
    if (!textarea) return;
    textarea.style.height = 'auto';
    textarea.style.height = `${textarea.scrollHeight}px`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'message-composer': MessageComposer;
  }
}
