/**
 * A room's certificate fingerprint as people compare it: the short form in groups of four hex
 * digits, large enough to read aloud group by group, and the full form (what a browser's
 * certificate viewer shows under "SHA-256") behind a button, for those who check it there.
 */
import { LitElement, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ReadableFingerprint } from '../../../protocol/client/fingerprint';
import { sharedStyles } from '../shared/shared.styles';
import { identityFingerprintStyles } from './identity-fingerprint.styles';

let nextId = 0;

@customElement('identity-fingerprint')
export class IdentityFingerprint extends LitElement {
  static override styles = [sharedStyles, identityFingerprintStyles];

  @property({ attribute: false }) fingerprint: ReadableFingerprint | undefined;
  /** What the fingerprint is called above it. */
  @property({ type: String }) label = 'Fingerprint';
  @state() showFull = false;

  readonly #fullId = `fingerprint-full-${nextId++}`;

  protected override render(): TemplateResult | typeof nothing {
    const fingerprint = this.fingerprint;
    if (!fingerprint) return nothing;
    const groups = fingerprint.short.split(' ');
    return html`
      <p class="label">${this.label}</p>
      <p class="groups" aria-label=${`${this.label}: ${groups.join(', ')}`}>
        ${groups.map((group) => html`<span class="group">${group}</span>`)}
      </p>
      <button
        class="small quiet"
        aria-expanded=${this.showFull ? 'true' : 'false'}
        aria-controls=${this.#fullId}
        @click=${() => (this.showFull = !this.showFull)}
      >
        ${this.showFull ? 'Hide full fingerprint' : 'Show full fingerprint'}
      </button>
      <p class="full" id=${this.#fullId} ?hidden=${!this.showFull}>
        SHA-256 <code>${fingerprint.full}</code>
      </p>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'identity-fingerprint': IdentityFingerprint;
  }
}
