import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RoomController, type RoomControllerOptions } from '../../../main/app/room-controller';
import { NOT_ADVERTISED_NOTICE } from '../../../main/app/host-advert';
import { advertiseRoom } from '../../../main/discovery/advertiser';
import { DiscoveryError } from '../../../main/discovery/discovery-error';
import type { MdnsOptions } from '../../../main/discovery/mdns-socket';
import {
  browseRooms,
  type DiscoveredRoom,
  type RoomBrowser,
} from '../../../main/discovery/room-browser';
import { startHost } from '../../../main/host/server';
import { createMemoryStore } from '../../../main/host/store/memory-store';
import { loopbackMdns, waitFor } from '../discovery/loopback';
import { isType, recordEvents } from './helpers/room-events';

let dataDir: string;
let mdns: MdnsOptions;
let browser: RoomBrowser;
const controllers: RoomController[] = [];

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-advert-'));
  // Multicast DNS on the loopback interface, on a UDP port of this test's own (never 5353).
  mdns = await loopbackMdns();
  browser = browseRooms({ mdns, sweepIntervalMs: 100 });
  await browser.ready;
});

afterEach(async () => {
  await Promise.all(controllers.splice(0).map((controller) => controller.leave()));
  await browser.stop();
  await rm(dataDir, { recursive: true, force: true });
});

function makeController(options: Partial<RoomControllerOptions> = {}) {
  const controller = new RoomController({
    dataDir,
    openStore: createMemoryStore,
    bindAddress: '127.0.0.1',
    sessionOptions: { backoff: { initialMs: 50, maxMs: 200 } },
    advertiseRoom: (advert) => advertiseRoom({ ...advert, mdns, minUpdateIntervalMs: 0 }),
    log: () => undefined,
    ...options,
  });
  controllers.push(controller);
  return { controller, log: recordEvents(controller) };
}

function listed(accept: (rooms: DiscoveredRoom[]) => boolean, what: string) {
  return waitFor<DiscoveredRoom[]>(browser, 'change', accept, {
    current: browser.rooms(),
    what,
    timeoutMs: 8000,
  });
}

const roomWith =
  (id: string, accept: (room: DiscoveredRoom) => boolean) => (rooms: DiscoveredRoom[]) =>
    rooms.some((room) => room.roomId === id && accept(room));

describe('advertising the hosted room', () => {
  it('announces the room while hosting, with its name, port, lock and number of people', async () => {
    const { controller } = makeController();
    const summary = await controller.host({
      roomName: 'Lab',
      name: 'Ada',
      port: 0,
      password: 'secret',
    });
    const port = Number(summary.addresses[0]?.address.split(':')[1]);

    const rooms = await listed(
      roomWith(summary.room.id, () => true),
      'the hosted room',
    );
    expect(rooms.find((room) => room.roomId === summary.room.id)).toMatchObject({
      name: 'Lab',
      port,
      password: true,
      peers: 1,
      addresses: ['127.0.0.1'],
      // The room speaks TLS: others pin it by the fingerprint it advertises.
      fingerprint: summary.fingerprint?.full,
    });
  });

  it('keeps the number of people current as guests come and go', async () => {
    const ada = makeController();
    const hosted = await ada.controller.host({ roomName: 'Lab', name: 'Ada', port: 0 });
    await listed(
      roomWith(hosted.room.id, (room) => room.peers === 1),
      'one person',
    );

    const bob = makeController();
    await bob.controller.join({ address: hosted.invites?.[0]?.invite ?? '', name: 'Bob' });
    await listed(
      roomWith(hosted.room.id, (room) => room.peers === 2),
      'two people',
    );

    await bob.controller.leave();
    await listed(
      roomWith(hosted.room.id, (room) => room.peers === 1),
      'one person again',
    );
  });

  it('says goodbye on the network before the host closes, so the room leaves every list', async () => {
    const order: string[] = [];
    const { controller } = makeController({
      startHost: async (options) => {
        const host = await startHost(options);
        const close = host.close.bind(host);
        return Object.assign(host, {
          close: () => {
            order.push('host closed');
            return close();
          },
        });
      },
      advertiseRoom: async (options) => {
        const advert = await advertiseRoom({ ...options, mdns });
        const stop = advert.stop.bind(advert);
        return Object.assign(advert, {
          stop: () => {
            order.push('advert stopped');
            return stop();
          },
        });
      },
    });
    const summary = await controller.host({ roomName: 'Lab', name: 'Ada', port: 0 });
    await listed(
      roomWith(summary.room.id, () => true),
      'the hosted room',
    );

    await controller.leave();
    expect(order).toEqual(['advert stopped', 'host closed']);
    await listed((rooms) => rooms.length === 0, 'the room gone from the list');
  });

  it('still hosts when multicast DNS is unavailable, and says the room is not advertised', async () => {
    const { controller, log } = makeController({
      advertiseRoom: async () => {
        throw new DiscoveryError('mdns_unavailable', 'bind EACCES 0.0.0.0:5353');
      },
    });
    const summary = await controller.host({ roomName: 'Lab', name: 'Ada', port: 0 });
    expect(summary.hosting).toBe(true);
    const notice = await log.waitFor(isType('notice'));
    expect(notice).toEqual(NOT_ADVERTISED_NOTICE);
    expect(notice.message).toMatch(/join by address/);
    // The room itself works.
    await controller.send('still here');
    await log.waitFor((e) => e.type === 'message' && e.message.text === 'still here');
  });

  it('does not advertise a room it only joined', async () => {
    const adverts: string[] = [];
    const ada = makeController();
    const hosted = await ada.controller.host({ roomName: 'Lab', name: 'Ada', port: 0 });
    const bob = makeController({
      advertiseRoom: async (options) => {
        adverts.push(options.roomId);
        return advertiseRoom({ ...options, mdns });
      },
    });
    await bob.controller.join({ address: hosted.invites?.[0]?.invite ?? '', name: 'Bob' });
    await listed(
      roomWith(hosted.room.id, (room) => room.peers === 2),
      'two people',
    );
    expect(adverts).toEqual([]);
    expect(browser.rooms()).toHaveLength(1);
  });
});
