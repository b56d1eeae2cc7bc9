/**
 * A dialog to create a channel: a name and an optional topic. What is wrong with a field is said
 * under it; the host's refusal (a taken name, say) as a sentence under the form. On success the
 * app opens the new channel and the dialog closes.
 */
import { LitElement, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { describeError } from '../../bridges/bridge-error';
import { parseChannelForm } from '../../form-schemas';
import type { FieldErrors } from '../../form-schemas';
import { ask } from '../shared/events';
import { dialogStyles } from '../shared/dialog.styles';
import { sharedStyles } from '../shared/shared.styles';

@customElement('channel-create')
export class ChannelCreate extends LitElement {
  static override styles = [sharedStyles, dialogStyles];

  @state() errors: FieldErrors = {};
  @state() error = '';
  @state() busy = false;

  @query('dialog') private dialog!: HTMLDialogElement;
  @query('form') private form!: HTMLFormElement;

  async show(): Promise<void> {
    await this.updateComplete;
    this.form.reset();
    this.errors = {};
    this.error = '';
    if (!this.dialog.open) this.dialog.showModal();
  }

  close(): void {
    this.dialog?.close();
  }

  protected override render(): TemplateResult {
    return html`<dialog aria-labelledby="create-title">
      <form novalidate @submit=${this.#onSubmit}>
        <div class="dialog-head">
          <h2 id="create-title">New channel</h2>
        </div>
        <label for="channel-name">Name</label>
        <input
          id="channel-name"
          name="name"
          autocomplete="off"
          placeholder="design"
          aria-invalid=${this.errors['name'] ? 'true' : 'false'}
          aria-describedby="channel-name-error"
        />
        <p class="field-error" id="channel-name-error">${this.errors['name'] ?? ''}</p>
        <label for="channel-topic">Topic <span class="optional">(optional)</span></label>
        <input
          id="channel-topic"
          name="topic"
          autocomplete="off"
          placeholder="What it is about"
          aria-invalid=${this.errors['topic'] ? 'true' : 'false'}
          aria-describedby="channel-topic-error"
        />
        <p class="field-error" id="channel-topic-error">${this.errors['topic'] ?? ''}</p>
        ${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : nothing}
        <div class="actions">
          <button type="button" @click=${() => this.close()}>Cancel</button>
          <button class="primary" type="submit" ?disabled=${this.busy}>
            ${this.busy ? 'Creating…' : 'Create channel'}
          </button>
        </div>
      </form>
    </dialog>`;
  }

  #onSubmit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    if (this.busy) return;
    const data = new FormData(this.form);
    const parsed = parseChannelForm({
      name: String(data.get('name') ?? ''),
      topic: String(data.get('topic') ?? ''),
    });
    this.error = '';
    if (!parsed.ok) {
      this.errors = parsed.errors;
      const first = Object.keys(parsed.errors)[0];
      this.renderRoot.querySelector<HTMLInputElement>(`[name="${first}"]`)?.focus();
      return;
    }
    this.errors = {};
    this.busy = true;
    try {
      await ask(this, 'create-channel', parsed.request);
      this.close();
    } catch (error) {
      this.error = describeError(error);
    } finally {
      this.busy = false;
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'channel-create': ChannelCreate;
  }
}
