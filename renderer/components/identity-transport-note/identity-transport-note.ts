/**
 * What the guest page tells a guest about the connection, before they type anything: encrypted
 * (and how to check it reached the real host: the certificate's SHA-256 fingerprint against the
 * host's screen), unencrypted but within this computer, or unencrypted across the network, where
 * anyone nearby can read the messages and where no password is sent at all.
 */
import { LitElement, html } from 'lit';
import type { TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { PageTransport } from '../../bridges/page-transport';
import { sharedStyles } from '../shared/shared.styles';
import { identityTransportNoteStyles } from './identity-transport-note.styles';

@customElement('identity-transport-note')
export class IdentityTransportNote extends LitElement {
  static override styles = [sharedStyles, identityTransportNoteStyles];

  @property({ type: String }) transport: PageTransport = 'encrypted';

  protected override render(): TemplateResult {
    switch (this.transport) {
      case 'encrypted':
        return html`<p class="note encrypted" data-transport="encrypted">
          <strong>Encrypted connection</strong>
          To be sure it leads to the host and nobody in between, open the certificate details from
          the address bar and compare its SHA-256 fingerprint with the one on the host's screen.
        </p>`;
      case 'loopback':
        return html`<p class="note loopback" data-transport="loopback">
          <strong>Not encrypted, but on this computer only</strong>
          This page talks to a room on this same computer, so nothing crosses the network.
        </p>`;
      case 'cleartext':
        return html`<p class="note cleartext" role="alert" data-transport="cleartext">
          <strong>Warning: this connection is not encrypted</strong>
          Others on this network can read your messages, and any password typed here. Parley does
          not send passwords from this page (the host refuses them over an unencrypted connection);
          for a room with a password, open the https:// address the host shows.
        </p>`;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'identity-transport-note': IdentityTransportNote;
  }
}
