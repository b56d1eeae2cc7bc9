/**
 * Search (Ctrl+K or Ctrl+F): what was said in every conversation this person reads, newest
 * first, grouped by conversation, the words found marked. Choosing a result shows the message in
 * its conversation (older history is loaded when needed) and closes the dialog.
 */
import { LitElement, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { ConversationView, SearchHit } from '../../../protocol/bridge';
import { describeError } from '../../bridges/bridge-error';
import { conversationLabel } from '../../conversation-views';
import { snippetParts } from '../../search-snippet';
import { formatDay, formatTime } from '../../timeline';
import { ask, emit } from '../shared/events';
import { dialogStyles } from '../shared/dialog.styles';
import { sharedStyles } from '../shared/shared.styles';
import { searchDialogStyles } from './search-dialog.styles';

/** Typing pauses this long before the search goes out. */
export const SEARCH_DELAY_MS = 250;

interface HitGroup {
  conv: string;
  hits: SearchHit[];
}

@customElement('search-dialog')
export class SearchDialog extends LitElement {
  static override styles = [sharedStyles, dialogStyles, searchDialogStyles];

  @property({ attribute: false }) conversations: readonly ConversationView[] = [];
  @state() hits: SearchHit[] | undefined;
  @state() busy = false;
  @state() error = '';
  @state() searched = '';

  @query('dialog') private dialog!: HTMLDialogElement;
  @query('input') private input!: HTMLInputElement;

  #timer: ReturnType<typeof setTimeout> | undefined;
  #asked = 0;
  /** The words of the search in flight. */
  #asking: string | undefined;

  async show(): Promise<void> {
    await this.updateComplete;
    if (!this.dialog.open) this.dialog.showModal();
    this.input.select();
  }

  close(): void {
    clearTimeout(this.#timer);
    this.dialog?.close();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#timer);
  }

  protected override render(): TemplateResult {
    return html`<dialog aria-labelledby="search-title">
      <div class="dialog-head">
        <h2 id="search-title">Search messages</h2>
        <button class="quiet small" aria-label="Close search" @click=${() => this.close()}>
          ✕
        </button>
      </div>
      <form role="search" @submit=${this.#onSubmit}>
        <label class="visually-hidden" for="search-words">Words to find</label>
        <input
          id="search-words"
          type="search"
          autocomplete="off"
          placeholder="Words to find (“a phrase” in quotes)"
          @input=${this.#onInput}
        />
      </form>
      ${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : nothing}
      <div class="results" aria-live="polite" aria-busy=${this.busy ? 'true' : 'false'}>
        ${this.#results()}
      </div>
    </dialog>`;
  }

  #results(): TemplateResult | typeof nothing {
    const hits = this.hits;
    if (!hits) return nothing;
    if (hits.length === 0) {
      return html`<p class="none">Nothing found for “${this.searched}”.</p>`;
    }
    return html`${groupByConversation(hits).map(
      (group) =>
        html`<section aria-label=${this.#label(group.conv)}>
          <h3>${this.#label(group.conv)}</h3>
          <ul>
            ${group.hits.map((hit) => this.#hit(hit))}
          </ul>
        </section>`,
    )}`;
  }

  #hit(hit: SearchHit): TemplateResult {
    return html`<li>
      <button class="hit" data-conv=${hit.conv} data-seq=${hit.seq} @click=${() => this.#open(hit)}>
        <span class="hit-meta">
          <span class="hit-author">${hit.from.name}</span>
          <time datetime=${new Date(hit.ts).toISOString()}
            >${formatDay(hit.ts)} ${formatTime(hit.ts)}</time
          >
        </span>
        <span class="snippet" dir="auto"
          >${snippetParts(hit.snippet).map((part) =>
            part.match ? html`<mark>${part.text}</mark>` : part.text,
          )}</span
        >
      </button>
    </li>`;
  }

  #label(conv: string): string {
    const view = this.conversations.find((candidate) => candidate.id === conv);
    return conversationLabel(view) || (conv === 'general' ? '#general' : 'A conversation');
  }

  #onInput = (): void => {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#search(), SEARCH_DELAY_MS);
  };

  #onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    clearTimeout(this.#timer);
    void this.#search();
  };

  async #search(): Promise<void> {
    const q = this.input.value.trim();
    // Enter after the pause already sent these words: they are asked (or answered) once.
    if (q !== '' && (q === this.#asking || (q === this.searched && !this.busy && !this.error))) {
      return;
    }
    const asked = ++this.#asked;
    if (q === '') {
      this.hits = undefined;
      this.error = '';
      return;
    }
    this.busy = true;
    this.#asking = q;
    try {
      const hits = await ask(this, 'search', { q });
      if (asked !== this.#asked) return;
      this.hits = hits;
      this.searched = q;
      this.error = '';
    } catch (error) {
      if (asked !== this.#asked) return;
      this.error = describeError(error);
    } finally {
      if (asked === this.#asked) {
        this.busy = false;
        this.#asking = undefined;
      }
    }
  }

  #open(hit: SearchHit): void {
    this.close();
    emit(this, 'jump-to-message', { conv: hit.conv, seq: hit.seq });
  }
}

/** Hits by conversation, conversations in the order of their newest hit. */
function groupByConversation(hits: readonly SearchHit[]): HitGroup[] {
  const groups = new Map<string, HitGroup>();
  for (const hit of hits) {
    const group = groups.get(hit.conv) ?? { conv: hit.conv, hits: [] };
    group.hits.push(hit);
    groups.set(hit.conv, group);
  }
  return [...groups.values()];
}

declare global {
  interface HTMLElementTagNameMap {
    'search-dialog': SearchDialog;
  }
}
