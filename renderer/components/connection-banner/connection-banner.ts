/**
 * A strip above the conversation that says when the room is not fully there: connecting,
 * reconnecting, offline; and the notices that follow a reconnect (a gap in the history, or a
 * host that now runs a different room). Renders nothing when all is well.
 */
import { LitElement, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { RoomInfo } from '../../../protocol/wire/frames';
import type { ConnectionState } from '../../../protocol/client/client-types';
import { emit } from '../shared/events';
import { sharedStyles } from '../shared/shared.styles';
import { connectionBannerStyles } from './connection-banner.styles';

type Tone = 'info' | 'warn' | 'danger';

@customElement('connection-banner')
export class ConnectionBanner extends LitElement {
  static override styles = [sharedStyles, connectionBannerStyles];

  @property({ type: String }) connection: ConnectionState = 'open';
  @property({ type: Boolean }) gap = false;
  @property({ attribute: false }) roomChange: { previous: RoomInfo; current: RoomInfo } | undefined;
  /** A sentence worth knowing that is not an error, e.g. that the room is not advertised. */
  @property({ type: String }) notice = '';
  @state() online = typeof navigator === 'undefined' ? true : navigator.onLine;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('online', this.#onNetworkChange);
    window.addEventListener('offline', this.#onNetworkChange);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('online', this.#onNetworkChange);
    window.removeEventListener('offline', this.#onNetworkChange);
  }

  #onNetworkChange = (): void => {
    this.online = navigator.onLine;
  };

  protected override render(): TemplateResult {
    return html`<div role="status" aria-live="polite">
      ${this.#connectionLine()} ${this.#noticeLines()}
    </div>`;
  }

  #connectionLine(): TemplateResult | typeof nothing {
    if (!this.online && this.connection !== 'closed') {
      return this.#line(
        'warn',
        'This device is offline. Messages you write are sent once the network is back.',
        true,
      );
    }
    switch (this.connection) {
      case 'connecting':
        return this.#line('info', 'Connecting to the room…', true);
      case 'reconnecting':
        return this.#line(
          'warn',
          'Connection lost. Reconnecting… Messages you write are sent once it is back.',
          true,
        );
      case 'closed':
        return this.#line('danger', 'Offline: you are not connected to the room.', false);
      case 'open':
        return nothing;
    }
  }

  #noticeLines(): TemplateResult[] {
    const lines: TemplateResult[] = [];
    if (this.roomChange) {
      const { previous, current } = this.roomChange;
      lines.push(
        this.#notice(
          `The host now runs a different room, “${current.name}”. Messages from “${previous.name}” are no longer shown.`,
        ),
      );
    }
    if (this.notice) lines.push(this.#notice(this.notice));
    if (this.gap) {
      lines.push(
        this.#notice('You were away for a while: some messages from that time are not shown here.'),
      );
    }
    return lines;
  }

  #line(tone: Tone, text: string, busy: boolean): TemplateResult {
    return html`<div class="banner ${tone}" data-tone=${tone}>
      ${busy ? html`<span class="spinner" aria-hidden="true"></span>` : nothing}
      <p class="text">${text}</p>
    </div>`;
  }

  #notice(text: string): TemplateResult {
    return html`<div class="banner info notice">
      <p class="text">${text}</p>
      <button class="small quiet" @click=${() => emit(this, 'dismiss-notices', {})}>Dismiss</button>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'connection-banner': ConnectionBanner;
  }
}
