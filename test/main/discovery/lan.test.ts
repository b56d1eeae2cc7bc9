/**
 * Discovery on a LAN of two machines, each a network namespace of its own (support/
 * netns-discovery.ts), with the real mDNS port and every interface: what the list of rooms shows
 * of a host on the same machine and on another, which addresses a host is offered at, and two
 * hosts that claim the same room. Nothing here reaches the machine's real network. Needs root.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscoveredRoom } from '../../../main/discovery/room-browser';
import type { AdvertResult } from './support/discovery-lab';
import { createDiscoveryLab, type DiscoveryLab, type LabAdverts } from './support/netns-discovery';

let lab: DiscoveryLab;
const running: LabAdverts[] = [];

beforeAll(async () => {
  lab = await createDiscoveryLab();
}, 60_000);

afterAll(async () => {
  await Promise.all(running.splice(0).map((adverts) => adverts.stop()));
  await lab?.close();
}, 30_000);

async function advertise(...args: Parameters<DiscoveryLab['advertise']>): Promise<LabAdverts> {
  const adverts = await lab.advertise(...args);
  running.push(adverts);
  return adverts;
}

const withId = (id: string) => (rooms: DiscoveredRoom[]) => rooms.filter((r) => r.roomId === id);
const instanceOf = (result: AdvertResult) => {
  if ('error' in result) throw new Error(`not advertised: ${result.error.message}`);
  return result.instanceName;
};
const fqdn = (instanceName: string) => `${instanceName}._parley._tcp.local`;

describe('a room advertised on a LAN', () => {
  it('is listed once, at its LAN address, however often the network is asked', async () => {
    const here = await lab.browse('host');
    const there = await lab.browse('peer');
    const { results } = await advertise('host', [
      { roomId: 'steady', roomName: 'Steady', port: 7420, bind: '0.0.0.0' },
    ]);
    const instance = fqdn(instanceOf(results[0]!));
    const listedHere = await here.list((rooms) => withId('steady')(rooms).length > 0, 'steady');
    const listedThere = await there.list((rooms) => withId('steady')(rooms).length > 0, 'steady');
    expect(withId('steady')(listedHere)[0]!.addresses).toEqual([lab.hostAddress]);
    expect(withId('steady')(listedThere)[0]!.addresses).toEqual([lab.hostAddress]);

    // Every answer comes back over the veth link and over loopback: none may change the list.
    for (let round = 0; round < 6; round++) {
      await here.refreshAndHear(instance);
      await there.refreshAndHear(instance);
    }
    expect(here.lists().map(withId('steady'))).toEqual([withId('steady')(listedHere)]);
    expect(there.lists().map(withId('steady'))).toEqual([withId('steady')(listedThere)]);
  });
});

describe('where a host is offered', () => {
  it('only at the address it listens on, and nowhere when that is loopback', async () => {
    const here = await lab.browse('host');
    const there = await lab.browse('peer');
    const loopbackOnly = await advertise('host', [
      // As `parley host --bind 127.0.0.1` asks, and as a caller that passes the bind address.
      { roomId: 'loop-addresses', roomName: 'Loop', port: 7501, addresses: ['127.0.0.1'] },
      { roomId: 'loop-bind', roomName: 'Loop', port: 7502, bind: '127.0.0.1' },
    ]);
    expect(loopbackOnly.results).toEqual([
      { error: expect.objectContaining({ code: 'loopback_only' }) },
      { error: expect.objectContaining({ code: 'loopback_only' }) },
    ]);
    // Announced after the others: once it is listed, theirs would have been too.
    await advertise('host', [
      { roomId: 'one-address', roomName: 'One', port: 7503, bind: lab.hostAddress },
    ]);
    for (const browser of [here, there]) {
      const rooms = await browser.list((r) => withId('one-address')(r).length > 0, 'one-address');
      expect(withId('one-address')(rooms)[0]!.addresses).toEqual([lab.hostAddress]);
      const everListed = browser.lists().flatMap((list) => list.map((room) => room.roomId));
      expect(everListed).not.toContain('loop-addresses');
      expect(everListed).not.toContain('loop-bind');
    }
  });
});

describe('two hosts that advertise the same room id', () => {
  const twin = (port: number) => ({ roomId: 'twin', roomName: 'Twin', port });
  /** Both twins on these ports are listed (each test uses ports of its own). */
  const twinsOn = (ports: number[]) => (rooms: DiscoveredRoom[]) =>
    ports.every((port) => withId('twin')(rooms).some((room) => room.port === port));
  const onPorts = (ports: number[]) => (rooms: DiscoveredRoom[]) =>
    withId('twin')(rooms).filter((room) => ports.includes(room.port));

  it('are listed apart: the second one probes, finds the name taken and becomes "Twin (2)"', async () => {
    const here = await lab.browse('host');
    const first = await advertise('host', [twin(7601)]);
    const second = await advertise('peer', [twin(7602)]);
    const names = [instanceOf(first.results[0]!), instanceOf(second.results[0]!)];
    expect(names[0]).toMatch(/^Twin \[[0-9a-f]{8}\]$/);
    expect(names[1]).toMatch(/^Twin \(2\) \[[0-9a-f]{8}\]$/);

    const rooms = onPorts([7601, 7602])(await here.list(twinsOn([7601, 7602]), 'both twins'));
    expect(rooms.map((room) => [room.instance, room.port, room.addresses])).toEqual(
      expect.arrayContaining([
        [fqdn(names[0]!), 7601, [lab.hostAddress]],
        [fqdn(names[1]!), 7602, lab.peerAddresses],
      ]),
    );
    // Neither port flips to the other's: every later answer leaves the list as it is.
    const mark = here.lists().length;
    for (let round = 0; round < 3; round++) {
      for (const name of names) await here.refreshAndHear(fqdn(name));
    }
    for (const list of here.lists().slice(mark)) expect(onPorts([7601, 7602])(list)).toEqual(rooms);
    await Promise.all([first.stop(), second.stop()]);
    await here.list((list) => onPorts([7601, 7602])(list).length === 0, 'the twins gone');
  });

  it('started at the same moment, settle on two names', async () => {
    const here = await lab.browse('host');
    const [a, b] = await Promise.all([
      advertise('host', [twin(7701)]),
      advertise('peer', [twin(7702)]),
    ]);
    const names = [instanceOf(a.results[0]!), instanceOf(b.results[0]!)];
    expect(new Set(names).size).toBe(2);
    const rooms = onPorts([7701, 7702])(await here.list(twinsOn([7701, 7702]), 'both twins'));
    expect(rooms.map((room) => room.port).sort()).toEqual([7701, 7702]);
    expect(new Set(rooms.map((room) => room.instance)).size).toBe(2);
  });
});
