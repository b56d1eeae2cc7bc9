/**
 * The refusal shown when a room presents another certificate than the one Parley remembers: the
 * warning with both fingerprints, as main wrote it, and the only way on, "Forget this room",
 * which the person should choose only after the host read out a fingerprint matching the
 * presented one. There is no "join anyway": after forgetting, the next join asks again as on a
 * first visit, showing the new fingerprint to compare.
 */
import { LitElement, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { identityPanelStyles } from '../shared/identity-panel.styles';
import { sharedStyles } from '../shared/shared.styles';
import { identityChangedStyles } from './identity-changed.styles';

export type ForgetState = 'idle' | 'forgetting' | 'forgotten' | 'failed';

@customElement('identity-changed')
export class IdentityChanged extends LitElement {
  static override styles = [sharedStyles, identityPanelStyles, identityChangedStyles];

  /** identityChangedWarning, several lines with both fingerprints. */
  @property({ type: String }) message = '';
  @property({ type: String, attribute: 'room-name' }) roomName = '';
  @property({ type: String }) state: ForgetState = 'idle';
  /** Why forgetting failed, when it did. */
  @property({ type: String }) failure = '';

  protected override render(): TemplateResult {
    if (this.state === 'forgotten') {
      return html`<p class="forgotten" role="status">
        Parley forgot the old fingerprint of ${this.#room()}. Join again: Parley will show the new
        fingerprint, to compare with the host's screen before you trust it.
      </p>`;
    }
    return html`
      <section role="alert" aria-labelledby="changed-title">
        <h3 id="changed-title">The identity of ${this.#room()} has changed</h3>
        <p class="warning">${this.message}</p>
        ${this.failure ? html`<p class="error-text">${this.failure}</p>` : nothing}
        <button
          class="danger"
          type="button"
          ?disabled=${this.state === 'forgetting'}
          @click=${this.#forget}
        >
          ${this.state === 'forgetting' ? 'Forgetting…' : 'Forget this room'}
        </button>
      </section>
    `;
  }

  #room(): string {
    return this.roomName ? `“${this.roomName}”` : 'this room';
  }

  #forget = (): void => {
    this.dispatchEvent(new CustomEvent('identity-forget', { detail: {} }));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'identity-changed': IdentityChanged;
  }
  interface HTMLElementEventMap {
    /** The person chose to forget the room's remembered certificate (raised by identity-changed). */
    'identity-forget': CustomEvent<Record<string, never>>;
  }
}
