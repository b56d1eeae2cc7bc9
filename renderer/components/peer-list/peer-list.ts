/** Who is in the room, and who is typing right now (an indicator lasts ~3 s after the last keystroke). */
import { LitElement, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import type { Peer } from '../../../protocol/wire/frames';
import { activeTypers, nextTypingExpiry } from '../../room-state';
import type { TypingMap } from '../../room-state';
import { ExpiryController } from '../shared/expiry-controller';
import { hueOf, initialOf } from '../shared/avatar';
import { sharedStyles } from '../shared/shared.styles';
import { peerListStyles } from './peer-list.styles';

@customElement('peer-list')
export class PeerList extends LitElement {
  static override styles = [sharedStyles, peerListStyles];

  @property({ attribute: false }) peers: Peer[] = [];
  @property({ attribute: false }) selfId: string | undefined;
  @property({ attribute: false }) typing: TypingMap = new Map();

  constructor() {
    super();
    new ExpiryController(this, () => nextTypingExpiry({ typing: this.typing }, Date.now()));
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
    return html`
      <section aria-labelledby="peers-title">
        <h2 id="peers-title">In the room <span class="count">${peers.length}</span></h2>
        <ul>
          ${repeat(
            peers,
            (peer) => peer.id,
            (peer) => this.#peer(peer, typers.has(peer.id)),
          )}
        </ul>
      </section>
    `;
  }

  #peer(peer: Peer, typing: boolean): TemplateResult {
    const isSelf = peer.id === this.selfId;
    const isTyping = typing && !isSelf;
    return html`
      <li class=${isSelf ? 'self' : ''} data-peer-id=${peer.id}>
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
      </li>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'peer-list': PeerList;
  }
}
