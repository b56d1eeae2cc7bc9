/**
 * A room's certificate fingerprint as people compare it: the short form in groups of four hex
 * digits, large enough to read aloud group by group, and the full form (what a browser's
 * certificate viewer shows under "SHA-256") behind a button, for those who check it there.
 */
import { LitElement, html, css, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { ReadableFingerprint } from '../../../protocol/client/fingerprint';
import { sharedStyles } from '../shared/shared.styles';

let nextId = 0;

export class IdentityFingerprint extends LitElement {
  static override properties = {
    fingerprint: { attribute: false },
    label: { type: String },
    showFull: { state: true },
  };

  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }

      .label {
        margin: 0 0 4px;
        color: var(--p-text-muted);
        font-size: 12px;
        font-weight: 600;
      }

      .groups {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 10px;
        margin: 0;
        font-family: var(--p-mono);
        font-size: 17px;
        font-weight: 600;
        letter-spacing: 0.04em;
      }

      .full {
        margin: 6px 0 0;
        color: var(--p-text-muted);
        font-size: 12px;
      }

      .full[hidden] {
        display: none;
      }

      .full code {
        color: var(--p-text);
        font-family: var(--p-mono);
        overflow-wrap: anywhere;
        user-select: all;
      }

      button {
        margin-top: 4px;
      }
    `,
  ];

  declare fingerprint: ReadableFingerprint | undefined;
  /** What the fingerprint is called above it. */
  declare label: string;
  declare showFull: boolean;

  readonly #fullId = `fingerprint-full-${nextId++}`;

  constructor() {
    super();
    this.fingerprint = undefined;
    this.label = 'Fingerprint';
    this.showFull = false;
  }

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

customElements.define('identity-fingerprint', IdentityFingerprint);

declare global {
  interface HTMLElementTagNameMap {
    'identity-fingerprint': IdentityFingerprint;
  }
}
