/** Stand-ins for the network-facing parts of discovery, for tests about something else. */
import { EventEmitter } from 'node:events';
import type { AdvertiseRoom, RoomAdvert } from '../../../../main/discovery/host-advert';
import type { AdvertiserOptions } from '../../../../main/discovery/advertiser';
import type { DiscoveredRoom } from '../../../../main/discovery/room-browser';
import type { RoomBrowserLike } from '../../../../main/app/room/room-discovery';

export interface QuietAdvertiser extends AdvertiseRoom {
  /** What each advert was started with, and the peer counts it was told since. */
  readonly adverts: { options: AdvertiserOptions; peers: number[]; stopped: boolean }[];
}

/** An advertiser that sends nothing and remembers what it was asked. */
export function quietAdvertiser(): QuietAdvertiser {
  const adverts: QuietAdvertiser['adverts'] = [];
  const advertise = async (options: AdvertiserOptions): Promise<RoomAdvert> => {
    const record = { options, peers: [] as number[], stopped: false };
    adverts.push(record);
    return {
      updatePeers: (count) => record.peers.push(count),
      stop: async () => {
        record.stopped = true;
      },
      on: () => undefined,
    };
  };
  return Object.assign(advertise, { adverts });
}

/** A room browser driven by the test: `show(rooms)` is what the network would have said. */
export class FakeBrowser extends EventEmitter implements RoomBrowserLike {
  ready: Promise<void>;
  stopped = false;
  refreshes = 0;
  #rooms: DiscoveredRoom[] = [];

  constructor(ready: Promise<void> = Promise.resolve()) {
    super();
    this.ready = ready;
    // An unhandled rejection would fail the test run; the code under test handles it later.
    ready.catch(() => undefined);
  }

  rooms(): DiscoveredRoom[] {
    return this.#rooms.map((room) => ({ ...room, addresses: [...room.addresses] }));
  }

  refresh(): void {
    this.refreshes++;
  }

  async stop(): Promise<void> {
    this.stopped = true;
  }

  show(rooms: DiscoveredRoom[]): void {
    this.#rooms = rooms;
    this.emit('change', this.rooms());
  }
}

export function discoveredRoom(overrides: Partial<DiscoveredRoom> = {}): DiscoveredRoom {
  return {
    roomId: 'r_kitchen',
    name: 'Kitchen',
    peers: 2,
    password: false,
    protocol: 1,
    host: 'studio-1a2b3c4d.local',
    port: 7420,
    addresses: ['127.0.0.1'],
    instance: 'Kitchen [1a2b3c4d]._parley._tcp.local',
    ...overrides,
  };
}
