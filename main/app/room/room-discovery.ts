/**
 * Finding rooms on the LAN for the start screen: while discovery is on, one room browser runs
 * and every change of its list reaches the window as a `rooms` event, without the room this app
 * hosts itself (nobody joins their own room from a list).
 *
 * The first `rooms` event comes as soon as a room is found, or after `emptyAfterMs` with an empty
 * list, so the window can stop saying "looking" and suggest joining by address (multicast DNS is
 * often blocked on guest and corporate networks). When multicast DNS is not available at all the
 * window gets a notice and an empty list at once.
 */
import type { DiscoveredRoomInfo, RoomEvent } from '../../../protocol/bridge';
import { buildInvite, formatAddress } from '../../../protocol/client/invite';
import type { DiscoveryWarning } from '../../discovery/discovery-error';
import { browseRooms, type DiscoveredRoom } from '../../discovery/room-browser';

/** The slice of discovery's RoomBrowser the app uses (a RoomBrowser satisfies it). */
export interface RoomBrowserLike {
  readonly ready: Promise<void>;
  rooms(): DiscoveredRoom[];
  refresh(): void;
  stop(): Promise<void>;
  on(event: 'change', listener: (rooms: DiscoveredRoom[]) => void): unknown;
  on(event: 'warning', listener: (warning: DiscoveryWarning) => void): unknown;
}

export interface RoomDiscoveryOptions {
  emit: (event: RoomEvent) => void;
  /** The id of the room this app hosts right now, if any: it is left out of the list. */
  ownRoomId: () => string | undefined;
  /** Starts a room browser. Default: multicast DNS on every interface (main/discovery). */
  browse?: () => RoomBrowserLike;
  /** How long an empty list waits before it is sent anyway. Default 5000 ms. */
  emptyAfterMs?: number;
  log?: (message: string, detail?: unknown) => void;
}

export const DISCOVERY_UNAVAILABLE_NOTICE: Extract<RoomEvent, { type: 'notice' }> = {
  type: 'notice',
  code: 'discovery_unavailable',
  message:
    'Parley cannot look for rooms on this network (multicast is not available). ' +
    'Join by address instead.',
};

interface Run {
  browser: RoomBrowserLike;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** The last list sent, as JSON; undefined until the first `rooms` event. */
  sent: string | undefined;
}

/**
 * What the window needs of a discovered room (the first address is the one most likely to
 * work), or undefined for an advert no invite can be made from (a host name DNS would refuse).
 */
export function roomInfo(room: DiscoveredRoom): DiscoveredRoomInfo | undefined {
  const host = room.addresses[0] ?? room.host;
  const { roomId, fingerprint, port } = room;
  let invite: string;
  try {
    invite = buildInvite({ host, port, roomId, ...(fingerprint !== undefined && { fingerprint }) });
  } catch {
    return undefined;
  }
  return {
    roomId,
    name: room.name,
    peers: room.peers,
    password: room.password,
    address: formatAddress(host, port),
    ...(fingerprint !== undefined && { fingerprint }),
    invite,
  };
}

export class RoomDiscovery {
  readonly #options: Required<RoomDiscoveryOptions>;
  #run: Run | undefined;

  constructor(options: RoomDiscoveryOptions) {
    this.#options = {
      browse: () => browseRooms(),
      emptyAfterMs: 5000,
      log: (message: string, detail?: unknown) => console.warn(message, detail ?? ''),
      ...options,
    };
  }

  get active(): boolean {
    return this.#run !== undefined;
  }

  /** Starts looking; when already looking, asks the network again and resends the list. */
  start(): void {
    const current = this.#run;
    if (current) {
      current.browser.refresh();
      if (current.sent !== undefined) this.#publish(current, { resend: true });
      return;
    }
    let browser: RoomBrowserLike;
    try {
      browser = this.#options.browse();
    } catch (error) {
      this.#unavailable(error);
      return;
    }
    const run: Run = { browser, timer: undefined, sent: undefined };
    this.#run = run;
    browser.on('change', () => {
      if (this.#run === run) this.#publish(run);
    });
    browser.on('warning', (warning) => this.#options.log('parley: room discovery', warning));
    browser.ready.catch((error: unknown) => {
      if (this.#run !== run) return;
      void this.stop();
      this.#unavailable(error);
    });
    run.timer = setTimeout(() => {
      run.timer = undefined;
      if (this.#run === run) this.#publish(run, { timeUp: true });
    }, this.#options.emptyAfterMs);
  }

  /** Stops looking and closes the browser's socket. Idempotent; no `rooms` event after it. */
  async stop(): Promise<void> {
    const run = this.#run;
    if (!run) return;
    this.#run = undefined;
    clearTimeout(run.timer);
    await run.browser.stop().catch((error: unknown) => {
      this.#options.log('parley: room discovery did not stop cleanly', error);
    });
  }

  /** The room this app hosts changed: the list may show one room more or less. */
  refilter(): void {
    if (this.#run) this.#publish(this.#run);
  }

  #publish(run: Run, how: { timeUp?: boolean; resend?: boolean } = {}): void {
    const own = this.#options.ownRoomId();
    const rooms = run.browser
      .rooms()
      .filter((room) => room.roomId !== own)
      .map(roomInfo)
      .filter((room) => room !== undefined);
    // Until something is found, silence means "still looking"; the timer ends the wait.
    if (run.sent === undefined && rooms.length === 0 && !how.timeUp) return;
    const json = JSON.stringify(rooms);
    if (json === run.sent && !how.resend) return;
    run.sent = json;
    clearTimeout(run.timer);
    run.timer = undefined;
    this.#options.emit({ type: 'rooms', rooms });
  }

  #unavailable(error: unknown): void {
    this.#options.log('parley: cannot look for rooms on this network', error);
    this.#options.emit(DISCOVERY_UNAVAILABLE_NOTICE);
    this.#options.emit({ type: 'rooms', rooms: [] });
  }
}
