/**
 * The question before joining a room Parley has never seen without an invite: the room's name
 * and its certificate fingerprint, to compare group by group with what the host reads from their
 * screen, then "Trust and join" or "Cancel". Whoever is in the middle of a connection can show
 * any room name, but not the host's fingerprint, so this comparison is what makes the first visit
 * safe (docs/security.md, "Trust on first use").
 */
import { LitElement, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ReadableFingerprint } from '../../../protocol/client/fingerprint';
import { identityPanelStyles } from '../shared/identity-panel.styles';
import { sharedStyles } from '../shared/shared.styles';
import { identityConfirmStyles } from './identity-confirm.styles';
import '../identity-fingerprint/identity-fingerprint';

@customElement('identity-confirm')
export class IdentityConfirm extends LitElement {
  static override styles = [sharedStyles, identityPanelStyles, identityConfirmStyles];

  @property({ type: String, attribute: 'room-name' }) roomName = '';
  @property({ attribute: false }) fingerprint: ReadableFingerprint | undefined;
  /** True while the confirmed join is on its way. */
  @property({ type: Boolean }) busy = false;

  /** Moves the focus to the question, so a screen reader reads it before the buttons. */
  override focus(): void {
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLElement>('section')?.focus(),
    );
  }

  protected override render(): TemplateResult | typeof nothing {
    if (!this.fingerprint) return nothing;
    return html`
      <section
        tabindex="-1"
        role="group"
        aria-labelledby="confirm-title"
        aria-describedby="confirm-why"
      >
        <h3 id="confirm-title">Is this the right room?</h3>
        <p id="confirm-why">
          Parley has not seen
          ${this.roomName ? html`<span class="room-name">“${this.roomName}”</span>` : 'this room'}
          before. Ask the host to read out the fingerprint shown in their Parley, and compare it
          with this one, every group. Join only if they match.
        </p>
        <identity-fingerprint
          .fingerprint=${this.fingerprint}
          label="Fingerprint of this room"
        ></identity-fingerprint>
        <div class="actions">
          <button
            class="primary"
            type="button"
            ?disabled=${this.busy}
            @click=${() => this.#answer('identity-trust')}
          >
            ${this.busy ? 'Joining…' : 'Trust and join'}
          </button>
          <button
            type="button"
            ?disabled=${this.busy}
            @click=${() => this.#answer('identity-cancel')}
          >
            Cancel
          </button>
        </div>
      </section>
    `;
  }

  #answer(type: 'identity-trust' | 'identity-cancel'): void {
    this.dispatchEvent(new CustomEvent(type, { detail: {} }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'identity-confirm': IdentityConfirm;
  }
  interface HTMLElementEventMap {
    /** The person compared the fingerprint and trusts the room (raised by identity-confirm). */
    'identity-trust': CustomEvent<Record<string, never>>;
    /** The person does not join the room after all (raised by identity-confirm). */
    'identity-cancel': CustomEvent<Record<string, never>>;
  }
}
