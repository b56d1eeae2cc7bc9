/**
 * A small "Copy" button for an address or a link. Where the clipboard is out of reach (a guest
 * page over plain http), it shows the text selected in a field instead, ready for Ctrl+C.
 */
import { LitElement, html } from 'lit';
import type { TemplateResult } from 'lit';
import { copyText } from '../../clipboard';
import { sharedStyles } from '../shared/shared.styles';
import { copyButtonStyles } from './copy-button.styles';

const FEEDBACK_MS = 2000;

export class CopyButton extends LitElement {
  static override properties = {
    value: { type: String },
    label: { type: String },
    outcome: { state: true },
  };

  static override styles = [sharedStyles, copyButtonStyles];

  declare value: string;
  /** The accessible name, e.g. "Copy address 192.168.1.20:7420". */
  declare label: string;
  declare outcome: 'idle' | 'copied' | 'manual';

  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.value = '';
    this.label = 'Copy';
    this.outcome = 'idle';
  }

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

customElements.define('copy-button', CopyButton);

declare global {
  interface HTMLElementTagNameMap {
    'copy-button': CopyButton;
  }
}
