/**
 * A small "Copy" button for an address or a link. Where the clipboard is out of reach (a guest
 * page over plain http), it shows the text selected in a field instead, ready for Ctrl+C.
 */
import { LitElement, html } from 'lit';
import type { TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { copyText } from '../../clipboard';
import { sharedStyles } from '../shared/shared.styles';
import { copyButtonStyles } from './copy-button.styles';

const FEEDBACK_MS = 2000;

@customElement('copy-button')
export class CopyButton extends LitElement {
  static override styles = [sharedStyles, copyButtonStyles];

  @property({ type: String }) value = '';
  /** The accessible name, e.g. "Copy address 192.168.1.20:7420". */
  @property({ type: String }) label = 'Copy';
  @state() outcome: 'idle' | 'copied' | 'manual' = 'idle';

  #timer: ReturnType<typeof setTimeout> | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#timer);
  }

  protected override render(): TemplateResult {
    if (this.outcome === 'manual') {
      return html`<input
        readonly
        .value=${this.value}
        aria-label=${`${this.label}: press Ctrl+C to copy`}
        @blur=${() => (this.outcome = 'idle')}
      />`;
    }
    return html`<button class="small quiet" aria-label=${this.label} @click=${this.#copy}>
      ${this.outcome === 'copied' ? 'Copied' : 'Copy'}
    </button>`;
  }

  #copy = async (): Promise<void> => {
    const copied = await copyText(this.value);
    clearTimeout(this.#timer);
    this.outcome = copied ? 'copied' : 'manual';
    if (copied) {
      this.#timer = setTimeout(() => (this.outcome = 'idle'), FEEDBACK_MS);
      return;
    }
    await this.updateComplete;
    const field = this.renderRoot.querySelector('input');
    field?.focus();
    field?.select();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'copy-button': CopyButton;
  }
}
