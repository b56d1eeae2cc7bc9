/**
 * The room screen: a header with the room's name, the addresses others join by (each with a copy
 * button) above the room's fingerprint to compare aloud, and Leave; the connection banner; who is
 * here; the conversation and the composer. It only shows state and raises events; parley-app
 * talks to the bridge.
 */
import { LitElement, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { RoomAddress } from '../../../protocol/bridge';
import { activeTypers, nextTypingExpiry, olderBeforeSeq } from '../../room-state';
import type { RoomState } from '../../room-state';
import { TimelineBuilder } from '../../timeline';
import { emit } from '../shared/events';
import { ExpiryController } from '../shared/expiry-controller';
import { sharedStyles } from '../shared/shared.styles';
import { roomViewStyles } from './room-view.styles';
import '../connection-banner/connection-banner';
import '../copy-button/copy-button';
import '../identity-fingerprint/identity-fingerprint';
import '../invite-panel/invite-panel';
import '../message-composer/message-composer';
import '../message-list/message-list';
import '../peer-list/peer-list';

@customElement('room-view')
export class RoomView extends LitElement {
  static override styles = [sharedStyles, roomViewStyles];

  @property({ attribute: false }) state: RoomState | undefined;
  @property({ type: Boolean, attribute: 'loading-older' }) loadingOlder = false;
  /** Why the last send failed, as a sentence; shown under the composer. */
  @property({ type: String, attribute: 'send-error' }) sendError = '';
  @state() confirmingClose = false;
  @state() showInvites = false;

  /** Rebuilds only what changed, so typing and banners stay cheap and new messages cost little. */
  readonly #timeline = new TimelineBuilder();
  #names: { peers: RoomState['peers']; names: string[] } | undefined;

  constructor() {
    super();
    new ExpiryController(this, () => this.state && nextTypingExpiry(this.state, Date.now()));
  }

  /** Puts the cursor in the composer. */
  focusComposer(): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector('message-composer')?.focus());
  }

  #peerNames(state: RoomState): string[] {
    if (this.#names?.peers !== state.peers) {
      this.#names = { peers: state.peers, names: state.peers.map((peer) => peer.name) };
    }
    return this.#names.names;
  }

  protected override render(): TemplateResult {
    const state = this.state;
    if (!state) return html``;
    const roomName = state.room?.name ?? 'Room';
    return html`
      <header>
        <div class="title">
          <h1 title=${roomName}>${roomName}</h1>
          <p class="subtitle">
            ${state.peers.length === 1 ? '1 person' : `${state.peers.length} people`}
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
        .gap=${state.gap}
        .roomChange=${state.roomChange}
        .notice=${state.notice?.message ?? ''}
      ></connection-banner>
      <div class="body">
        <aside aria-label="People">
          <peer-list
            .peers=${state.peers}
            .selfId=${state.self?.id}
            .typing=${state.typing}
          ></peer-list>
        </aside>
        <section class="chat" aria-label="Conversation">
          <message-list
            .rows=${this.#timeline.rows(state)}
            .roomName=${roomName}
            .peerNames=${this.#peerNames(state)}
            .selfName=${state.self?.name ?? ''}
            .historySeq=${state.historySeq}
            .hasOlder=${olderBeforeSeq(state) !== undefined}
            .loadingOlder=${this.loadingOlder}
          ></message-list>
          <p class="typing-line" aria-live="off">${typingLine(state)}</p>
          <message-composer
            .placeholder=${`Message ${roomName}`}
            .disabled=${state.connection === 'closed'}
            .error=${this.sendError}
          ></message-composer>
        </section>
      </div>
    `;
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

/** Who else is typing, in a sentence; empty when nobody is. */
function typingLine(state: RoomState): string {
  const names = activeTypers(state, Date.now())
    .filter((peer) => peer.id !== state.self?.id)
    .map((peer) => peer.name);
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
