/**
 * How to invite people to a room this app hosts: the room's certificate fingerprint (to read out
 * to whoever joins without an invite), then for each address the browser link (with a QR code for
 * phones) and the Parley app invite (with its own QR code), each with a copy button. The QR
 * images come drawn from the main process, so the page needs no QR library.
 */
import { LitElement, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { RoomInvite } from '../../../protocol/bridge';
import {
  readableFingerprint,
  type ReadableFingerprint,
} from '../../../protocol/client/fingerprint';
import { parseInvite } from '../../../protocol/client/invite';
import { sharedStyles } from '../shared/shared.styles';
import { invitePanelStyles } from './invite-panel.styles';
import '../copy-button/copy-button';
import '../identity-fingerprint/identity-fingerprint';

// Only images the main process drew; anything else in that field is not shown.
const PNG_DATA_URL = /^data:image\/png;base64,[A-Za-z0-9+/=]+$/;

/** Next to an https guest link: why the browser will warn, and how a guest checks the room. */
export const CERTIFICATE_NOTE =
  "Guests' browsers warn about this link the first time, because this computer made the room's certificate itself: to check it, compare the SHA-256 fingerprint in the browser's certificate details with the one shown here.";

@customElement('invite-panel')
export class InvitePanel extends LitElement {
  static override styles = [sharedStyles, invitePanelStyles];

  @property({ attribute: false }) invites: RoomInvite[] = [];
  /** The room's fingerprint (RoomSummary.fingerprint); without it, the one the invites carry. */
  @property({ attribute: false }) fingerprint: ReadableFingerprint | undefined;

  #shown: ReadableFingerprint | undefined;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('invites') || changed.has('fingerprint')) {
      this.#shown = this.fingerprint ?? fingerprintOfInvites(this.invites);
    }
  }

  protected override render(): TemplateResult {
    return html`${this.#identity()}
      <ul>
        ${repeat(
          this.invites,
          (invite) => invite.address,
          (invite) =>
            html`<li>
              <h3>${invite.interfaceName} · ${invite.address}</h3>
              <div class="ways">
                ${this.#way(
                  'In a browser or on a phone',
                  invite.guestUrl,
                  invite.guestQr.png,
                  'link',
                  this.#shown && invite.guestUrl.startsWith('https:')
                    ? CERTIFICATE_NOTE
                    : undefined,
                )}
                ${this.#way('In the Parley app', invite.invite, invite.inviteQr.png, 'invite')}
              </div>
            </li>`,
        )}
      </ul>`;
  }

  #identity(): TemplateResult | typeof nothing {
    if (!this.#shown) return nothing;
    return html`<section class="identity" aria-label="Room identity">
      <identity-fingerprint
        .fingerprint=${this.#shown}
        label="This room's fingerprint"
      ></identity-fingerprint>
      <p>
        Someone joining by address sees it on their screen before they trust the room: read it out
        so they can compare. Invites carry it already.
      </p>
    </section>`;
  }

  #way(caption: string, value: string, png: string, what: string, note?: string): TemplateResult {
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
      ${note ? html`<p class="certificate-note">${note}</p>` : nothing}
    </figure>`;
  }
}

/** The fingerprint every invite of a TLS room carries (they share one certificate). */
function fingerprintOfInvites(invites: readonly RoomInvite[]): ReadableFingerprint | undefined {
  for (const invite of invites) {
    const parsed = parseInvite(invite.invite);
    if (parsed.ok && parsed.invite.fingerprint)
      return readableFingerprint(parsed.invite.fingerprint);
  }
  return undefined;
}

declare global {
  interface HTMLElementTagNameMap {
    'invite-panel': InvitePanel;
  }
}
