/**
 * An image of a message at full size, over everything: its name, a download and a close button;
 * Escape or a click beside the image closes it.
 */
import { LitElement, css, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { FileInfo } from '../../../protocol/wire/entries';
import { formatSize } from '../../files/file-format';
import type { FileLinks } from '../message-list/message-files';
import { emit } from '../shared/events';
import { sharedStyles } from '../shared/shared.styles';

@customElement('image-viewer')
export class ImageViewer extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      dialog {
        width: 100vw;
        max-width: 100vw;
        height: 100vh;
        max-height: 100vh;
        margin: 0;
        padding: 0;
        border: 0;
        background: rgb(10 12 16 / 92%);
        color: #fff;
      }

      dialog[open] {
        display: flex;
        flex-direction: column;
      }

      dialog::backdrop {
        background: transparent;
      }

      .bar {
        display: flex;
        align-items: center;
        gap: 12px;
        padding: 10px 16px;
      }

      .name {
        flex: 1;
        min-width: 0;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }

      .size {
        opacity: 0.7;
        font-size: 13px;
      }

      .bar button,
      .bar a {
        border-color: rgb(255 255 255 / 30%);
        background: transparent;
        color: #fff;
      }

      .bar a {
        display: inline-flex;
        align-items: center;
        min-height: 36px;
        padding: 0 14px;
        border: 1px solid rgb(255 255 255 / 30%);
        border-radius: var(--p-radius-small);
        text-decoration: none;
      }

      .stage {
        display: grid;
        flex: 1;
        min-height: 0;
        padding: 0 16px 16px;
        place-items: center;
      }

      img {
        max-width: 100%;
        max-height: 100%;
        object-fit: contain;
      }
    `,
  ];

  @property({ attribute: false }) links: FileLinks = { href: (path) => path, appDownloads: false };
  @state() file: FileInfo | undefined;

  @query('dialog') private dialog!: HTMLDialogElement;

  async show(file: FileInfo): Promise<void> {
    this.file = file;
    await this.updateComplete;
    if (!this.dialog.open) this.dialog.showModal();
    this.renderRoot.querySelector<HTMLButtonElement>('button.close')?.focus();
  }

  close(): void {
    this.dialog?.close();
  }

  protected override render(): TemplateResult {
    const file = this.file;
    return html`<dialog
      aria-label=${file ? `Image ${file.name}` : 'Image'}
      @close=${() => (this.file = undefined)}
      @click=${this.#onClick}
    >
      ${file ? this.#content(file) : nothing}
    </dialog>`;
  }

  #content(file: FileInfo): TemplateResult {
    return html`<div class="bar">
        <span class="name" dir="auto" title=${file.name}>${file.name}</span>
        <span class="size">${formatSize(file.size)}</span>
        ${
          this.links.appDownloads
            ? html`<button @click=${() => emit(this, 'download-file', { file })}>Download</button>`
            : html`<a href=${this.links.href(file.url)} download=${file.name}>Download</a>`
        }
        <button class="close" aria-label="Close" @click=${() => this.close()}>✕</button>
      </div>
      <div class="stage">
        <img
          src=${this.links.href(file.url)}
          alt=${file.name}
          width=${file.width ?? nothing}
          height=${file.height ?? nothing}
        />
      </div>`;
  }

  #onClick = (event: MouseEvent): void => {
    // Beside the image (the dark stage itself) closes, as in every image viewer.
    const target = event.target as Element;
    if (target.classList.contains('stage')) this.close();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'image-viewer': ImageViewer;
  }
}
