/**
 * A small picker of reactions: the emoji people use most, and a search by name (`party` finds 🎉).
 * Opens beside the button that asked for it; Escape, a click outside or a choice closes it. The
 * choice is raised as `emoji-picked` with what it was opened for.
 */
import { LitElement, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { FREQUENT_EMOJI, searchEmoji, type EmojiChoice } from '../../emoji/emoji-search';
import { sharedStyles } from '../shared/shared.styles';
import { emojiPickerStyles } from './emoji-picker.styles';

export interface PickerAnchor {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface EmojiPickedDetail<T> {
  emoji: string;
  /** What the picker was opened for (the message to react to). */
  target: T;
}

const WIDTH = 300;
const HEIGHT = 280;

@customElement('emoji-picker')
export class EmojiPicker<T = unknown> extends LitElement {
  static override styles = [sharedStyles, emojiPickerStyles];

  @state() query = '';
  @state() results: EmojiChoice[] = [];
  @state() searching = false;
  @state() position = { left: 0, top: 0 };

  @query('dialog') private dialog!: HTMLDialogElement;
  @query('input') private input!: HTMLInputElement;

  #target: T | undefined;
  #search = 0;

  /** Opens beside `anchor` (a button's box on screen), for `target`. */
  async open(anchor: PickerAnchor, target: T): Promise<void> {
    this.#target = target;
    this.query = '';
    this.results = [];
    this.position = placeBeside(anchor);
    await this.updateComplete;
    if (!this.dialog.open) this.dialog.showModal();
    this.input.focus();
  }

  close(): void {
    this.dialog?.close();
  }

  protected override render(): TemplateResult {
    return html`<dialog
      aria-label="Pick a reaction"
      style="left: ${this.position.left}px; top: ${this.position.top}px"
      @click=${this.#onDialogClick}
    >
      <div class="frequent" role="group" aria-label="Frequent reactions">
        ${FREQUENT_EMOJI.map((emoji) => this.#choice({ emoji, label: emoji }))}
      </div>
      <label class="visually-hidden" for="emoji-search">Search emoji by name</label>
      <input
        id="emoji-search"
        type="search"
        autocomplete="off"
        placeholder="Search emoji"
        .value=${this.query}
        @input=${this.#onInput}
        @keydown=${this.#onKeyDown}
      />
      <div class="results" role="group" aria-label="Emoji found" aria-live="polite">
        ${this.results.map((choice) => this.#choice(choice))}
        ${
          this.query.trim() && !this.searching && this.results.length === 0
            ? html`<p class="none">No emoji called “${this.query.trim()}”.</p>`
            : nothing
        }
      </div>
    </dialog>`;
  }

  #choice(choice: EmojiChoice): TemplateResult {
    return html`<button
      class="emoji quiet"
      type="button"
      title=${choice.label}
      aria-label=${choice.label === choice.emoji ? choice.emoji : `${choice.emoji} ${choice.label}`}
      @click=${() => this.#pick(choice.emoji)}
    >
      ${choice.emoji}
    </button>`;
  }

  #onInput = async (event: Event): Promise<void> => {
    this.query = (event.target as HTMLInputElement).value;
    const search = ++this.#search;
    this.searching = true;
    const results = await searchEmoji(this.query);
    // A newer search started meanwhile: its answer is the one to show.
    if (search !== this.#search) return;
    this.results = results;
    this.searching = false;
  };

  #onKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    const first = this.results[0];
    if (first) this.#pick(first.emoji);
  };

  #onDialogClick = (event: MouseEvent): void => {
    // A click on the backdrop lands on the dialog itself, outside its box.
    if (event.target !== this.dialog) return;
    const box = this.dialog.getBoundingClientRect();
    const inside =
      event.clientX >= box.left &&
      event.clientX <= box.right &&
      event.clientY >= box.top &&
      event.clientY <= box.bottom;
    if (!inside) this.close();
  };

  #pick(emoji: string): void {
    const target = this.#target;
    this.close();
    if (target === undefined) return;
    const detail: EmojiPickedDetail<T> = { emoji, target };
    this.dispatchEvent(new CustomEvent('emoji-picked', { detail, bubbles: true, composed: true }));
  }
}

/** Below the anchor when there is room, else above it; always inside the window. */
function placeBeside(anchor: PickerAnchor): { left: number; top: number } {
  const margin = 8;
  const below = anchor.bottom + 4;
  const top =
    below + HEIGHT <= window.innerHeight - margin
      ? below
      : Math.max(margin, anchor.top - HEIGHT - 4);
  const left = Math.min(
    Math.max(margin, anchor.right - WIDTH),
    Math.max(margin, window.innerWidth - WIDTH - margin),
  );
  return { left, top };
}

declare global {
  interface HTMLElementTagNameMap {
    'emoji-picker': EmojiPicker;
  }
}
