/**
 * The room screen: a header with the room's name, search, the addresses others join by (each with
 * a copy button) above the room's fingerprint to compare aloud, and Leave; the connection banner;
 * the conversations and the people (beside the conversation, or in a drawer on a narrow screen);
 * the conversation on screen (conversation-pane). It only shows state and raises events;
 * parley-app talks to the bridge. It also tells when the conversation on screen has been read:
 * its end in view while the window has the focus. Ctrl+K or Ctrl+F opens the search.
 */
import { LitElement, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { RoomAddress } from '../../../protocol/bridge';
import { lastShownSeq } from '../../conversation-log';
import { conversationLabel, unreadTotals } from '../../conversation-views';
import { currentConversation, logOf, nextTypingExpiry, typingIn, GENERAL } from '../../room-state';
import type { RoomState } from '../../room-state';
import type { ConversationPane } from '../conversation-pane/conversation-pane';
import type { ConversationSidebar } from '../conversation-sidebar/conversation-sidebar';
import type { FileLinks } from '../message-list/message-files';
import type { PeerList } from '../peer-list/peer-list';
import type { SearchDialog } from '../search-dialog/search-dialog';
import { emit } from '../shared/events';
import type { ParleyEvent } from '../shared/events';
import { ExpiryController } from '../shared/expiry-controller';
import { sharedStyles } from '../shared/shared.styles';
import { NARROW, roomViewStyles } from './room-view.styles';
import '../connection-banner/connection-banner';
import '../conversation-pane/conversation-pane';
import '../conversation-sidebar/conversation-sidebar';
import '../copy-button/copy-button';
import '../identity-fingerprint/identity-fingerprint';
import '../invite-panel/invite-panel';
import '../peer-list/peer-list';
import '../search-dialog/search-dialog';

const numberFormat = new Intl.NumberFormat();

@customElement('room-view')
export class RoomView extends LitElement {
  static override styles = [sharedStyles, roomViewStyles];

  @property({ attribute: false }) state: RoomState | undefined;
  /** The conversations whose older entries are being loaded. */
  @property({ attribute: false }) loadingOlder: ReadonlySet<string> = new Set();
  /** Why the last send failed, as a sentence; shown under the composer. */
  @property({ type: String, attribute: 'send-error' }) sendError = '';
  /** Where files load from, and who downloads them (parley-app knows the bridge). */
  @property({ attribute: false }) fileLinks: FileLinks = {
    href: (path) => path,
    appDownloads: false,
  };
  @state() confirmingClose = false;
  @state() showInvites = false;
  /** The narrow layout's drawer with the conversations and the people is open. */
  @state() drawerOpen = false;
  /** The message list on screen shows its newest entry. */
  @state() atEnd = true;
  /** The window has the focus and is visible: what is on screen is being looked at. */
  @state() focused = pageIsLookedAt();

  constructor() {
    super();
    new ExpiryController(
      this,
      () =>
        this.state &&
        nextTypingExpiry({ typing: typingIn(this.state, this.state.current) }, Date.now()),
    );
    this.addEventListener('list-at-end', this.#onListAtEnd);
  }

  /** Puts the cursor in the composer. */
  focusComposer(): void {
    void this.updateComplete.then(() => this.#pane?.focusComposer());
  }

  /** Shows message `seq` of the conversation on screen; false when it is not loaded. */
  async showMessage(seq: number): Promise<boolean> {
    await this.updateComplete;
    return (await this.#pane?.showMessage(seq)) ?? false;
  }

  /** Opens the search. */
  openSearch(): void {
    void this.renderRoot.querySelector<SearchDialog>('search-dialog')?.show();
  }

  get #pane(): ConversationPane | null {
    return this.renderRoot.querySelector('conversation-pane');
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this.#onWindowKeyDown);
    window.addEventListener('focus', this.#onPageAttention);
    window.addEventListener('blur', this.#onPageAttention);
    document.addEventListener('visibilitychange', this.#onPageAttention);
    this.focused = pageIsLookedAt();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this.#onWindowKeyDown);
    window.removeEventListener('focus', this.#onPageAttention);
    window.removeEventListener('blur', this.#onPageAttention);
    document.removeEventListener('visibilitychange', this.#onPageAttention);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const previous = changed.get('state');
    if (previous && previous.current !== this.state?.current) this.drawerOpen = false;
  }

  protected override updated(): void {
    this.#markReadIfSeen();
  }

  protected override render(): TemplateResult {
    const state = this.state;
    if (!state) return html``;
    const roomName = state.room?.name ?? 'Room';
    const view = currentConversation(state);
    const conv = state.current;
    const label = conversationLabel(view) || (conv === GENERAL ? '#general' : '');
    const typing = typingIn(state, conv);
    return html`
      <header>
        ${this.#drawerToggle(state)}
        <div class="title">
          <h1 title=${roomName}>${roomName}</h1>
          <p class="subtitle">
            <button class="people link" @click=${this.#showPeople}>
              ${peopleText(Math.max(state.peerCount, state.peers.length))}
            </button>
            ${state.hosting ? html` · <span class="badge">You are hosting</span>` : nothing}
          </p>
        </div>
        <button
          class="search quiet"
          aria-label="Search messages"
          title="Search messages (Ctrl+K)"
          aria-keyshortcuts="Control+K Control+F"
          @click=${() => this.openSearch()}
        >
          <svg viewBox="0 0 24 24" aria-hidden="true">
            <circle cx="11" cy="11" r="6.5" />
            <path d="M16 16l4.5 4.5" />
          </svg>
        </button>
        ${this.#whereToJoin(state)}
        ${
          state.invites.length > 0
            ? html`<button
                aria-expanded=${this.showInvites ? 'true' : 'false'}
                aria-controls="invites"
                @click=${() => (this.showInvites = !this.showInvites)}
              >
                ${this.showInvites ? 'Hide invites' : 'Invite people'}
              </button>`
            : nothing
        }
        ${this.#leaveControls(state.hosting)}
      </header>
      ${
        this.showInvites && state.invites.length > 0
          ? html`<invite-panel
              id="invites"
              .invites=${state.invites}
              .fingerprint=${state.fingerprint}
            ></invite-panel>`
          : nothing
      }
      <connection-banner
        .connection=${state.connection}
        .gap=${state.gaps.has(conv)}
        .roomChange=${state.roomChange}
        .notice=${state.notice?.message ?? ''}
      ></connection-banner>
      <div class="body">
        <aside
          id="side"
          class=${this.drawerOpen ? 'open' : ''}
          aria-label="Conversations and people"
          @keydown=${this.#onSideKeyDown}
        >
          <conversation-sidebar
            .conversations=${state.conversations}
            .current=${conv}
            .reading=${this.atEnd && this.focused}
          ></conversation-sidebar>
          <peer-list
            .peers=${state.peers}
            .peerCount=${state.peerCount}
            .selfId=${state.self?.id}
            .typing=${typing}
          ></peer-list>
        </aside>
        ${
          this.drawerOpen
            ? html`<div
                class="scrim"
                aria-hidden="true"
                @click=${() => (this.drawerOpen = false)}
              ></div>`
            : nothing
        }
        <conversation-pane
          class="chat"
          role="region"
          aria-label=${label || 'Conversation'}
          .state=${state}
          .loadingOlder=${this.loadingOlder.has(conv)}
          .sendError=${this.sendError}
          .fileLinks=${this.fileLinks}
        ></conversation-pane>
      </div>
      <search-dialog .conversations=${state.conversations}></search-dialog>
    `;
  }

  /** The narrow layout's way to the conversations and people (hidden when they are beside). */
  #drawerToggle(state: RoomState): TemplateResult {
    const others = state.conversations.filter((view) => view.id !== state.current);
    const { unread } = unreadTotals(others);
    const label =
      unread > 0 ? `Conversations and people, ${unread} unread` : 'Conversations and people';
    return html`<button
      class="drawer-toggle quiet"
      aria-label=${label}
      title="Conversations and people"
      aria-controls="side"
      aria-expanded=${this.drawerOpen ? 'true' : 'false'}
      @click=${() => this.#toggleDrawer()}
    >
      <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 6h16M4 12h16M4 18h16" /></svg>
      ${unread > 0 ? html`<span class="dot" aria-hidden="true"></span>` : nothing}
    </button>`;
  }

  #toggleDrawer(): void {
    this.drawerOpen = !this.drawerOpen;
    if (this.drawerOpen) this.#focusInSide('conversation-sidebar');
  }

  #showPeople = (): void => {
    // Beside the conversation they are in view already; on a narrow screen they are in the drawer.
    if (window.matchMedia(NARROW).matches) this.drawerOpen = true;
    this.#focusInSide('peer-list');
  };

  #focusInSide(tag: 'conversation-sidebar' | 'peer-list'): void {
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<ConversationSidebar | PeerList>(tag)?.focus(),
    );
  }

  #onSideKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || !this.drawerOpen) return;
    this.drawerOpen = false;
    this.renderRoot.querySelector<HTMLButtonElement>('.drawer-toggle')?.focus();
  };

  #onWindowKeyDown = (event: KeyboardEvent): void => {
    const key = event.key.toLowerCase();
    if (!(event.ctrlKey || event.metaKey) || event.altKey || (key !== 'k' && key !== 'f')) return;
    // The app's own search, not the browser's find-in-page, which cannot see virtualised rows.
    event.preventDefault();
    this.openSearch();
  };

  #onListAtEnd = (event: ParleyEvent<'list-at-end'>): void => {
    if (event.detail.conv === this.state?.current) this.atEnd = event.detail.atEnd;
  };

  #onPageAttention = (): void => {
    this.focused = pageIsLookedAt();
  };

  /** The conversation on screen counts as read up to its newest entry while it is looked at. */
  #markReadIfSeen(): void {
    const state = this.state;
    const view = state && currentConversation(state);
    // Offline too: the session keeps the marker until it is connected again.
    if (!state || !view || !this.atEnd || !this.focused) return;
    const seq = Math.max(view.lastSeq, lastShownSeq(logOf(state, view.id)));
    if (seq > view.readSeq) emit(this, 'mark-read', { conv: view.id, seq });
  }

  /** The addresses to join by, and below them the fingerprint to compare (each when known). */
  #whereToJoin(state: RoomState): TemplateResult | typeof nothing {
    if (state.addresses.length === 0 && !state.fingerprint) return nothing;
    return html`<div class="where">
      ${this.#addresses(state.addresses)}
      ${
        state.fingerprint
          ? html`<identity-fingerprint
              .fingerprint=${state.fingerprint}
              label="Fingerprint"
            ></identity-fingerprint>`
          : nothing
      }
    </div>`;
  }

  #addresses(addresses: RoomAddress[]): TemplateResult | typeof nothing {
    if (addresses.length === 0) return nothing;
    return html`
      <ul class="addresses" aria-label="Addresses to join this room">
        ${repeat(
          addresses,
          (entry) => entry.address,
          (entry) => html`
            <li title=${entry.interfaceName}>
              <code>${entry.address}</code>
              <copy-button
                .value=${entry.address}
                .label=${`Copy address ${entry.address}`}
              ></copy-button>
            </li>
          `,
        )}
      </ul>
    `;
  }

  #leaveControls(hosting: boolean): TemplateResult {
    if (!hosting) {
      return html`<button class="leave" @click=${() => emit(this, 'leave-room', {})}>
        Leave
      </button>`;
    }
    if (!this.confirmingClose) {
      return html`<button class="leave" @click=${() => (this.confirmingClose = true)}>
        Close room
      </button>`;
    }
    return html`<div class="confirm" role="group" aria-label="Close the room for everyone?">
      <span>End the room for everyone?</span>
      <button class="danger small" @click=${() => emit(this, 'leave-room', {})}>Close room</button>
      <button class="small" @click=${() => (this.confirmingClose = false)}>Cancel</button>
    </div>`;
  }
}

function pageIsLookedAt(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus();
}

function peopleText(count: number): string {
  return count === 1 ? '1 person' : `${numberFormat.format(count)} people`;
}

declare global {
  interface HTMLElementTagNameMap {
    'room-view': RoomView;
  }
}
