/**
 * Files going up and (desktop) coming down: one line each with a progress bar, the speed and the
 * time left, and Cancel; an interrupted one says it is resuming (it does so by itself). A finished
 * upload goes away (its message shows it); a finished download offers "Show in folder"; a failed
 * one says why until it is put away.
 */
import { LitElement, css, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { TransferView } from '../../../protocol/bridge';
import { formatSize, formatSpeed, formatTimeLeft } from '../../files/file-format';
import { emit } from '../shared/events';
import { sharedStyles } from '../shared/shared.styles';

@customElement('transfer-list')
export class TransferList extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
        padding: 0 16px;
      }

      ul {
        display: flex;
        flex-direction: column;
        gap: 6px;
        margin: 0;
        padding: 0;
        list-style: none;
      }

      li {
        display: grid;
        grid-template-columns: 1fr auto;
        gap: 2px 10px;
        padding: 6px 10px;
        border: 1px solid var(--p-border);
        border-radius: 8px;
        background: var(--p-surface);
        font-size: 13px;
      }

      .name {
        overflow: hidden;
        font-weight: 600;
        text-overflow: ellipsis;
        white-space: nowrap;
      }

      progress {
        width: 100%;
        height: 6px;
        accent-color: var(--p-accent);
      }

      .status {
        color: var(--p-text-muted);
      }

      .failed .status {
        color: var(--p-danger);
      }

      .buttons {
        display: flex;
        grid-row: 1 / span 3;
        grid-column: 2;
        align-items: center;
        gap: 6px;
      }
    `,
  ];

  @property({ attribute: false }) transfers: readonly TransferView[] = [];
  /** Desktop: finished downloads can be shown in the file manager. */
  @property({ type: Boolean, attribute: 'can-show-in-folder' }) canShowInFolder = false;

  protected override render(): TemplateResult | typeof nothing {
    const shown = this.transfers.filter(isShown);
    if (shown.length === 0) return nothing;
    return html`<ul aria-label="File transfers">
      ${repeat(
        shown,
        (transfer) => transfer.id,
        (transfer) => this.#transfer(transfer),
      )}
    </ul>`;
  }

  #transfer(transfer: TransferView): TemplateResult {
    const verb = transfer.direction === 'upload' ? 'Uploading' : 'Downloading';
    const active =
      transfer.state === 'queued' || transfer.state === 'running' || transfer.state === 'paused';
    return html`<li class=${transfer.state} data-transfer=${transfer.id}>
      <span class="name" dir="auto" title=${transfer.name}>${transfer.name}</span>
      <progress
        max=${Math.max(1, transfer.size)}
        .value=${transfer.done}
        aria-label=${`${verb} ${transfer.name}`}
      ></progress>
      <span class="status" role="status">${statusLine(transfer)}</span>
      <span class="buttons">
        ${
          active
            ? html`<button
                class="small"
                aria-label=${`Cancel ${transfer.name}`}
                @click=${() => emit(this, 'cancel-transfer', { id: transfer.id })}
              >
                Cancel
              </button>`
            : nothing
        }
        ${
          transfer.state === 'done' && this.canShowInFolder
            ? html`<button
                class="small"
                @click=${() => emit(this, 'show-in-folder', { id: transfer.id })}
              >
                Show in folder
              </button>`
            : nothing
        }
        ${
          active
            ? nothing
            : html`<button
                class="small quiet"
                aria-label=${`Dismiss ${transfer.name}`}
                @click=${() => emit(this, 'dismiss-transfer', { id: transfer.id })}
              >
                ✕
              </button>`
        }
      </span>
    </li>`;
  }
}

/** Uploads leave once done (the message shows the file) or cancelled; the rest stay. */
function isShown(transfer: TransferView): boolean {
  if (transfer.state === 'cancelled') return false;
  return !(transfer.direction === 'upload' && transfer.state === 'done');
}

/** `1.2 MB of 4 MB · 3.1 MB/s · 2 s left`, or what happened. */
export function statusLine(transfer: TransferView): string {
  const amounts = `${formatSize(transfer.done)} of ${formatSize(transfer.size)}`;
  switch (transfer.state) {
    case 'queued':
      return `Waiting… · ${amounts}`;
    case 'paused':
      return `Paused, resuming… · ${amounts}`;
    case 'running': {
      const parts = [amounts];
      if (transfer.bytesPerSecond > 0) parts.push(formatSpeed(transfer.bytesPerSecond));
      if (transfer.etaSeconds !== undefined) parts.push(formatTimeLeft(transfer.etaSeconds));
      return parts.join(' · ');
    }
    case 'done':
      return transfer.direction === 'download' ? `Saved · ${formatSize(transfer.size)}` : 'Sent';
    case 'failed':
      return transfer.error?.message ?? 'Failed.';
    case 'cancelled':
      return 'Cancelled';
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'transfer-list': TransferList;
  }
}
