/**
 * The conversations this person is in: their channels (`general` first) and their direct
 * conversations, each with its unread count and a marker when one of those messages mentions
 * them; the one on screen is highlighted. One tab stop: arrow keys, Home and End move between
 * conversations, Enter or Space opens one. Buttons above the channels browse every channel of the
 * room (to join one) and create a new one.
 */
import { LitElement, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { ConversationView } from '../../../protocol/bridge';
import { conversationLabel, emphasised, sidebarGroups } from '../../conversation-views';
import { badgeCount } from '../shared/badge';
import { emit } from '../shared/events';
import { sharedStyles } from '../shared/shared.styles';
import type { ChannelBrowser } from '../channel-browser/channel-browser';
import type { ChannelCreate } from '../channel-create/channel-create';
import { conversationSidebarStyles } from './conversation-sidebar.styles';
import '../channel-browser/channel-browser';
import '../channel-create/channel-create';

@customElement('conversation-sidebar')
export class ConversationSidebar extends LitElement {
  static override styles = [sharedStyles, conversationSidebarStyles];

  @property({ attribute: false }) conversations: ConversationView[] = [];
  /** The id of the conversation on screen. */
  @property({ type: String }) current = '';
  /**
   * The conversation on screen is being read (its end in view, the window focused): its count
   * would only flicker until the read marker catches up, so it is not shown.
   */
  @property({ type: Boolean }) reading = false;
  /** The conversation the arrow keys moved to: the list's one tab stop until another opens. */
  @state() private roving: string | undefined;

  @query('channel-browser') private browser!: ChannelBrowser;
  @query('channel-create') private creator!: ChannelCreate;

  /** Puts focus on the conversation on screen (the narrow layout's drawer opens here). */
  override focus(): void {
    const buttons = this.#buttons();
    (buttons.find((button) => button.tabIndex === 0) ?? buttons[0])?.focus();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('current')) this.roving = undefined;
  }

  protected override render(): TemplateResult {
    const { channels, directs } = sidebarGroups(this.conversations);
    const listed = (id: string | undefined) =>
      id !== undefined && [...channels, ...directs].some((view) => view.id === id);
    const tabStop = listed(this.roving)
      ? this.roving
      : listed(this.current)
        ? this.current
        : channels[0]?.id;
    return html`
      <nav aria-label="Conversations" @keydown=${this.#onKeyDown}>
        <div class="group-head">
          <h2 id="channels-title">Channels</h2>
          <button
            class="quiet icon"
            aria-label="Browse channels"
            title="Browse channels"
            @click=${() => this.browser.show()}
          >
            <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 6h16M4 12h16M4 18h10" /></svg>
          </button>
          <button
            class="quiet icon"
            aria-label="New channel"
            title="New channel"
            @click=${() => this.creator.show()}
          >
            <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 5v14M5 12h14" /></svg>
          </button>
        </div>
        <ul aria-labelledby="channels-title">
          ${this.#items(channels, tabStop)}
        </ul>
        <div class="group-head">
          <h2 id="directs-title">Direct messages</h2>
        </div>
        ${
          directs.length > 0
            ? html`<ul aria-labelledby="directs-title">
                ${this.#items(directs, tabStop)}
              </ul>`
            : html`<p class="hint">Choose a person under “In the room” to talk to them alone.</p>`
        }
      </nav>
      <channel-browser .conversations=${this.conversations}></channel-browser>
      <channel-create></channel-create>
    `;
  }

  #items(views: ConversationView[], tabStop: string | undefined): TemplateResult {
    return html`${repeat(
      views,
      (view) => view.id,
      (view) => this.#item(view, view.id === tabStop),
    )}`;
  }

  #item(view: ConversationView, tabStop: boolean): TemplateResult {
    const current = view.id === this.current;
    const unread = current && this.reading ? 0 : view.unread;
    const mentioned = unread > 0 && view.mentioned;
    const label = conversationLabel(view);
    // A muted conversation's unread messages are counted, quietly, unless one mentions you.
    const loud = unread > 0 && emphasised(view);
    const counts = [
      unread > 0 && (unread === 1 ? '1 unread message' : `${unread} unread messages`),
      mentioned && 'mentions you',
      view.muted && 'muted',
    ].filter(Boolean);
    return html`<li>
      <button
        class="conversation ${current ? 'current' : ''} ${loud ? 'unread' : ''} ${view.muted ? 'muted' : ''}"
        data-conv=${view.id}
        aria-label=${[label, ...counts].join(', ')}
        aria-current=${current ? 'page' : 'false'}
        tabindex=${tabStop ? '0' : '-1'}
        @click=${() => this.#open(view.id)}
      >
        <span class="label" title=${label}>${label}</span>
        ${mentioned ? html`<span class="mention" aria-hidden="true">@</span>` : nothing}
        ${
          unread > 0
            ? html`<span class="count ${loud ? '' : 'quiet'}" aria-hidden="true"
                >${badgeCount(unread)}</span
              >`
            : nothing
        }
      </button>
    </li>`;
  }

  #open(conv: string): void {
    emit(this, 'open-conversation', { conv });
  }

  #buttons(): HTMLButtonElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLButtonElement>('button.conversation')];
  }

  #onKeyDown = (event: KeyboardEvent): void => {
    const buttons = this.#buttons();
    const at = buttons.indexOf((this.renderRoot as ShadowRoot).activeElement as HTMLButtonElement);
    if (at < 0) return;
    const last = buttons.length - 1;
    const target = {
      ArrowDown: Math.min(last, at + 1),
      ArrowUp: Math.max(0, at - 1),
      Home: 0,
      End: last,
    }[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const button = buttons[target]!;
    this.roving = button.dataset['conv'];
    button.focus();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'conversation-sidebar': ConversationSidebar;
  }
}
