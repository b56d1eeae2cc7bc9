/**
 * The room screen: a header with the room's name, the addresses others join by (each with a copy
 * button) above the room's fingerprint to compare aloud, and Leave; the connection banner; the
 * conversations and the people (beside the conversation, or in a drawer on a narrow screen); the
 * conversation on screen with its header, its messages, who is typing and the composer. It only
 * shows state and raises events; parley-app talks to the bridge. It also tells when the
 * conversation on screen has been read: its end in view while the window has the focus.
 */
import { LitElement, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { repeat } from 'lit/directives/repeat.js';
import type { RoomAddress } from '../../../protocol/bridge';
import type { OutgoingMessage } from '../../../protocol/client/client-types';
import { lastShownSeq } from '../../conversation-log';
import { conversationLabel, unreadTotals } from '../../conversation-views';
import {
  activeTypers,
  currentConversation,
  logOf,
  nextTypingExpiry,
  olderBeforeSeq,
  typingIn,
  GENERAL,
} from '../../room-state';
import type { PresenceLine, RoomState } from '../../room-state';
import { TimelineBuilder } from '../../timeline';
import type { TimelineRow } from '../../timeline';
import type { ConversationSidebar } from '../conversation-sidebar/conversation-sidebar';
import type { PeerList } from '../peer-list/peer-list';
import { emit } from '../shared/events';
import type { ParleyEvent } from '../shared/events';
import { ExpiryController } from '../shared/expiry-controller';
import { sharedStyles } from '../shared/shared.styles';
import { NARROW, roomViewStyles } from './room-view.styles';
import '../connection-banner/connection-banner';
import '../conversation-header/conversation-header';
import '../conversation-sidebar/conversation-sidebar';
import '../copy-button/copy-button';
import '../identity-fingerprint/identity-fingerprint';
import '../invite-panel/invite-panel';
import '../message-composer/message-composer';
import '../message-list/message-list';
import '../peer-list/peer-list';

const NO_PRESENCE: readonly PresenceLine[] = [];
const numberFormat = new Intl.NumberFormat();

@customElement('room-view')
export class RoomView extends LitElement {
  static override styles = [sharedStyles, roomViewStyles];

  @property({ attribute: false }) state: RoomState | undefined;
  /** The conversations whose older entries are being loaded. */
  @property({ attribute: false }) loadingOlder: ReadonlySet<string> = new Set();
  /** Why the last send failed, as a sentence; shown under the composer. */
  @property({ type: String, attribute: 'send-error' }) sendError = '';
  @state() confirmingClose = false;
  @state() showInvites = false;
  /** The narrow layout's drawer with the conversations and the people is open. */
  @state() drawerOpen = false;
  /** The message list on screen shows its newest entry. */
  @state() atEnd = true;
  /** The window has the focus and is visible: what is on screen is being looked at. */
  @state() focused = pageIsLookedAt();

  /** One per conversation, so going back to one rebuilds nothing. */
  readonly #timelines = new Map<string, TimelineBuilder>();
  #outbox: { all: OutgoingMessage[]; conv: string; mine: OutgoingMessage[] } | undefined;
  #names: { peers: RoomState['peers']; names: string[] } | undefined;

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
    void this.updateComplete.then(() => this.renderRoot.querySelector('message-composer')?.focus());
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('focus', this.#onPageAttention);
    window.addEventListener('blur', this.#onPageAttention);
    document.addEventListener('visibilitychange', this.#onPageAttention);
    this.focused = pageIsLookedAt();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
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
    const typers = typingLine(activeTypers({ typing }, Date.now()), state);
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
        <section class="chat" aria-label=${label || 'Conversation'}>
          <conversation-header .view=${view} .selfId=${state.self?.id}></conversation-header>
          ${keyed(
            `${state.room?.id ?? ''}\n${conv}`,
            html`<message-list
              .conv=${conv}
              .rows=${this.#rows(state)}
              .roomName=${label}
              .peerNames=${this.#peerNames(state)}
              .selfName=${state.self?.name ?? ''}
              .historySeq=${logOf(state, conv).historySeq}
              .hasOlder=${olderBeforeSeq(state) !== undefined}
              .olderBefore=${olderBeforeSeq(state) ?? 0}
              .loadingOlder=${this.loadingOlder.has(conv)}
            ></message-list>`,
          )}
          <p class="typing-line" aria-live="off">${typers}</p>
          <message-composer
            .draftKey=${conv}
            .placeholder=${`Message ${label}`}
            .disabled=${state.connection === 'closed'}
            .error=${this.sendError}
          ></message-composer>
        </section>
      </div>
    `;
  }

  #rows(state: RoomState): TimelineRow[] {
    const conv = state.current;
    let builder = this.#timelines.get(conv);
    if (!builder) {
      builder = new TimelineBuilder();
      this.#timelines.set(conv, builder);
    }
    return builder.rows({
      entries: logOf(state, conv).entries,
      presence: conv === GENERAL ? state.presence : NO_PRESENCE,
      outbox: this.#outboxOf(state.outbox, conv),
      self: state.self,
    });
  }

  /** This conversation's part of the outbox: the same array while the outbox is the same. */
  #outboxOf(all: OutgoingMessage[], conv: string): OutgoingMessage[] {
    if (this.#outbox?.all !== all || this.#outbox.conv !== conv) {
      this.#outbox = { all, conv, mine: all.filter((entry) => entry.conv === conv) };
    }
    return this.#outbox.mine;
  }

  #peerNames(state: RoomState): string[] {
    if (this.#names?.peers !== state.peers) {
      this.#names = { peers: state.peers, names: state.peers.map((peer) => peer.name) };
    }
    return this.#names.names;
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

/** Who else is typing, in a sentence; empty when nobody is. */
function typingLine(typers: RoomState['peers'], state: RoomState): string {
  const names = typers.filter((peer) => peer.id !== state.self?.id).map((peer) => peer.name);
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return 'Several people are typing…';
}

declare global {
  interface HTMLElementTagNameMap {
    'room-view': RoomView;
  }
}
