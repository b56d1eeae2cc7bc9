/**
 * Who is in the room, who is typing in the conversation on screen (an indicator lasts ~3 s after
 * the last keystroke), and a way to talk to one of them alone: choosing a person opens the direct
 * conversation with them.
 */
import { LitElement, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import type { PeerV2 } from '../../../protocol/wire/entries';
import { ERROR_SENTENCES } from '../../../protocol/wire/codes';
import { describeError } from '../../bridges/bridge-error';
import { activeTypers, nextTypingExpiry } from '../../typing';
import type { TypingMap } from '../../typing';
import { ask } from '../shared/events';
import { ExpiryController } from '../shared/expiry-controller';
import { hueOf, initialOf } from '../shared/avatar';
import { sharedStyles } from '../shared/shared.styles';
import { peerListStyles } from './peer-list.styles';

const numberFormat = new Intl.NumberFormat();

@customElement('peer-list')
export class PeerList extends LitElement {
  static override styles = [sharedStyles, peerListStyles];

  @property({ attribute: false }) peers: PeerV2[] = [];
  /** How many people the room has in all (more than `peers` in a very large room). */
  @property({ type: Number, attribute: 'peer-count' }) peerCount = 0;
  @property({ attribute: false }) selfId: string | undefined;
  @property({ attribute: false }) typing: TypingMap = new Map();
  /** Why the last direct conversation could not be opened, as a sentence. */
  @state() error = '';
  /** The peer whose direct conversation is being opened. */
  @state() opening: string | undefined;

  constructor() {
    super();
    new ExpiryController(this, () => nextTypingExpiry({ typing: this.typing }, Date.now()));
  }

  /** Moves focus to the list's heading (the room screen's "N people" button leads here). */
  override focus(): void {
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  protected override render(): TemplateResult {
    const typers = new Set(
      activeTypers({ typing: this.typing }, Date.now()).map((peer) => peer.id),
    );
    // You first, then everyone else in the order they came.
    const peers = [
      ...this.peers.filter((peer) => peer.id === this.selfId),
      ...this.peers.filter((peer) => peer.id !== this.selfId),
    ];
    const count = Math.max(this.peerCount, peers.length);
    return html`
      <section aria-labelledby="peers-title">
        <h2 id="peers-title" tabindex="-1">
          In the room <span class="count">${numberFormat.format(count)}</span>
        </h2>
        <ul>
          ${repeat(
            peers,
            (peer) => peer.id,
            (peer) => this.#peer(peer, typers.has(peer.id)),
          )}
        </ul>
        ${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : nothing}
      </section>
    `;
  }

  #peer(peer: PeerV2, typing: boolean): TemplateResult {
    const isSelf = peer.id === this.selfId;
    const isTyping = typing && !isSelf;
    const who = html`
      <span
        class="avatar"
        aria-hidden="true"
        style=${styleMap({ '--hue': String(hueOf(peer.name)) })}
        >${initialOf(peer.name)}</span
      >
      <span class="who">
        <span class="name" title=${peer.name}>${peer.name}</span>
        ${isSelf ? html`<span class="you">you</span>` : nothing}
        ${isTyping ? html`<span class="typing">typing<span class="dots"></span></span>` : nothing}
      </span>
    `;
    if (isSelf) return html`<li class="self" data-peer-id=${peer.id}>${who}</li>`;
    // A person without a lasting identity cannot have a direct conversation.
    const reason = peer.ephemeral ? ERROR_SENTENCES.no_identity : '';
    return html`<li data-peer-id=${peer.id}>
      <button
        class="person"
        aria-label=${`Message ${peer.name} directly`}
        title=${reason || `Message ${peer.name} directly`}
        ?disabled=${peer.ephemeral === true || this.opening === peer.id}
        @click=${() => this.#openDirect(peer)}
      >
        ${who}
      </button>
    </li>`;
  }

  async #openDirect(peer: PeerV2): Promise<void> {
    this.error = '';
    this.opening = peer.id;
    try {
      await ask(this, 'open-direct', { peerId: peer.id });
    } catch (error) {
      this.error = describeError(error);
    } finally {
      this.opening = undefined;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'peer-list': PeerList;
  }
}
