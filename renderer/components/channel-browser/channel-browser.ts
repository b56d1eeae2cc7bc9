/**
 * A dialog listing every channel of the room with its topic: Join for a channel this person is
 * not in (which then opens it), Open for one they are. A refusal shows as a sentence by the list.
 */
import { LitElement, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ConversationView } from '../../../protocol/bridge';
import { describeError } from '../../bridges/bridge-error';
import { allChannels, conversationLabel } from '../../conversation-views';
import { ask, emit } from '../shared/events';
import { dialogStyles } from '../shared/dialog.styles';
import { sharedStyles } from '../shared/shared.styles';
import { channelBrowserStyles } from './channel-browser.styles';

@customElement('channel-browser')
export class ChannelBrowser extends LitElement {
  static override styles = [sharedStyles, dialogStyles, channelBrowserStyles];

  @property({ attribute: false }) conversations: ConversationView[] = [];
  @state() error = '';
  /** The channel being joined. */
  @state() joining: string | undefined;

  @query('dialog') private dialog!: HTMLDialogElement;

  get open(): boolean {
    return this.dialog?.open ?? false;
  }

  async show(): Promise<void> {
    this.error = '';
    await this.updateComplete;
    if (!this.dialog.open) this.dialog.showModal();
  }

  close(): void {
    this.dialog?.close();
  }

  protected override render(): TemplateResult {
    const channels = allChannels(this.conversations);
    return html`<dialog aria-labelledby="browse-title">
      <div class="dialog-head">
        <h2 id="browse-title">Channels</h2>
        <button class="quiet small" @click=${() => this.close()}>Close</button>
      </div>
      <ul class="channels">
        ${repeat(
          channels,
          (view) => view.id,
          (view) => this.#channel(view),
        )}
      </ul>
      ${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : nothing}
    </dialog>`;
  }

  #channel(view: ConversationView): TemplateResult {
    const label = conversationLabel(view);
    return html`<li data-conv=${view.id}>
      <div class="about">
        <span class="name">${label}</span>
        ${view.topic ? html`<span class="topic">${view.topic}</span>` : nothing}
      </div>
      ${
        view.member
          ? html`<button
              class="small"
              aria-label=${`Open ${label}`}
              @click=${() => this.#open(view)}
            >
              Open
            </button>`
          : html`<button
              class="small primary"
              aria-label=${`Join ${label}`}
              ?disabled=${this.joining !== undefined}
              @click=${() => this.#join(view)}
            >
              ${this.joining === view.id ? 'Joining…' : 'Join'}
            </button>`
      }
    </li>`;
  }

  #open(view: ConversationView): void {
    emit(this, 'open-conversation', { conv: view.id });
    this.close();
  }

  async #join(view: ConversationView): Promise<void> {
    this.error = '';
    this.joining = view.id;
    try {
      await ask(this, 'join-channel', { conv: view.id });
      this.close();
    } catch (error) {
      this.error = describeError(error);
    } finally {
      this.joining = undefined;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'channel-browser': ChannelBrowser;
  }
}
