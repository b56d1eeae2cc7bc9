/**
 * Above a conversation: its name and topic. Members of a channel may change its topic, its
 * creator may rename it, and anyone may leave a channel other than `general`; each in place, with
 * the host's refusal shown as a sentence. A direct conversation just says whom it is with. Any
 * conversation can be muted: no unread emphasis, no notification, except when it mentions you.
 */
import { LitElement, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ConversationView } from '../../../protocol/bridge';
import { describeError } from '../../bridges/bridge-error';
import { canLeave, canRename, canSetTopic, conversationLabel } from '../../conversation-views';
import { channelNameField, parseField, topicField } from '../../form-schemas';
import { ask, emit } from '../shared/events';
import { sharedStyles } from '../shared/shared.styles';
import { conversationHeaderStyles } from './conversation-header.styles';

type Editing = 'topic' | 'name' | undefined;

@customElement('conversation-header')
export class ConversationHeader extends LitElement {
  static override styles = [sharedStyles, conversationHeaderStyles];

  @property({ attribute: false }) view: ConversationView | undefined;
  @property({ attribute: false }) selfId: string | undefined;
  @state() editing: Editing;
  @state() error = '';
  @state() busy = false;

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Another conversation: whatever was being edited belonged to the one before.
    if (changed.has('view') && changed.get('view')?.id !== this.view?.id) {
      this.editing = undefined;
      this.error = '';
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('editing') && this.editing) {
      this.renderRoot.querySelector<HTMLInputElement>('form input')?.select();
    }
  }

  protected override render(): TemplateResult {
    const view = this.view;
    if (!view) return html``;
    const label = conversationLabel(view);
    return html`
      <div class="heading">
        <h2 title=${label}>${label}</h2>
        ${this.#about(view)}
      </div>
      ${this.editing ? this.#form(view, this.editing) : this.#tools(view)}
      ${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : nothing}
    `;
  }

  #about(view: ConversationView): TemplateResult {
    if (view.kind === 'direct') {
      return html`<p class="topic muted">Direct conversation: only the two of you see it</p>`;
    }
    return view.topic
      ? html`<p class="topic" title=${view.topic}>${view.topic}</p>`
      : html`<p class="topic muted">No topic</p>`;
  }

  #tools(view: ConversationView): TemplateResult {
    const topic = canSetTopic(view);
    const rename = canRename(view, this.selfId);
    const leave = canLeave(view);
    return html`<div class="tools">
      <button
        class="small quiet mute"
        aria-pressed=${view.muted ? 'true' : 'false'}
        title=${view.muted ? 'Notify me again' : 'No notifications unless you are mentioned'}
        @click=${() => emit(this, 'set-muted', { conv: view.id, muted: !view.muted })}
      >
        ${view.muted ? 'Unmute' : 'Mute'}
      </button>
      ${topic ? html`<button class="small quiet" @click=${() => this.#edit('topic')}>Edit topic</button>` : nothing}
      ${rename ? html`<button class="small quiet" @click=${() => this.#edit('name')}>Rename</button>` : nothing}
      ${
        leave
          ? html`<button
              class="small quiet"
              ?disabled=${this.busy}
              @click=${() => this.#leave(view)}
            >
              Leave channel
            </button>`
          : nothing
      }
    </div>`;
  }

  #form(view: ConversationView, editing: 'topic' | 'name'): TemplateResult {
    const isTopic = editing === 'topic';
    return html`<form class="edit" @submit=${(event: SubmitEvent) => this.#save(event, view)}>
      <label for="edit-field" class="visually-hidden">
        ${isTopic ? 'Topic' : 'Channel name'}
      </label>
      <input
        id="edit-field"
        name="value"
        autocomplete="off"
        .value=${(isTopic ? view.topic : view.name) ?? ''}
        placeholder=${isTopic ? 'What this channel is about' : 'Channel name'}
        @keydown=${this.#onKeyDown}
      />
      <button class="small primary" type="submit" ?disabled=${this.busy}>Save</button>
      <button class="small" type="button" @click=${() => this.#edit(undefined)}>Cancel</button>
    </form>`;
  }

  #edit(editing: Editing): void {
    this.error = '';
    this.editing = editing;
  }

  #onKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    this.#edit(undefined);
  };

  async #save(event: SubmitEvent, view: ConversationView): Promise<void> {
    event.preventDefault();
    const editing = this.editing;
    const input = this.renderRoot.querySelector<HTMLInputElement>('#edit-field');
    if (!editing || !input || this.busy) return;
    const parsed = parseField(editing === 'topic' ? topicField : channelNameField, input.value);
    if (!parsed.ok) {
      this.error = parsed.error;
      return;
    }
    await this.#run(async () => {
      if (editing === 'topic') await ask(this, 'set-topic', { conv: view.id, topic: parsed.value });
      else await ask(this, 'rename-channel', { conv: view.id, name: parsed.value });
      this.editing = undefined;
    });
  }

  async #leave(view: ConversationView): Promise<void> {
    await this.#run(() => ask(this, 'leave-channel', { conv: view.id }));
  }

  async #run(request: () => Promise<void>): Promise<void> {
    this.error = '';
    this.busy = true;
    try {
      await request();
    } catch (error) {
      this.error = describeError(error);
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'conversation-header': ConversationHeader;
  }
}
