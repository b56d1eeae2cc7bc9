/**
 * Asks before something that cannot be undone (deleting a message for everyone): a modal with
 * the question, Cancel (focused first, and what Escape does) and the action.
 */
import { LitElement, html } from 'lit';
import type { TemplateResult } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { dialogStyles } from '../shared/dialog.styles';
import { sharedStyles } from '../shared/shared.styles';

export interface ConfirmQuestion {
  title: string;
  message: string;
  /** The action's button, e.g. `Delete`. */
  confirm: string;
}

@customElement('confirm-dialog')
export class ConfirmDialog extends LitElement {
  static override styles = [sharedStyles, dialogStyles];

  @state() question: ConfirmQuestion = { title: '', message: '', confirm: 'OK' };

  @query('dialog') private dialog!: HTMLDialogElement;

  #answer: ((confirmed: boolean) => void) | undefined;

  /** Shows `question`; resolves true when the action was chosen, false otherwise. */
  async ask(question: ConfirmQuestion): Promise<boolean> {
    this.#answer?.(false);
    this.question = question;
    await this.updateComplete;
    if (!this.dialog.open) this.dialog.showModal();
    this.renderRoot.querySelector<HTMLButtonElement>('button.cancel')?.focus();
    return new Promise((resolve) => (this.#answer = resolve));
  }

  protected override render(): TemplateResult {
    return html`<dialog
      aria-labelledby="confirm-title"
      aria-describedby="confirm-message"
      @close=${() => this.#settle(false)}
    >
      <div class="dialog-head"><h2 id="confirm-title">${this.question.title}</h2></div>
      <p id="confirm-message">${this.question.message}</p>
      <div class="actions">
        <button class="cancel" @click=${() => this.#settle(false)}>Cancel</button>
        <button class="danger" @click=${() => this.#settle(true)}>${this.question.confirm}</button>
      </div>
    </dialog>`;
  }

  #settle(confirmed: boolean): void {
    const answer = this.#answer;
    this.#answer = undefined;
    if (this.dialog.open) this.dialog.close();
    answer?.(confirmed);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'confirm-dialog': ConfirmDialog;
  }
}
