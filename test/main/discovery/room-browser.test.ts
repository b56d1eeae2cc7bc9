import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSocket } from 'node:dgram';
import fc from 'fast-check';
import { advertiseRoom, type RoomAdvertiser } from '../../../main/discovery/advertiser';
import { DiscoveryError } from '../../../main/discovery/discovery-error';
import { MdnsSocket, type MdnsOptions, type MdnsRecord } from '../../../main/discovery/mdns-socket';
import {
  browseRooms,
  type DiscoveredRoom,
  type RoomBrowser,
  type RoomBrowserOptions,
} from '../../../main/discovery/room-browser';
import { fingerprintToBase64Url } from '../../../protocol/client/fingerprint';
import { withTimeout } from '../../support/wait';
import { MdnsObserver, loopbackMdns, waitFor } from './loopback';

const FINGERPRINT = Array.from({ length: 32 }, (_, i) => (255 - i).toString(16).padStart(2, '0'))
  .join(':')
  .toUpperCase();

let mdns: MdnsOptions;
let observer: MdnsObserver;
const advertisers: RoomAdvertiser[] = [];
const browsers: RoomBrowser[] = [];

beforeEach(async () => {
  mdns = await loopbackMdns();
  observer = await MdnsObserver.open(mdns);
});

afterEach(async () => {
  await Promise.all(advertisers.splice(0).map((advertiser) => advertiser.stop()));
  await Promise.all(browsers.splice(0).map((browser) => browser.stop()));
  await observer.close();
});

function browse(options: RoomBrowserOptions = {}): RoomBrowser {
  const browser = browseRooms({ mdns, sweepIntervalMs: 100, ...options });
  browsers.push(browser);
  return browser;
}

async function advertise(roomId: string, roomName: string, extra = {}): Promise<RoomAdvertiser> {
  const advertiser = await advertiseRoom({
    roomId,
    roomName,
    port: 7000 + advertisers.length,
    mdns,
    minUpdateIntervalMs: 0,
    ...extra,
  });
  advertisers.push(advertiser);
  return advertiser;
}

function listWhere(
  browser: RoomBrowser,
  accept: (rooms: DiscoveredRoom[]) => boolean,
  what: string,
  timeoutMs?: number,
): Promise<DiscoveredRoom[]> {
  return waitFor(browser, 'change', accept, { current: browser.rooms(), what, timeoutMs });
}

const ids = (rooms: DiscoveredRoom[]) => rooms.map((room) => room.roomId);

/** A hand-made advert, as any program on the LAN could send it. */
function fakeAdvert(options: {
  instance?: string;
  txt?: string[];
  port?: number;
  ttl?: number;
  addresses?: string[];
}): MdnsRecord[] {
  const instance = `${options.instance ?? 'Fake'}._parley._tcp.local`;
  const ttl = options.ttl ?? 120;
  const txt = options.txt ?? ['name=Fake room', 'id=fake-1', 'peers=1', 'pw=0', 'v=1'];
  return [
    { name: '_parley._tcp.local', type: 'PTR', ttl: 4500, data: instance },
    {
      name: instance,
      type: 'SRV',
      ttl,
      data: { port: options.port ?? 7420, target: 'fake.local' },
    },
    { name: instance, type: 'TXT', ttl: 4500, data: txt.map((s) => Buffer.from(s)) },
    ...(options.addresses ?? ['127.0.0.1']).map((address): MdnsRecord => ({
      name: 'fake.local',
      type: 'A',
      ttl,
      data: address,
    })),
  ];
}

describe('finding rooms', () => {
  it('lists two rooms advertised on the loopback network, with everything needed to join', async () => {
    const browser = browse();
    await browser.ready;
    await advertise('room-b', 'Zebra room', { peers: 2 });
    await advertise('room-a', 'Apple room', { password: true, fingerprint: FINGERPRINT });
    const rooms = await listWhere(browser, (r) => r.length === 2, 'both rooms');

    expect(rooms[0]).toEqual({
      roomId: 'room-a',
      name: 'Apple room',
      peers: 0,
      password: true,
      fingerprint: FINGERPRINT,
      protocol: 1,
      host: advertisers[1]!.targetHost,
      port: 7001,
      addresses: ['127.0.0.1'],
      instance: `${advertisers[1]!.instanceName}._parley._tcp.local`,
    });
    expect(rooms[1]).toMatchObject({
      roomId: 'room-b',
      name: 'Zebra room',
      peers: 2,
      password: false,
      port: 7000,
    });
    expect(rooms[1]!.fingerprint).toBeUndefined();
  });

  it('finds rooms that were announced before the browser started', async () => {
    await advertise('early', 'Early room');
    await advertise('earlier', 'Earlier room');
    const browser = browse();
    // Sorted by name: "Earlier room" before "Early room".
    expect(ids(await listWhere(browser, (r) => r.length === 2, 'both rooms'))).toEqual([
      'earlier',
      'early',
    ]);
  });

  it('shows a new peer count, and the room never leaves the list on the way', async () => {
    const browser = browse();
    const lists: DiscoveredRoom[][] = [];
    browser.on('change', (rooms) => lists.push(rooms));
    const advertiser = await advertise('room', 'Room');
    await listWhere(browser, (r) => r.length === 1, 'the room');
    advertiser.updatePeers(4);
    await listWhere(browser, (r) => r[0]?.peers === 4, 'peers = 4');
    advertiser.updatePeers(1);
    await listWhere(browser, (r) => r[0]?.peers === 1, 'peers = 1');
    expect(lists.map((rooms) => rooms.map((room) => room.peers))).toEqual([[0], [4], [1]]);
  });

  it('drops a room that stops at once (goodbye) and keeps the others', async () => {
    const browser = browse();
    const leaving = await advertise('leaving', 'Leaving');
    await advertise('staying', 'Staying');
    await listWhere(browser, (r) => r.length === 2, 'both rooms');
    const started = Date.now();
    await leaving.stop();
    expect(ids(await listWhere(browser, (r) => r.length === 1, 'one room left'))).toEqual([
      'staying',
    ]);
    // Well before any TTL could run out: the goodbye did it.
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('drops a room that vanished without a goodbye once its TTL runs out', async () => {
    const browser = browse();
    await observer.socket.send(fakeAdvert({ ttl: 1 }));
    await listWhere(browser, (r) => r.length === 1, 'the fake room');
    const seen = Date.now();
    await listWhere(browser, (r) => r.length === 0, 'the room to expire', 5000);
    const lasted = Date.now() - seen;
    expect(lasted).toBeGreaterThanOrEqual(800);
    expect(lasted).toBeLessThan(3000);
  });

  it('keeps a live room with a short TTL: it asks again before the TTL runs out', async () => {
    const browser = browse();
    const lists: DiscoveredRoom[][] = [];
    browser.on('change', (rooms) => lists.push(rooms));
    await advertise('short', 'Short TTL', { ttlSeconds: 1 });
    await listWhere(browser, (r) => r.length === 1, 'the room');
    const started = Date.now();
    // Each answer to a refresh query carries the SRV record; wait until 3.5 TTLs have passed.
    await observer.next(
      (p) => p.answers.some((r) => r.type === 'PTR') && Date.now() - started > 3500,
      'answers for 3.5 TTLs',
    );
    expect(browser.rooms().map((r) => r.roomId)).toEqual(['short']);
    expect(lists.every((rooms) => rooms.length === 1)).toBe(true);
  });

  it('lists a room again when it comes back after expiring', async () => {
    const browser = browse();
    await observer.socket.send(fakeAdvert({ ttl: 1 }));
    await listWhere(browser, (r) => r.length === 1, 'the fake room');
    await listWhere(browser, (r) => r.length === 0, 'the room to expire', 5000);
    await observer.socket.send(fakeAdvert({ ttl: 120 }));
    await listWhere(browser, (r) => r.length === 1, 'the room back');
  });

  it('offers one stable address order whichever path the advert takes', async () => {
    const browser = browse();
    await browser.ready;
    // The same host heard from two source addresses, as over loopback and over the LAN; each
    // round says one more person is in, so the browser's list shows when it got the packet.
    const other = new MdnsSocket({ ...mdns, bind: '127.0.0.2' }, () => undefined);
    const addressLists: string[][] = [];
    try {
      await other.ready;
      for (let peers = 1; peers <= 6; peers++) {
        const txt = ['name=Moving', 'id=moving', `peers=${peers}`, 'pw=0', 'v=1'];
        const sender = peers % 2 === 0 ? other : observer.socket;
        await sender.send(fakeAdvert({ txt, addresses: ['127.0.0.1', '10.99.0.7'] }));
        const [room] = await listWhere(browser, (r) => r[0]?.peers === peers, `${peers} people`);
        addressLists.push(room!.addresses);
      }
    } finally {
      await other.close();
    }
    // Routable first, loopback last (the advert comes from this machine, so it is kept).
    expect(addressLists).toEqual(Array.from({ length: 6 }, () => ['10.99.0.7', '127.0.0.1']));
  });

  it('asks again when refreshed by hand', async () => {
    const browser = browse();
    await browser.ready;
    const query = new Promise<void>((resolve) => {
      const stop = observer.socket.onQuery(() => {
        stop();
        resolve();
      });
    });
    browser.refresh();
    await withTimeout(query, 5000, 'a query after refresh()');
  });
});

describe('adverts that are not valid', () => {
  const valid = ['name=Fine', 'id=fine', 'peers=1', 'pw=0', 'v=1'];
  const without = (key: string) => valid.filter((s) => !s.startsWith(`${key}=`));
  const badTxts: string[][] = [
    without('name'),
    without('id'),
    without('peers'),
    without('pw'),
    without('v'),
    ['name=\u0000\u0007', ...without('name')],
    ['id=has space', ...without('id')],
    ['id=' + 'x'.repeat(129), ...without('id')],
    ['peers=lots', ...without('peers')],
    ['peers=-1', ...without('peers')],
    ['peers=99999999999', ...without('peers')],
    ['pw=yes', ...without('pw')],
    ['fp=zz', ...valid],
    ['v=0', ...without('v')],
    ['v=1.5', ...without('v')],
    ['__proto__=x', 'constructor=y', ...without('name')],
    [],
  ];

  it('are never listed, and the browser keeps working', async () => {
    const browser = browse();
    await browser.ready;
    for (const [i, txt] of badTxts.entries()) {
      await observer.socket.send(fakeAdvert({ instance: `Bad ${i}`, txt }));
    }
    await observer.socket.send(fakeAdvert({ instance: 'Port zero', txt: valid, port: 0 }));
    await observer.socket.send(fakeAdvert({ instance: 'Good', txt: valid }));
    const rooms = await listWhere(browser, (r) => r.length > 0, 'the good room');
    expect(rooms).toEqual([
      expect.objectContaining({
        roomId: 'fine',
        name: 'Fine',
        instance: 'Good._parley._tcp.local',
      }),
    ]);
  });

  it('are read with care: keys in any case, control characters in names made spaces', async () => {
    const browser = browse();
    await observer.socket.send(
      fakeAdvert({
        txt: [
          'NAME=Tab\there',
          'ID=loud',
          'Peers=3',
          'PW=1',
          'V=2',
          `FP=${fingerprintToBase64Url(FINGERPRINT)}`,
        ],
      }),
    );
    const [room] = await listWhere(browser, (r) => r.length === 1, 'the room');
    expect(room).toMatchObject({
      name: 'Tab here',
      roomId: 'loud',
      peers: 3,
      password: true,
      protocol: 2,
      fingerprint: FINGERPRINT,
    });
  });

  it('removes a listed room whose advert turns invalid', async () => {
    const browser = browse();
    await observer.socket.send(fakeAdvert({ txt: valid }));
    await listWhere(browser, (r) => r.length === 1, 'the room');
    await observer.socket.send(fakeAdvert({ txt: ['peers=nope', ...without('peers')] }));
    await listWhere(browser, (r) => r.length === 0, 'the room to go');
  });

  it('survives datagrams of garbage sent straight to its socket', async () => {
    const browser = browse();
    await browser.ready;
    const sender = createSocket('udp4');
    const junk = fc.sample(fc.uint8Array({ minLength: 0, maxLength: 600 }), {
      numRuns: 200,
      seed: 7,
    });
    // A DNS response header with absurd counts, and one that claims to be an answer.
    junk.push(Uint8Array.from([0, 0, 0x84, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0]));
    junk.push(Uint8Array.from([0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0xc0, 0x0c, 0, 12]));
    try {
      for (const bytes of junk) {
        await new Promise<void>((resolve) =>
          sender.send(bytes, mdns.port!, '127.0.0.1', () => resolve()),
        );
      }
    } finally {
      sender.close();
    }
    await observer.socket.send(fakeAdvert({ txt: valid }));
    expect(ids(await listWhere(browser, (r) => r.length === 1, 'the good room'))).toEqual(['fine']);
  });

  it('are capped: a flood of adverts lists at most maxRooms', async () => {
    const browser = browse({ maxRooms: 3 });
    await browser.ready;
    for (let i = 0; i < 6; i++) {
      await observer.socket.send(
        fakeAdvert({ instance: `Flood ${i}`, txt: [`id=flood-${i}`, ...without('id')] }),
      );
    }
    await listWhere(browser, (r) => r.length === 3, 'three rooms');
    await observer.socket.send(
      fakeAdvert({
        instance: 'Flood 0',
        txt: [`id=flood-0`, 'peers=2', ...without('id').filter((s) => !s.startsWith('peers='))],
      }),
    );
    await listWhere(
      browser,
      (r) => r.some((room) => room.peers === 2),
      'an update of a listed room',
    );
    expect(browser.rooms()).toHaveLength(3);
  });

  it('cannot linger by claiming a huge TTL', async () => {
    const browser = browse({ maxTtlSeconds: 1 });
    await observer.socket.send(fakeAdvert({ ttl: 0x7fffffff }));
    await listWhere(browser, (r) => r.length === 1, 'the room');
    await listWhere(browser, (r) => r.length === 0, 'the room to expire', 5000);
  });
});

describe('the browser itself', () => {
  it('stops cleanly: idempotent, and silent afterwards', async () => {
    const browser = browse();
    await browser.ready;
    let changes = 0;
    browser.on('change', () => changes++);
    await Promise.all([browser.stop(), browser.stop()]);
    await advertise('late', 'Late');
    // The advertiser's announcement has been delivered to every socket on the port by now.
    await observer.next(() => true, 'the repeat announcement');
    expect(changes).toBe(0);
    expect(browser.rooms()).toEqual([]);
    browser.refresh();
  });

  it('validates its options with a stable code', () => {
    for (const options of [
      { sweepIntervalMs: 0 },
      { maxRooms: 0 },
      { maxTtlSeconds: -1 },
      { mdns: { port: 99999 } },
      { other: 1 },
    ]) {
      let error: unknown;
      try {
        browseRooms(options as RoomBrowserOptions);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(options)).toBeInstanceOf(DiscoveryError);
      expect((error as DiscoveryError).code).toBe('bad_options');
    }
  });
});
