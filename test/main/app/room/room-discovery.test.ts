import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DISCOVERY_UNAVAILABLE_NOTICE,
  RoomDiscovery,
  roomInfo,
  type RoomDiscoveryOptions,
} from '../../../../main/app/room/room-discovery';
import { RoomEventHub } from '../../../../main/app/room/room-events';
import { advertiseRoom, type RoomAdvertiser } from '../../../../main/discovery/advertiser';
import { DiscoveryError } from '../../../../main/discovery/discovery-error';
import type { MdnsOptions } from '../../../../main/discovery/mdns-socket';
import { browseRooms } from '../../../../main/discovery/room-browser';
import type { DiscoveredRoomInfo, RoomEvent } from '../../../../protocol/bridge';
import { loopbackMdns } from '../../discovery/loopback';
import { FakeBrowser, discoveredRoom } from '../helpers/fakes';
import { recordEvents } from '../helpers/room-events';

type RoomsEvent = Extract<RoomEvent, { type: 'rooms' }>;
const isRooms = (event: RoomEvent): event is RoomsEvent => event.type === 'rooms';

const discoveries: RoomDiscovery[] = [];
afterEach(async () => {
  await Promise.all(discoveries.splice(0).map((discovery) => discovery.stop()));
});

function setup(
  options: Partial<Omit<RoomDiscoveryOptions, 'ownRoomId'>> & { ownRoomId?: string } = {},
) {
  const hub = new RoomEventHub(() => undefined);
  const log = recordEvents(hub);
  let own = options.ownRoomId;
  const browsers: FakeBrowser[] = [];
  const discovery = new RoomDiscovery({
    browse: () => {
      const browser = new FakeBrowser();
      browsers.push(browser);
      return browser;
    },
    emptyAfterMs: 150,
    log: () => undefined,
    ...options,
    emit: (event) => hub.emit(event),
    ownRoomId: () => own,
  });
  discoveries.push(discovery);
  return {
    discovery,
    log,
    browsers,
    setOwn: (id: string | undefined) => {
      own = id;
    },
    rooms: () => log.events.filter(isRooms).map((event) => event.rooms),
  };
}

const kitchen = discoveredRoom();
const lab = discoveredRoom({
  roomId: 'r_lab',
  name: 'Lab',
  peers: 1,
  password: true,
  port: 7421,
  addresses: ['192.0.2.7'],
  instance: 'Lab [00aa11bb]._parley._tcp.local',
});

describe('room discovery for the start screen', () => {
  it('describes a found room with the address to join it by', () => {
    expect(roomInfo(lab)).toEqual({
      roomId: 'r_lab',
      name: 'Lab',
      peers: 1,
      password: true,
      address: '192.0.2.7:7421',
      invite: 'parley://192.0.2.7:7421/?room=r_lab',
    });
    expect(roomInfo(discoveredRoom({ addresses: ['fd00::7'] }))?.address).toBe('[fd00::7]:7420');
    expect(roomInfo(discoveredRoom({ addresses: [] }))?.address).toBe('studio-1a2b3c4d.local:7420');
  });

  it('puts the fingerprint of a TLS room into its invite, and skips what cannot be joined', () => {
    const fingerprint = Array.from({ length: 32 }, () => 'AB').join(':');
    const tls = roomInfo(discoveredRoom({ fingerprint }));
    expect(tls?.fingerprint).toBe(fingerprint);
    expect(tls?.invite).toMatch(
      /^parley:\/\/127\.0\.0\.1:7420\/\?fp=[A-Za-z0-9_-]{43}&room=r_kitchen$/,
    );
    expect(roomInfo(discoveredRoom({ addresses: [], host: 'bad_name.local' }))).toBeUndefined();
  });

  it('forwards every change of the list, at once', async () => {
    const { discovery, log, browsers, rooms } = setup({ emptyAfterMs: 60_000 });
    discovery.start();
    browsers[0]!.show([kitchen]);
    await log.waitFor(isRooms);
    browsers[0]!.show([kitchen, lab]);
    browsers[0]!.show([lab]);
    expect(rooms().map((list) => list.map((room) => room.name))).toEqual([
      ['Kitchen'],
      ['Kitchen', 'Lab'],
      ['Lab'],
    ]);
  });

  it('sends an empty list when nothing was found after the wait, so the window can say so', async () => {
    const { discovery, log, rooms } = setup({ emptyAfterMs: 100 });
    const started = Date.now();
    discovery.start();
    const event = await log.waitFor(isRooms, 2000);
    expect(event.rooms).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(rooms()).toEqual([[]]);
  });

  it('leaves out the room this app hosts, also when hosting starts or stops meanwhile', async () => {
    const { discovery, log, browsers, rooms, setOwn } = setup({
      ownRoomId: 'r_kitchen',
      emptyAfterMs: 100,
    });
    discovery.start();
    browsers[0]!.show([kitchen]);
    // Only our own room so far: still "looking" until the wait is over.
    expect(rooms()).toEqual([]);
    await log.waitFor(isRooms, 2000);
    expect(rooms()).toEqual([[]]);

    browsers[0]!.show([kitchen, lab]);
    setOwn(undefined);
    discovery.refilter();
    setOwn('r_lab');
    discovery.refilter();
    expect(rooms().map((list) => list.map((room: DiscoveredRoomInfo) => room.roomId))).toEqual([
      [],
      ['r_lab'],
      ['r_kitchen', 'r_lab'],
      ['r_kitchen'],
    ]);
  });

  it('asks the network again and resends the list when started again', async () => {
    const { discovery, log, browsers, rooms } = setup();
    discovery.start();
    browsers[0]!.show([lab]);
    await log.waitFor(isRooms);
    discovery.start();
    expect(browsers).toHaveLength(1);
    expect(browsers[0]!.refreshes).toBe(1);
    expect(rooms()).toEqual([[roomInfo(lab)], [roomInfo(lab)]]);
    expect(rooms()[0]?.[0]?.invite).toBe('parley://192.0.2.7:7421/?room=r_lab');
  });

  it('stops the browser, and sends nothing after stopping', async () => {
    vi.useFakeTimers();
    try {
      const { discovery, browsers, rooms } = setup({ emptyAfterMs: 5000 });
      discovery.start();
      await discovery.stop();
      expect(browsers[0]!.stopped).toBe(true);
      expect(discovery.active).toBe(false);
      browsers[0]!.show([lab]);
      // Past the empty-list wait: its timer went with the browser.
      vi.advanceTimersByTime(10_000);
      expect(rooms()).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('says when multicast DNS is unavailable and ends the search with an empty list', async () => {
    const failing = new FakeBrowser(
      Promise.reject(new DiscoveryError('mdns_unavailable', 'bind EACCES')),
    );
    const { discovery, log } = setup({ browse: () => failing, emptyAfterMs: 60_000 });
    discovery.start();
    expect(await log.waitFor((e) => e.type === 'notice')).toEqual(DISCOVERY_UNAVAILABLE_NOTICE);
    expect(await log.waitFor(isRooms)).toEqual({ type: 'rooms', rooms: [] });
    await expect.poll(() => failing.stopped).toBe(true);
    expect(discovery.active).toBe(false);
  });

  it('treats a browser that cannot even start the same way', async () => {
    const { discovery, log } = setup({
      browse: () => {
        throw new DiscoveryError('bad_options', 'Bad mDNS option port');
      },
    });
    discovery.start();
    expect(log.events).toEqual([DISCOVERY_UNAVAILABLE_NOTICE, { type: 'rooms', rooms: [] }]);
  });
});

describe('room discovery on the network (loopback multicast DNS)', () => {
  let mdns: MdnsOptions;
  const advertisers: RoomAdvertiser[] = [];
  beforeEach(async () => {
    mdns = await loopbackMdns();
  });
  afterEach(async () => {
    await Promise.all(advertisers.splice(0).map((advertiser) => advertiser.stop()));
  });

  it('finds an advertised room, follows its changes and sees it go', async () => {
    const { discovery, log } = setup({
      browse: () => browseRooms({ mdns, sweepIntervalMs: 100 }),
      ownRoomId: 'r_mine',
      emptyAfterMs: 60_000,
    });
    discovery.start();
    const mine = await advertiseRoom({ roomId: 'r_mine', roomName: 'Mine', port: 7001, mdns });
    const theirs = await advertiseRoom({
      roomId: 'r_theirs',
      roomName: 'Theirs',
      port: 7002,
      peers: 2,
      password: true,
      mdns,
      minUpdateIntervalMs: 0,
    });
    advertisers.push(mine, theirs);

    const found = await log.waitFor((e) => isRooms(e) && e.rooms.length > 0, 8000);
    expect(found).toEqual({
      type: 'rooms',
      rooms: [
        {
          roomId: 'r_theirs',
          name: 'Theirs',
          peers: 2,
          password: true,
          address: '127.0.0.1:7002',
          invite: 'parley://127.0.0.1:7002/?room=r_theirs',
        },
      ],
    });

    theirs.updatePeers(3);
    await log.waitFor((e) => isRooms(e) && e.rooms[0]?.peers === 3, 8000);
    await theirs.stop();
    // The first list was not empty (the wait for an empty one is a minute), so this is later.
    const gone = await log.waitFor((e) => isRooms(e) && e.rooms.length === 0, 8000);
    expect(gone).toEqual({ type: 'rooms', rooms: [] });
    // Our own room was on the network the whole time and never listed.
    const listed = log.events.filter(isRooms).flatMap((e) => e.rooms.map((room) => room.roomId));
    expect(listed).not.toContain('r_mine');
  });
});
