/**
 * `parley host` on the local network, run in-process with multicast DNS on loopback (a UDP port
 * of each test's own, never 5353): found by a room browser, kept current, gone after a stop.
 */
import { X509Certificate } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { runHost } from '../../../main/cli/host-command';
import {
  advertisedAddresses,
  advertisedLine,
  notAdvertisedWarning,
} from '../../../main/cli/host-discovery';
import { hostHelp } from '../../../main/cli/host-help';
import { advertiseRoom, type AdvertiserOptions } from '../../../main/discovery/advertiser';
import { DiscoveryError, type DiscoveryWarning } from '../../../main/discovery/discovery-error';
import type { AdvertiseRoom, RoomAdvert } from '../../../main/discovery/host-advert';
import type { MdnsOptions } from '../../../main/discovery/mdns-socket';
import {
  browseRooms,
  type DiscoveredRoom,
  type RoomBrowser,
} from '../../../main/discovery/room-browser';
import { ClientSession } from '../../../protocol/client/client-session';
import { withTimeout } from '../../support/wait';
import { loopbackMdns, waitFor } from '../discovery/loopback';
import { memoryIo, type MemoryIo } from './support/memory-io';

/** One data home for the file: the host's certificate is made once, not per test. */
let home: string;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'parley-host-discovery-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

let mdns: MdnsOptions;
let browser: RoomBrowser;
const cleanups: (() => Promise<unknown>)[] = [];

beforeEach(async () => {
  mdns = await loopbackMdns();
  browser = browseRooms({ mdns, sweepIntervalMs: 100 });
  await browser.ready;
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await browser.stop();
});

/** The real advertiser, on this test's loopback mDNS port; remembers what it was asked. */
function loopbackAdvertiser() {
  const calls: AdvertiserOptions[] = [];
  const advertise: AdvertiseRoom = (options) => {
    calls.push(options);
    return advertiseRoom({ ...options, mdns, minUpdateIntervalMs: 0 });
  };
  return { advertise, calls };
}

interface RunningHost {
  io: MemoryIo;
  done: Promise<number>;
  port: number;
  stop(): Promise<number>;
}

async function hostInProcess(
  args: string[],
  advertise: AdvertiseRoom,
  env: Record<string, string> = {},
): Promise<RunningHost> {
  const io = memoryIo({ env: { XDG_DATA_HOME: home, HOME: home, ...env } });
  const done = runHost(['--port', '0', '--bind', '127.0.0.1', '--memory', ...args], io, {
    advertise,
  });
  const stop = () => {
    io.requestStop();
    return withTimeout(done, 8000, 'the host to stop');
  };
  cleanups.push(stop);
  const [, port] = await io.waitForOutput(/open on port (\d+)\./);
  await io.waitForOutput(/Press Ctrl\+C/);
  return { io, done, port: Number(port), stop };
}

function listed(accept: (rooms: DiscoveredRoom[]) => boolean, what: string) {
  return waitFor<DiscoveredRoom[]>(browser, 'change', accept, {
    current: browser.rooms(),
    what,
    timeoutMs: 8000,
  });
}

const onPort =
  (port: number, accept: (room: DiscoveredRoom) => boolean = () => true) =>
  (rooms: DiscoveredRoom[]) =>
    rooms.some((room) => room.port === port && accept(room));

async function joinRoom(port: number, name: string): Promise<ClientSession> {
  const session = new ClientSession({
    url: `ws://127.0.0.1:${port}/ws`,
    name,
    WebSocket: WebSocket,
    reconnect: false,
  });
  cleanups.push(() => session.close());
  await session.connect();
  return session;
}

/** Whether something accepts TCP connections on the loopback port right now. */
function accepts(port: number): Promise<boolean> {
  return withTimeout(
    new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    }),
    3000,
    `a connection to port ${port}`,
  );
}

async function certificateFingerprint(): Promise<string> {
  const pem = await readFile(join(home, 'parley', 'host', 'tls', 'cert.pem'), 'utf8');
  return new X509Certificate(pem).fingerprint256;
}

describe('parley host on the local network', () => {
  it('is listed by a room browser with its name, port, address and fingerprint, and says so', async () => {
    const { advertise } = loopbackAdvertiser();
    const host = await hostInProcess(['--room', 'Workshop'], advertise);
    expect(host.io.output()).toContain(
      `${advertisedLine('Workshop')}\nPress Ctrl+C to stop the room.\n`,
    );
    expect(advertisedLine('Workshop')).toBe(
      'Advertised on the local network as "Workshop" (_parley._tcp).',
    );

    const rooms = await listed(onPort(host.port), 'the CLI room');
    expect(rooms.find((room) => room.port === host.port)).toMatchObject({
      name: 'Workshop',
      peers: 0,
      password: false,
      // Bound to one address: only that one is advertised.
      addresses: ['127.0.0.1'],
      fingerprint: await certificateFingerprint(),
    });
    expect(host.io.errors()).toBe('');
  });

  // Needs the version 2 host: a client joins, and the client session speaks parley.v2 only.
  it('keeps the number of people current, and leaves every list when stopped', async () => {
    const { advertise } = loopbackAdvertiser();
    const host = await hostInProcess([], advertise);
    await listed(
      onPort(host.port, (room) => room.peers === 0),
      'an empty room',
    );

    const ada = await joinRoom(host.port, 'ada');
    await listed(
      onPort(host.port, (room) => room.peers === 1),
      'one person',
    );
    await joinRoom(host.port, 'bob');
    await listed(
      onPort(host.port, (room) => room.peers === 2),
      'two people',
    );
    await ada.close();
    await listed(
      onPort(host.port, (room) => room.peers === 1),
      'one person again',
    );

    expect(await host.stop()).toBe(0);
    await listed((rooms) => !onPort(host.port)(rooms), 'the room gone from the list');
  });

  it('says goodbye on the network while the room is still open, then closes it', async () => {
    const { advertise: real } = loopbackAdvertiser();
    const openAtGoodbye: boolean[] = [];
    let port = 0;
    const advertise: AdvertiseRoom = async (options) => {
      const advert = await real(options);
      return {
        updatePeers: (count) => advert.updatePeers(count),
        on: (event, listener) => advert.on(event, listener),
        stop: async () => {
          openAtGoodbye.push(await accepts(port));
          await advert.stop();
        },
      };
    };
    const host = await hostInProcess([], advertise);
    port = host.port;
    await listed(onPort(port), 'the room');

    expect(await host.stop()).toBe(0);
    expect(openAtGoodbye).toEqual([true]);
    expect(await accepts(port)).toBe(false);
    expect(host.io.output()).toMatch(/Stopping the room…\n$/);
  });

  it('advertises the lock of a password room', async () => {
    const { advertise, calls } = loopbackAdvertiser();
    const host = await hostInProcess(['--password', 'sesame'], advertise);
    await listed(
      onPort(host.port, (room) => room.password),
      'a locked room',
    );
    expect(calls).toEqual([expect.objectContaining({ password: true, addresses: ['127.0.0.1'] })]);
  });

  // Needs the version 2 host: a client joins, and the client session speaks parley.v2 only.
  it('does not advertise with --no-discovery, and the help says how', async () => {
    const { advertise, calls } = loopbackAdvertiser();
    const host = await hostInProcess(['--no-discovery'], advertise);
    await joinRoom(host.port, 'ada');
    expect(await host.stop()).toBe(0);
    expect(calls).toEqual([]);
    expect(host.io.output()).not.toContain('Advertised');
    expect(host.io.errors()).toBe('');
    expect(browser.rooms()).toEqual([]);
    expect(hostHelp('/data')).toMatch(/--no-discovery +do not advertise the room on the local/);
  });

  // Needs the version 2 host: a client joins, and the client session speaks parley.v2 only.
  it('warns in one line on stderr when it cannot advertise, and the room still runs', async () => {
    const cause = new DiscoveryError('mdns_unavailable', 'Cannot use mDNS on port 5353: EACCES');
    const host = await hostInProcess([], () => Promise.reject(cause));
    expect(host.io.errors()).toBe(`parley: ${notAdvertisedWarning(cause)}\n`);
    expect(host.io.errors()).toMatch(
      /^parley: warning: the room is not advertised .*\(Cannot use mDNS on port 5353: EACCES\); people can still join with the invite or the address\.\n$/,
    );
    expect(host.io.output()).not.toContain('Advertised');
    await joinRoom(host.port, 'ada');
    await host.io.waitForOutput(/\* ada joined/);
    expect(await host.stop()).toBe(0);
  });

  it('prints later advert trouble only with PARLEY_DEBUG', async () => {
    const quietAdvert = () => {
      const events = new EventEmitter<{ warning: [DiscoveryWarning] }>();
      const advert: RoomAdvert = {
        updatePeers: () => undefined,
        stop: async () => undefined,
        on: (event, listener) => events.on(event, listener),
      };
      return { events, advertise: async () => advert };
    };
    const warning: DiscoveryWarning = { code: 'mdns_send_failed', message: 'network is down' };

    const quiet = quietAdvert();
    const plain = await hostInProcess([], quiet.advertise);
    quiet.events.emit('warning', warning);
    expect(await plain.stop()).toBe(0);
    expect(plain.io.errors()).toBe('');

    const noisy = quietAdvert();
    const debug = await hostInProcess([], noisy.advertise, { PARLEY_DEBUG: '1' });
    noisy.events.emit('warning', warning);
    expect(await debug.stop()).toBe(0);
    expect(debug.io.errors()).toBe('parley: room advert: network is down\n');
  });
});

describe('the addresses advertised for --bind', () => {
  it('are every LAN address for a wildcard, else only the bound one', async () => {
    expect(await advertisedAddresses('0.0.0.0')).toBeUndefined();
    expect(await advertisedAddresses('::')).toBeUndefined();
    expect(await advertisedAddresses('127.0.0.1')).toEqual(['127.0.0.1']);
    expect(await advertisedAddresses('::1')).toEqual(['::1']);
    // A name: the address the server listens on (the first it resolves to).
    expect(await advertisedAddresses('localhost')).toEqual([
      expect.stringMatching(/^(127\.|::1$)/),
    ]);
  });
});
