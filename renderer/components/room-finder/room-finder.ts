/**
 * Rooms on the local network (desktop only: the bridge looks for them by multicast DNS while this
 * element is on the page). Picking one fills the join form's address with the room's invite, so a
 * TLS room is pinned by the fingerprint it advertises (its plain address only when it has none).
 */
import { LitElement, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { DiscoveredRoomInfo, ParleyBridge } from '../../../protocol/bridge';
import { emit } from '../shared/events';
import { sharedStyles } from '../shared/shared.styles';
import { roomFinderStyles } from './room-finder.styles';

@customElement('room-finder')
export class RoomFinder extends LitElement {
  static override styles = [sharedStyles, roomFinderStyles];

  @property({ attribute: false }) bridge: ParleyBridge | undefined;
  /** Undefined until the first answer arrives (still looking). */
  @state() rooms: DiscoveredRoomInfo[] | undefined;
  @state() failed = false;

  #unsubscribe: (() => void) | undefined;
  #searching: ParleyBridge | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.bridge) this.#start(this.bridge);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stop();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('bridge') && this.isConnected && this.bridge !== this.#searching) {
      this.#stop();
      if (this.bridge) this.#start(this.bridge);
    }
  }

  #start(bridge: ParleyBridge): void {
    if (this.#searching === bridge || !bridge.startDiscovery) return;
    this.#searching = bridge;
    this.#unsubscribe = bridge.subscribe((event) => {
      if (event.type === 'rooms') this.rooms = event.rooms;
    });
    this.#search();
  }

  #search = (): void => {
    const bridge = this.#searching;
    if (!bridge?.startDiscovery) return;
    this.failed = false;
    bridge.startDiscovery().catch(() => {
      if (this.#searching === bridge) this.failed = true;
    });
  };

  #stop(): void {
    const bridge = this.#searching;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#searching = undefined;
    this.rooms = undefined;
    // Looking for rooms costs multicast traffic: it stops when nobody is looking at the list.
    bridge?.stopDiscovery?.().catch(() => undefined);
  }

  protected override render(): TemplateResult | typeof nothing {
    if (!this.bridge?.startDiscovery) return nothing;
    return html`
      <section aria-labelledby="finder-title">
        <div class="head">
          <h3 id="finder-title">On your network</h3>
          <button class="small quiet" @click=${this.#search}>Search again</button>
        </div>
        <div aria-live="polite">${this.#body()}</div>
      </section>
    `;
  }

  #pick(room: DiscoveredRoomInfo): void {
    emit(this, 'room-picked', { address: room.invite ?? room.address, password: room.password });
  }

  #body(): TemplateResult {
    if (this.failed) {
      return html`<p class="status">Could not look for rooms here. Join by address instead.</p>`;
    }
    if (this.rooms === undefined) return html`<p class="status">Looking for rooms…</p>`;
    if (this.rooms.length === 0) {
      return html`<p class="status">
        No rooms found: multicast may be blocked on this network. Join by address instead.
      </p>`;
    }
    return html`<ul>
      ${repeat(
        this.rooms,
        // Two hosts may advertise the same room id ("Room (2)"): each entry is its own invite.
        (room) => room.invite ?? room.address,
        (room) =>
          html`<li>
            <button
              class="room"
              aria-label=${`Join ${room.name} at ${room.address}`}
              @click=${() => this.#pick(room)}
            >
              <span class="room-name">${room.name}</span>
              <span class="meta"
                >${room.peers === 1 ? '1 person' : `${room.peers} people`}${
                  room.password ? ' · password' : ''
                }${room.fingerprint ? ' · encrypted' : ''}</span
              >
            </button>
          </li>`,
      )}
    </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'room-finder': RoomFinder;
  }
}
