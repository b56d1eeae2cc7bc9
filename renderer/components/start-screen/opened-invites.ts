/**
 * Invites the desktop app was opened with (a `parley://` link clicked, a QR code scanned on this
 * machine) reach the start screen as `invite` RoomEvents; each one fills the join form. Follows
 * the screen's bridge, and listens only while the screen is on the page.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ParleyBridge } from '../../../protocol/bridge';

type Host = ReactiveControllerHost & { readonly bridge: ParleyBridge | undefined };

export class OpenedInvites implements ReactiveController {
  readonly #host: Host;
  readonly #open: (invite: string) => void;
  #listeningTo: ParleyBridge | undefined;
  #unsubscribe: (() => void) | undefined;

  /** `open` puts an invite into the join form. */
  constructor(host: Host, open: (invite: string) => void) {
    this.#host = host;
    this.#open = open;
    host.addController(this);
  }

  hostConnected(): void {
    this.#follow();
  }

  hostUpdate(): void {
    this.#follow();
  }

  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#listeningTo = undefined;
  }

  #follow(): void {
    const bridge = this.#host.bridge;
    if (bridge === this.#listeningTo) return;
    this.hostDisconnected();
    this.#listeningTo = bridge;
    this.#unsubscribe = bridge?.subscribe((event) => {
      if (event.type === 'invite') this.#open(event.invite);
    });
  }
}
