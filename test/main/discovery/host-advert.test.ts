/**
 * HostAdvert on multicast DNS over loopback (a UDP port of each test's own, never 5353): on its
 * own around a real host, and as the desktop app's RoomController uses it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RoomController, type RoomControllerOptions } from '../../../main/app/room/room-controller';
import { advertiseRoom } from '../../../main/discovery/advertiser';
import { DiscoveryError } from '../../../main/discovery/discovery-error';
import {
  HostAdvert,
  LOOPBACK_ONLY_NOTICE,
  NOT_ADVERTISED_NOTICE,
  type AdvertiseRoom,
  type HostAdvertOptions,
  type NoticeEvent,
  type RoomAdvert,
} from '../../../main/discovery/host-advert';
import type { MdnsOptions } from '../../../main/discovery/mdns-socket';
import {
  browseRooms,
  type DiscoveredRoom,
  type RoomBrowser,
} from '../../../main/discovery/room-browser';
import { startHost } from '../../../main/host/server';
import { createMemoryStore } from '../../../main/host/store/memory-store';
import type { ParleyHost } from '../../../main/host/types';
import { ClientSession } from '../../../protocol/client/client-session';
import { withTimeout } from '../../support/wait';
import { isType, recordEvents } from '../app/helpers/room-events';
import { aDeviceOfItsOwn } from '../app/room/support/controllers';
import { loopbackMdns, waitFor } from './loopback';

let dataDir: string;
let mdns: MdnsOptions;
let browser: RoomBrowser;
const controllers: RoomController[] = [];
const cleanups: (() => Promise<unknown>)[] = [];

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-advert-'));
  // Multicast DNS on the loopback interface, on a UDP port of this test's own (never 5353).
  mdns = await loopbackMdns();
  browser = browseRooms({ mdns, sweepIntervalMs: 100 });
  await browser.ready;
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await Promise.all(controllers.splice(0).map((controller) => controller.leave()));
  await browser.stop();
  await rm(dataDir, { recursive: true, force: true });
});

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

const loopbackAdvertise: AdvertiseRoom = (options) =>
  advertiseRoom({ ...options, mdns, minUpdateIntervalMs: 0 });

async function loopbackHost(): Promise<ParleyHost> {
  const host = await startHost({ host: '127.0.0.1', port: 0, roomName: 'Workshop' });
  cleanups.push(() => host.close());
  return host;
}

function hostAdvert(host: ParleyHost, options: Partial<HostAdvertOptions> = {}) {
  const notices: { event: NoticeEvent; cause: unknown }[] = [];
  const logged: string[] = [];
  const advert = new HostAdvert({
    advertise: loopbackAdvertise,
    host,
    password: false,
    notice: (event, cause) => notices.push({ event, cause }),
    log: (message) => logged.push(message),
    ...options,
  });
  cleanups.push(() => advert.stop());
  return { advert, notices, logged };
}

async function joinAs(host: ParleyHost, name: string): Promise<ClientSession> {
  const session = new ClientSession({
    url: `ws://127.0.0.1:${host.port}/ws`,
    name,
    WebSocket: WebSocket,
    reconnect: false,
  });
  cleanups.push(() => session.close());
  await session.connect();
  return session;
}

/** A promise the test settles by hand, to hold `advertise` mid-start. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

describe('HostAdvert around a running host', () => {
  it('lists the room with its name, port, lock and addresses once advertised', async () => {
    const host = await loopbackHost();
    const { advert } = hostAdvert(host, { password: true, addresses: ['127.0.0.1'] });
    expect(await advert.whenAdvertised()).toBe(false);
    advert.start();
    expect(await withTimeout(advert.whenAdvertised(), 5000, 'the advert')).toBe(true);

    const rooms = await listed(
      roomWith(host.room.id, () => true),
      'the room',
    );
    expect(rooms.find((room) => room.roomId === host.room.id)).toMatchObject({
      name: 'Workshop',
      port: host.port,
      password: true,
      peers: 0,
      addresses: ['127.0.0.1'],
    });
  });

  it('follows people joining and leaving, and takes the room off every list on stop', async () => {
    const host = await loopbackHost();
    const { advert } = hostAdvert(host);
    advert.start();
    await listed(
      roomWith(host.room.id, (room) => room.peers === 0),
      'an empty room',
    );

    const ada = await joinAs(host, 'ada');
    await listed(
      roomWith(host.room.id, (room) => room.peers === 1),
      'one person',
    );
    await joinAs(host, 'bob');
    await listed(
      roomWith(host.room.id, (room) => room.peers === 2),
      'two people',
    );
    await ada.close();
    await listed(
      roomWith(host.room.id, (room) => room.peers === 1),
      'one person again',
    );

    await advert.stop();
    await listed((rooms) => rooms.length === 0, 'the room gone');
    // Stopping twice is harmless, and the host itself still runs.
    await advert.stop();
    await joinAs(host, 'carol');
  });

  it('tells once, with the cause, when the room cannot be advertised; the host keeps running', async () => {
    const host = await loopbackHost();
    const unavailable = new DiscoveryError('mdns_unavailable', 'Cannot use mDNS on port 5353');
    const { advert, notices, logged } = hostAdvert(host, {
      advertise: () => Promise.reject(unavailable),
    });
    advert.start();
    advert.start();
    expect(await advert.whenAdvertised()).toBe(false);
    expect(notices).toEqual([{ event: NOT_ADVERTISED_NOTICE, cause: unavailable }]);
    expect(logged).toEqual(['parley: the room is not advertised on the network']);
    await joinAs(host, 'ada');
    await advert.stop();
  });

  it('does not advertise a host on loopback only, and says it only takes this computer', async () => {
    const host = await loopbackHost();
    const { advert, notices } = hostAdvert(host, {
      bind: '127.0.0.1',
      // Multicast DNS on every interface, as outside tests: the advert would reach the LAN.
      advertise: (options) => advertiseRoom({ ...options, mdns: { port: mdns.port! } }),
    });
    advert.start();
    expect(await advert.whenAdvertised()).toBe(false);
    expect(notices).toEqual([
      { event: LOOPBACK_ONLY_NOTICE, cause: expect.objectContaining({ code: 'loopback_only' }) },
    ]);
  });

  it('stops an advert that was still starting, without a notice if it then fails', async () => {
    const host = await loopbackHost();
    const pending = deferred<RoomAdvert>();
    const { advert, notices } = hostAdvert(host, { advertise: () => pending.promise });
    advert.start();
    const stopped = advert.stop();
    pending.reject(new DiscoveryError('mdns_unavailable', 'too late'));
    await withTimeout(stopped, 5000, 'the stop');
    expect(notices).toEqual([]);
    // Once stopped it does not start again.
    advert.start();
    expect(await advert.whenAdvertised()).toBe(false);
  });

  it('says goodbye for an advert that came up while stopping, and never rejects', async () => {
    const host = await loopbackHost();
    const pending = deferred<RoomAdvert>();
    const calls: string[] = [];
    const { advert, logged } = hostAdvert(host, { advertise: () => pending.promise });
    advert.start();
    const stopped = advert.stop();
    pending.resolve({
      updatePeers: (count) => calls.push(`peers ${count}`),
      stop: async () => {
        calls.push('stop');
        throw new Error('socket gone');
      },
      on: () => undefined,
    });
    await withTimeout(stopped, 5000, 'the stop');
    expect(calls).toEqual(['stop']);
    expect(logged).toEqual(['parley: advert stop failed']);
  });
});

/**
 * The desktop app's controller, advertising on this test's loopback mDNS port; each is the app of
 * another computer (a device secret of its own), so a guest is a second person in the room.
 */
function makeController(options: Partial<RoomControllerOptions> = {}) {
  const controller = new RoomController({
    dataDir,
    openStore: createMemoryStore,
    bindAddress: '127.0.0.1',
    sessionOptions: { backoff: { initialMs: 50, maxMs: 200 } },
    advertiseRoom: (advert) => advertiseRoom({ ...advert, mdns, minUpdateIntervalMs: 0 }),
    log: () => undefined,
    deviceSecret: aDeviceOfItsOwn(),
    ...options,
  });
  controllers.push(controller);
  return { controller, log: recordEvents(controller) };
}

describe('advertising the room the desktop app hosts', () => {
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
    await controller.requests.send({ conv: 'general', text: 'still here' });
    await log.waitFor(
      (e) => e.type === 'entry' && e.entry.kind === 'text' && e.entry.text === 'still here',
    );
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
