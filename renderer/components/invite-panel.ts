/**
 * How to invite people to a room this app hosts: for each address, the browser link (with a QR
 * code for phones) and the Parley app invite (with its own QR code), each with a copy button.
 * The QR images come drawn from the main process, so the page needs no QR library.
 */
import { LitElement, html, css } from 'lit';
import type { TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { RoomInvite } from '../../protocol/bridge';
import { sharedStyles } from './shared-styles';
import './copy-button';

// Only images the main process drew; anything else in that field is not shown.
const PNG_DATA_URL = /^data:image\/png;base64,[A-Za-z0-9+/=]+$/;

export class InvitePanel extends LitElement {
  static override properties = {
    invites: { attribute: false },
  };

  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }

      ul {
        display: flex;
        flex-wrap: wrap;
        gap: 16px;
        margin: 0;
        padding: 0;
        list-style: none;
      }

      li {
        flex: 1 1 320px;
        padding: 14px;
        border: 1px solid var(--p-border);
        border-radius: var(--p-radius);
        background: var(--p-surface);
      }

      h3 {
        margin: 0 0 10px;
        color: var(--p-text-muted);
        font-size: 13px;
        font-weight: 600;
      }

      .ways {
        display: grid;
        grid-template-columns: repeat(2, minmax(0, 1fr));
        gap: 14px;
      }

      figure {
        display: flex;
        flex-direction: column;
        align-items: center;
        gap: 6px;
        margin: 0;
        text-align: center;
      }

      img {
        width: 132px;
        height: 132px;
        padding: 6px;
        border-radius: 8px;
        background: #fff;
        image-rendering: pixelated;
      }

      figcaption {
        font-size: 13px;
        font-weight: 600;
      }

      .link {
        display: flex;
        align-items: center;
        gap: 4px;
        max-width: 100%;
      }

      code {
        overflow: hidden;
        font-family: var(--p-mono);
        font-size: 12px;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
    `,
  ];

  declare invites: RoomInvite[];

  constructor() {
    super();
    this.invites = [];
  }

  protected override render(): TemplateResult {
    return html`<ul>
      ${repeat(
        this.invites,
        (invite) => invite.address,
        (invite) =>
          html`<li>
            <h3>${invite.interfaceName} · ${invite.address}</h3>
            <div class="ways">
              ${this.#way('In a browser or on a phone', invite.guestUrl, invite.guestQr.png, 'link')}
              ${this.#way('In the Parley app', invite.invite, invite.inviteQr.png, 'invite')}
            </div>
          </li>`,
      )}
    </ul>`;
  }

  #way(caption: string, value: string, png: string, what: string): TemplateResult {
    return html`<figure>
      ${
        PNG_DATA_URL.test(png)
          ? html`<img src=${png} alt=${`QR code of the ${what} ${value}`} />`
          : html``
      }
      <figcaption>${caption}</figcaption>
      <span class="link">
        <code title=${value}>${value}</code>
        <copy-button .value=${value} .label=${`Copy ${what} ${value}`}></copy-button>
      </span>
    </figure>`;
  }
}

customElements.define('invite-panel', InvitePanel);

declare global {
  interface HTMLElementTagNameMap {
    'invite-panel': InvitePanel;
  }
}
