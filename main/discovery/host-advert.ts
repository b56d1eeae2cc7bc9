/**
 * Advertises a hosted room on the LAN (DNS-SD over multicast DNS), so others see it in their
 * list of rooms, and keeps the number of people in the advert current. Both hosts use it: the
 * desktop app (a notice in the window) and `parley host` (a line on the terminal).
 *
 * Advertising is a comfort: when multicast DNS is unavailable (a port held without address
 * reuse, a network that forbids multicast, a sandbox) the room still runs and people join by
 * address; the person hosting is told so, never given a failure to host.
 */
import type { RoomEvent } from '../../protocol/bridge';
import type { ParleyHost } from '../host/types';
import type { AdvertiserOptions } from './advertiser';
import { DiscoveryError, type DiscoveryWarning } from './discovery-error';

/** The slice of discovery's RoomAdvertiser a host uses (a RoomAdvertiser satisfies it). */
export interface RoomAdvert {
  updatePeers(count: number): void;
  stop(): Promise<void>;
  on(event: 'warning', listener: (warning: DiscoveryWarning) => void): unknown;
}

/** Starts advertising; rejects when it cannot (discovery's `advertiseRoom` fits). */
export type AdvertiseRoom = (options: AdvertiserOptions) => Promise<RoomAdvert>;

export type NoticeEvent = Extract<RoomEvent, { type: 'notice' }>;

export const NOT_ADVERTISED_NOTICE: NoticeEvent = {
  type: 'notice',
  code: 'not_advertised',
  message:
    'Others will not see this room in their list of rooms: this network does not allow ' +
    'discovery. They can still join by address.',
};

/** Said instead when the host listens on loopback only: nobody else could join it anyway. */
export const LOOPBACK_ONLY_NOTICE: NoticeEvent = {
  type: 'notice',
  code: 'not_advertised',
  message:
    'Others will not see this room in their list of rooms: it only accepts connections from ' +
    'this computer.',
};

function noticeFor(cause: unknown): NoticeEvent {
  return cause instanceof DiscoveryError && cause.code === 'loopback_only'
    ? LOOPBACK_ONLY_NOTICE
    : NOT_ADVERTISED_NOTICE;
}

export interface HostAdvertOptions {
  advertise: AdvertiseRoom;
  host: ParleyHost;
  /** The room needs a password (said in the advert, so the list can show a lock). */
  password: boolean;
  /** The address the host listens on (an IP address; default: every address). */
  bind?: string;
  /** The addresses to advertise; default: those `bind` implies (every LAN IPv4 address). */
  addresses?: string[];
  /** Told once when advertising could not start, with why (what `advertise` rejected with). */
  notice: (event: NoticeEvent, cause: unknown) => void;
  log: (message: string, detail?: unknown) => void;
}

export class HostAdvert {
  readonly #options: HostAdvertOptions;
  #advert: Promise<RoomAdvert | undefined> | undefined;
  #stopping: Promise<void> | undefined;
  readonly #peersChanged = () => {
    void this.#advert?.then((advert) => advert?.updatePeers(this.#options.host.peerCount));
  };

  constructor(options: HostAdvertOptions) {
    this.#options = options;
  }

  /** Starts advertising (once); problems end up as a notice and a log line, never a throw. */
  start(): void {
    if (this.#advert || this.#stopping) return;
    const { host } = this.#options;
    host.on('joined', this.#peersChanged);
    host.on('left', this.#peersChanged);
    this.#advert = this.#begin();
  }

  /**
   * Resolves true once the first announcement is out, false when advertising could not start
   * (or was never started). Never rejects.
   */
  async whenAdvertised(): Promise<boolean> {
    return (await this.#advert) !== undefined;
  }

  /** Says goodbye on the network (the room leaves every list). Idempotent; never rejects. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      const { host, log } = this.#options;
      host.off('joined', this.#peersChanged);
      host.off('left', this.#peersChanged);
      const advert = await this.#advert;
      await advert?.stop().catch((error: unknown) => log('parley: advert stop failed', error));
    })();
    return this.#stopping;
  }

  async #begin(): Promise<RoomAdvert | undefined> {
    const { advertise, host, password, bind, addresses, notice, log } = this.#options;
    let advert: RoomAdvert;
    try {
      advert = await advertise({
        roomId: host.room.id,
        roomName: host.room.name,
        port: host.port,
        peers: host.peerCount,
        password,
        ...(host.fingerprint256 !== undefined && { fingerprint: host.fingerprint256 }),
        ...(bind !== undefined && { bind }),
        ...(addresses && { addresses }),
      });
    } catch (error) {
      log('parley: the room is not advertised on the network', error);
      if (!this.#stopping) notice(noticeFor(error), error);
      return undefined;
    }
    // Later trouble (a lost announcement, a network that went away) heals by itself.
    advert.on('warning', (warning) => log('parley: room advert', warning));
    // People may have come or gone while the advertiser was starting.
    if (!this.#stopping) advert.updatePeers(host.peerCount);
    return advert;
  }
}
