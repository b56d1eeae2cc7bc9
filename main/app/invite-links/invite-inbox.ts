/**
 * Where an opened invite waits until the join screen is on screen, then goes to the window once,
 * as an `invite` RoomEvent: the app may have been started by the link (no page yet), or be
 * running with a room open (an invite never pulls anyone out of a room). Opened again while it
 * waits, the newest wins.
 *
 * The join screen says it is on screen by starting room discovery: its list of rooms does so
 * whenever it appears, and stops it when it goes (room-finder). `withJoinScreenSignals` passes
 * those two requests through the inbox, so the invite arrives when the start screen listens.
 */
import type { RoomEvent } from '../../../protocol/bridge';
import type { BridgeActions } from '../room/ipc-handlers';
import { inviteFromArgv, inviteFromUrl } from './invite-argv';

export interface InviteInboxOptions {
  /** Sends an event to the window. */
  emit: (event: RoomEvent) => void;
  /** True while a room is open: the invite waits until it is left. */
  inRoom: () => boolean;
}

export class InviteInbox {
  readonly #options: InviteInboxOptions;
  #waiting: string | undefined;
  #joinScreenShown = false;

  constructor(options: InviteInboxOptions) {
    this.#options = options;
  }

  /** The invite not yet shown, if any. */
  get waiting(): string | undefined {
    return this.#waiting;
  }

  /** A URL the OS opened the app with (macOS); returns whether it was a valid invite. */
  openUrl(url: unknown): boolean {
    return this.#accept(inviteFromUrl(url));
  }

  /** A command line the app, or a second instance of it, was started with. */
  openArgv(argv: readonly unknown[]): boolean {
    return this.#accept(inviteFromArgv(argv));
  }

  /** The join screen appeared (it started looking for rooms): a waiting invite goes now. */
  joinScreenShown(): void {
    this.#joinScreenShown = true;
    this.#deliver();
  }

  /** The join screen went away (a room opened, the window closed). */
  joinScreenHidden(): void {
    this.#joinScreenShown = false;
  }

  #accept(invite: string | undefined): boolean {
    if (invite === undefined) return false;
    this.#waiting = invite;
    this.#deliver();
    return true;
  }

  #deliver(): void {
    const invite = this.#waiting;
    if (invite === undefined || !this.#joinScreenShown || this.#options.inRoom()) return;
    this.#waiting = undefined;
    this.#options.emit({ type: 'invite', invite });
  }
}

/** The bridge actions, with discovery's start and stop telling the inbox about the join screen. */
export function withJoinScreenSignals(actions: BridgeActions, inbox: InviteInbox): BridgeActions {
  return {
    ...actions,
    async startDiscovery() {
      await actions.startDiscovery(undefined);
      inbox.joinScreenShown();
    },
    async stopDiscovery() {
      inbox.joinScreenHidden();
      await actions.stopDiscovery(undefined);
    },
  };
}
