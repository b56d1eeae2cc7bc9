/**
 * Where messages are written. Enter sends, Shift+Enter starts a new line; a counter appears near
 * the length limit and a message over it is refused; `composer-typing` fires at most every 2 s.
 * Each conversation keeps its own draft: switching to another and back finds it as it was left.
 */
import { LitElement, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { DEFAULT_LIMITS } from '../../../protocol/wire/limits';
import { codePointLength } from '../../../protocol/wire/text';
import { emit } from '../shared/events';
import { sharedStyles } from '../shared/shared.styles';
import { messageComposerStyles } from './message-composer.styles';

/** The counter shows once a message is this close to the limit. */
export const COUNTER_MARGIN = 500;
export const TYPING_INTERVAL_MS = 2000;

const numberFormat = new Intl.NumberFormat();

@customElement('message-composer')
export class MessageComposer extends LitElement {
  static override styles = [sharedStyles, messageComposerStyles];

  @property({ type: Number, attribute: 'max-length' }) maxLength = DEFAULT_LIMITS.maxTextLength;
  @property({ type: String }) placeholder = 'Write a message';
  @property({ type: Boolean, reflect: true }) disabled = false;
  /** A send error from the room (e.g. rate limited), shown under the field. */
  @property({ type: String }) error = '';
  /** Whose draft is in the field (the conversation's id). */
  @property({ type: String, attribute: 'draft-key' }) draftKey = '';
  @state() value = '';
  @state() localError = '';

  #lastTypingAt = Number.NEGATIVE_INFINITY;
  /** The drafts of the conversations not on screen, by draft key. */
  readonly #drafts = new Map<string, string>();

  override focus(): void {
    this.#textarea?.focus();
  }

  get #textarea(): HTMLTextAreaElement | null {
    return this.renderRoot.querySelector('textarea');
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('draftKey')) return;
    const previous = changed.get('draftKey');
    if (previous !== undefined && this.value !== '') this.#drafts.set(previous, this.value);
    this.value = this.#drafts.get(this.draftKey) ?? '';
    this.#drafts.delete(this.draftKey);
    this.localError = '';
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
    const empty = this.value.trim().length === 0;
    return html`
      <form @submit=${this.#onSubmit}>
        <label for="message" class="visually-hidden">Message</label>
        <textarea
          id="message"
          rows="1"
          .value=${live(this.value)}
          placeholder=${this.placeholder}
          ?disabled=${this.disabled}
          aria-invalid=${over ? 'true' : 'false'}
          aria-describedby="composer-status"
          @input=${this.#onInput}
          @keydown=${this.#onKeyDown}
        ></textarea>
        <button
          class="send primary"
          type="submit"
          aria-label="Send"
          title="Send (Enter)"
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
            <path d="M5 12h14M13 6l6 6-6 6" />
          </svg>
        </button>
      </form>
      <div class="below" id="composer-status">
        ${error ? html`<p class="error" role="alert">${error}</p>` : html`<span class="keys">Enter to send · Shift+Enter for a new line</span>`}
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

  #onInput = (event: Event): void => {
    this.value = (event.target as HTMLTextAreaElement).value;
    if (this.localError && codePointLength(this.value) <= this.maxLength) this.localError = '';
    if (this.value.trim().length === 0) return;
    const now = Date.now();
    if (now - this.#lastTypingAt >= TYPING_INTERVAL_MS) {
      this.#lastTypingAt = now;
      emit(this, 'composer-typing', {});
    }
  };

  #onKeyDown = (event: KeyboardEvent): void => {
    // While an input method is composing, Enter picks a candidate; it must not send.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    this.#send();
  };

  #onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    this.#send();
  };

  #send(): void {
    if (this.disabled) return;
    const text = this.value.trim();
    if (text.length === 0) return;
    const length = codePointLength(text);
    if (length > this.maxLength) {
      this.localError = `That message is too long: ${numberFormat.format(length)} characters, and the limit is ${numberFormat.format(this.maxLength)}.`;
      return;
    }
    this.localError = '';
    this.value = '';
    // The next keystroke after a send is a new bout of typing.
    this.#lastTypingAt = Number.NEGATIVE_INFINITY;
    emit(this, 'send-message', { text });
  }

  #fitHeight(): void {
    const textarea = this.#textarea;
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
