/**
 * One room this app is in: the client session (whose events the shared room adapter turns into
 * RoomEvents), the host when this app runs it, and what the window needs to know about them.
 * Created per host/join and closed for good on leave or end.
 */
import type { RoomAddress, RoomEvent, RoomInvite, RoomSummary } from '../../../protocol/bridge';
import {
  readableFingerprint,
  type ReadableFingerprint,
} from '../../../protocol/client/fingerprint';
import {
  RoomAdapter,
  type EndedEvent,
  type RoomSession,
} from '../../../protocol/client/room-adapter';
import type { ParleyHost } from '../../host/types';
import { appError, isBridgeError } from './app-errors';
import { connectError } from './room-errors';
import type { HostAdvert } from '../../discovery/host-advert';
import type { RoomInvites } from './invites';
import type { SnapshotKeeper } from './snapshot-keeper';
import type { RoomTransfers } from './room-transfers';

export interface ActiveRoomOptions {
  session: RoomSession;
  /** The host this app runs for the room, if it is the host. */
  host: ParleyHost | undefined;
  /** The room's certificate fingerprint (the hosted one, or the one pinned to join). */
  fingerprint256?: string;
  /** What the user typed (or the loopback URL), for error sentences. */
  address: string;
  addresses: (port: number) => RoomAddress[];
  /** Draws the invites of a hosted room's addresses. */
  invites?: RoomInvites;
  /** Advertises a hosted room on the LAN once the room is open. */
  advert?: HostAdvert;
  /** The room's file transfers, stopped when the room closes. */
  transfers?: RoomTransfers;
  /** Remembers a joined room's session so a restarted app can resume it. */
  snapshots?: SnapshotKeeper;
  emit: (event: RoomEvent) => void;
  /** The session ended by itself (host gone, replaced...): never called after close(). */
  onEnded: (event: EndedEvent) => void;
  log: (message: string, detail?: unknown) => void;
}

/** The host's history store failed: it closed every connection, so the room is over. */
const HOST_FAILED_ERROR: RoomEvent = {
  type: 'error',
  code: 'store_failed',
  message: 'The room history could not be saved, so the room was closed.',
};
const HOST_FAILED_REASON: EndedEvent['reason'] = {
  code: 'closed',
  message: 'The room was closed because its history could not be saved.',
};

export class ActiveRoom {
  readonly #options: ActiveRoomOptions;
  readonly #adapter: RoomAdapter;
  // Events that arrive while connecting wait until the caller has the summary, so the window
  // always learns which room it is in before the room's history arrives.
  #held: RoomEvent[] | undefined = [];
  // Where others join a hosted room, as of the last welcome (interfaces come and go).
  #addresses: RoomAddress[] = [];
  #invites: RoomInvite[] = [];
  #closing: Promise<void> | undefined;
  readonly #fingerprint: ReadableFingerprint | undefined;
  readonly #hostFailed = (error: Error) => {
    this.#options.log('parley: the hosted room stopped: its history store failed', error);
    if (this.#held || this.#closing) return;
    this.#options.emit(HOST_FAILED_ERROR);
    this.#options.onEnded({ type: 'ended', reason: HOST_FAILED_REASON });
  };

  constructor(options: ActiveRoomOptions) {
    this.#options = options;
    this.#fingerprint =
      options.fingerprint256 === undefined
        ? undefined
        : readableFingerprint(options.fingerprint256);
    // Without a listener the host would only log it; the person hosting must be told.
    options.host?.on('error', this.#hostFailed);
    this.#adapter = new RoomAdapter(options.session, {
      emit: (event) => this.#deliver(event),
      welcome: () => {
        // A reconnect may bring a new peer list or self; the first welcome's summary waits.
        if (!this.#held) void this.#resummarize();
      },
      renamedSelf: () => {
        if (!this.#held) void this.#resummarize();
      },
      ended: (event) => {
        if (!this.#held && !this.#closing) options.onEnded(event);
      },
    });
  }

  get hosting(): boolean {
    return this.#options.host !== undefined;
  }

  /** The room's uploads and downloads. */
  get transfers(): RoomTransfers | undefined {
    return this.#options.transfers;
  }

  /** The room's client session, which answers the window's room requests (room-requests.ts). */
  get session(): RoomSession {
    return this.#options.session;
  }

  summary(): RoomSummary {
    const summary = this.#adapter.summary({
      hosting: this.hosting,
      addresses: this.#addresses,
      invites: this.#invites,
      ...(this.#fingerprint && { fingerprint: this.#fingerprint }),
    });
    if (!summary) throw appError('not_connected');
    return summary;
  }

  /** Connects the session; rejects with a BridgeError (wrong password, name taken, unreachable). */
  async open(): Promise<RoomSummary> {
    try {
      await this.#options.session.connect();
    } catch (error) {
      throw isBridgeError(error) ? error : connectError(error, this.#options.address);
    }
    await this.#refreshJoinInfo();
    return this.summary();
  }

  /**
   * Hands the held events (history, presence, state) to the window, after the summary, and
   * starts advertising a hosted room: from here on it is open to everyone.
   */
  release(): void {
    const held = this.#held ?? [];
    this.#held = undefined;
    this.#options.emit({ type: 'summary', summary: this.summary() });
    for (const event of held) this.#options.emit(event);
    this.#options.advert?.start();
  }

  /** Closes the session, then the host if this app runs it. Idempotent; never rejects. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#adapter.stop();
      this.#options.transfers?.close();
      const { session, host, log, advert, snapshots } = this.#options;
      host?.off('error', this.#hostFailed);
      // Goodbye on the network first, so nobody picks a room from a list as it goes away.
      await advert?.stop();
      await session.close().catch((error: unknown) => log('parley: session close failed', error));
      await snapshots?.close();
      // The host flushes its history store on close: that wait is what keeps every ack durable.
      await host?.close().catch((error: unknown) => log('parley: host close failed', error));
    })();
    return this.#closing;
  }

  #deliver(event: RoomEvent): void {
    if (this.#closing) return;
    if (!this.#held) this.#options.emit(event);
    // A resume snapshot from another room at this address: for the person it is simply a new
    // join (the summary names the room), not a room that changed under them.
    else if (event.type !== 'roomChanged') this.#held.push(event);
  }

  /** Addresses (and invites) of a hosted room as the machine's interfaces are now. */
  async #refreshJoinInfo(): Promise<void> {
    const { host, invites } = this.#options;
    if (!host) return;
    const addresses = this.#options.addresses(host.port);
    this.#invites = (await invites?.for(addresses)) ?? [];
    this.#addresses = addresses;
  }

  async #resummarize(): Promise<void> {
    await this.#refreshJoinInfo();
    if (!this.#closing) this.#options.emit({ type: 'summary', summary: this.summary() });
  }
}
