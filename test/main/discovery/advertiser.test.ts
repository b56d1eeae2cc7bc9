import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSocket, type Socket } from 'node:dgram';
import {
  advertiseRoom,
  type AdvertiserOptions,
  type RoomAdvertiser,
} from '../../../main/discovery/advertiser';
import { DiscoveryError, type DiscoveryWarning } from '../../../main/discovery/discovery-error';
import type { MdnsOptions, MdnsPacket } from '../../../main/discovery/mdns-socket';
import { fingerprintToBase64Url } from '../../../protocol/client/fingerprint';
import { MdnsObserver, loopbackMdns, recordsOf, txtStrings } from './loopback';

const FINGERPRINT = Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0'))
  .join(':')
  .toUpperCase();

let mdns: MdnsOptions;
let observer: MdnsObserver;
const advertisers: RoomAdvertiser[] = [];
const warnings: DiscoveryWarning[] = [];

async function advertise(options: Partial<AdvertiserOptions> = {}): Promise<RoomAdvertiser> {
  const advertiser = await advertiseRoom({
    roomId: 'room-1',
    roomName: 'Kitchen',
    port: 7420,
    mdns,
    ...options,
  });
  advertiser.on('warning', (warning) => warnings.push(warning));
  advertisers.push(advertiser);
  return advertiser;
}

function txtOf(packet: MdnsPacket): string[] | undefined {
  const txt = recordsOf(packet, 'TXT')[0];
  return txt && txtStrings(txt);
}

const carriesTxt = (expected: string) => (packet: MdnsPacket) =>
  (txtOf(packet) ?? []).includes(expected) && recordsOf(packet, 'TXT')[0]!.ttl > 0;

beforeEach(async () => {
  mdns = await loopbackMdns();
  observer = await MdnsObserver.open(mdns);
  warnings.length = 0;
});

afterEach(async () => {
  await Promise.all(advertisers.splice(0).map((advertiser) => advertiser.stop()));
  await observer.close();
  expect(warnings).toEqual([]);
  expect(observer.warnings).toEqual([]);
});

describe('announcing a room', () => {
  it('announces _parley._tcp with the documented TXT fields, twice, one second apart', async () => {
    const first = observer.next((p) => recordsOf(p, 'SRV').length > 0, 'the announcement');
    const advertiser = await advertise({ peers: 2, password: true, fingerprint: FINGERPRINT });
    const { packet, at } = await first;

    const ptr = recordsOf(packet, 'PTR').find((r) => r.name === '_parley._tcp.local');
    expect(ptr?.data).toBe(`${advertiser.instanceName}._parley._tcp.local`);
    expect(advertiser.instanceName).toMatch(/^Kitchen \[[0-9a-f]{8}\]$/);
    const [srv] = recordsOf(packet, 'SRV');
    expect(srv).toMatchObject({
      name: ptr?.data,
      ttl: 120,
      flush: true,
      data: { port: 7420, target: advertiser.targetHost },
    });
    expect(txtOf(packet)).toEqual([
      'name=Kitchen',
      'id=room-1',
      'peers=2',
      'pw=1',
      `fp=${fingerprintToBase64Url(FINGERPRINT)}`,
      'v=1',
    ]);
    // On the loopback interface the room is reachable at the loopback address only.
    expect(recordsOf(packet, 'A').map((r) => [r.name, r.data])).toEqual([
      [advertiser.targetHost, '127.0.0.1'],
    ]);
    expect(recordsOf(packet, 'AAAA')).toEqual([]);

    const repeat = await observer.next((p) => recordsOf(p, 'SRV').length > 0, 'the repeat');
    expect(repeat.at - at).toBeGreaterThanOrEqual(900);
    expect(txtOf(repeat.packet)).toEqual(txtOf(packet));
  });

  it('answers a query from a browser that starts later', async () => {
    const advertiser = await advertise({ addresses: ['127.0.0.1', '::1'] });
    const answer = observer.next(
      (p) => recordsOf(p, 'PTR').some((r) => r.data.startsWith(advertiser.instanceName)),
      'the answer',
    );
    observer.socket.query('_parley._tcp.local', 'PTR');
    const { packet } = await answer;
    expect(recordsOf(packet, 'SRV')[0]?.data.port).toBe(7420);
    expect(txtOf(packet)).toContain('id=room-1');
    expect(recordsOf(packet, 'A').map((r) => r.data)).toEqual(['127.0.0.1']);
    expect(recordsOf(packet, 'AAAA').map((r) => r.data)).toEqual(['::1']);
  });

  it('leaves out the fingerprint without TLS and says no password is needed', async () => {
    const announced = observer.next((p) => recordsOf(p, 'TXT').length > 0, 'the announcement');
    await advertise();
    expect(txtOf((await announced).packet)).toEqual([
      'name=Kitchen',
      'id=room-1',
      'peers=0',
      'pw=0',
      'v=1',
    ]);
  });

  it('fits a long room name into the DNS limits, keeping whole characters', async () => {
    const announced = observer.next((p) => recordsOf(p, 'TXT').length > 0, 'the announcement');
    const name = `Très.long ${'🎉'.repeat(80)}`;
    const advertiser = await advertise({ roomName: name });
    const txtName = txtOf((await announced).packet)!.find((s) => s.startsWith('name='))!;
    expect(Buffer.byteLength(txtName)).toBeLessThanOrEqual(255);
    expect(name.startsWith(txtName.slice(5))).toBe(true);
    expect(Buffer.byteLength(advertiser.instanceName)).toBeLessThanOrEqual(63);
    expect(advertiser.instanceName.startsWith('Très-long 🎉')).toBe(true);
    expect(advertiser.instanceName).not.toContain('\uFFFD');
  });

  it('gives two rooms of the same name different instance names', async () => {
    const a = await advertise({ roomId: 'a', roomName: 'Parley' });
    const b = await advertise({ roomId: 'b', roomName: 'Parley' });
    expect(a.instanceName).not.toBe(b.instanceName);
    expect(a.targetHost).not.toBe(b.targetHost);
  });
});

describe('updating the peer count', () => {
  it('re-announces the TXT record with the new count', async () => {
    const advertiser = await advertise({ minUpdateIntervalMs: 0 });
    const updated = observer.next(carriesTxt('peers=5'), 'the update');
    advertiser.updatePeers(5);
    const { packet } = await updated;
    // The full set goes out, so DNS-SD browsers take it as an update of the same service.
    expect(recordsOf(packet, 'PTR').length).toBeGreaterThan(0);
    expect(recordsOf(packet, 'SRV')).toHaveLength(1);
    expect(recordsOf(packet, 'TXT')[0]?.flush).toBe(true);
    expect(advertiser.txt.peers).toBe('5');

    const answer = observer.next(carriesTxt('peers=5'), 'an answer with the new count');
    observer.socket.query('_parley._tcp.local', 'PTR');
    await answer;
  });

  it('coalesces a burst of changes into one announcement of the last value', async () => {
    const advertiser = await advertise({ minUpdateIntervalMs: 300 });
    const start = observer.packets.length;
    const final = observer.next(carriesTxt('peers=20'), 'the final count');
    for (let peers = 1; peers <= 20; peers++) advertiser.updatePeers(peers);
    await final;
    const counts = observer.packets
      .slice(start)
      .map((e) => txtOf(e.packet)?.find((s) => s.startsWith('peers=')))
      .filter((s) => s !== undefined && s !== 'peers=0');
    expect(counts).toEqual(['peers=20']);
  });

  it('announces nothing when the count did not change', async () => {
    const advertiser = await advertise({ peers: 3, minUpdateIntervalMs: 0 });
    advertiser.updatePeers(3);
    const next = observer.next(carriesTxt('peers=4'), 'the real change');
    advertiser.updatePeers(4);
    await next;
    const announcementsOfFour = observer.packets.filter((e) => carriesTxt('peers=4')(e.packet));
    expect(announcementsOfFour).toHaveLength(1);
  });

  it('updates name and password too', async () => {
    const advertiser = await advertise({ minUpdateIntervalMs: 0 });
    const next = observer.next(carriesTxt('name=Garden'), 'the new name');
    advertiser.update({ name: 'Garden', password: true });
    expect(txtOf((await next).packet)).toContain('pw=1');
  });

  it('refuses invalid values with a stable code', async () => {
    const advertiser = await advertise();
    for (const bad of [-1, 1.5, Number.NaN, '3' as unknown as number]) {
      expect(() => advertiser.updatePeers(bad)).toThrowError(
        expect.objectContaining({ code: 'bad_options' }),
      );
    }
    expect(() => advertiser.update({ fingerprint: 'nope' })).toThrow(DiscoveryError);
    expect(advertiser.txt.peers).toBe('0');
  });
});

describe('stopping', () => {
  it('sends goodbyes (TTL 0) for the room and stops answering', async () => {
    const advertiser = await advertise();
    const goodbye = observer.next(
      (p) => recordsOf(p, 'PTR').some((r) => r.ttl === 0),
      'the goodbye',
    );
    await advertiser.stop();
    const { packet } = await goodbye;
    const records = [...packet.answers, ...packet.additionals];
    expect(records.length).toBeGreaterThanOrEqual(4);
    expect(records.every((r) => r.ttl === 0)).toBe(true);
    expect(records.map((r) => r.type).sort()).toEqual(['A', 'PTR', 'SRV', 'TXT']);

    // Asked again, nobody answers for the room. A second advertiser on the same port that
    // answers proves queries still get through, so the silence is real.
    await advertise({ roomId: 'other', roomName: 'Other' });
    const before = observer.packets.length;
    const otherAnswer = observer.next(
      (p) => txtOf(p)?.includes('id=other') === true,
      "the other room's answer",
    );
    observer.socket.query('_parley._tcp.local', 'PTR');
    await otherAnswer;
    const afterStop = observer.packets.slice(before);
    expect(afterStop.some((e) => txtOf(e.packet)?.includes('id=room-1'))).toBe(false);
    await expect(advertiser.stop()).resolves.toBeUndefined();
  });

  it('ignores updates after stop', async () => {
    const advertiser = await advertise();
    await advertiser.stop();
    advertiser.updatePeers(9);
    expect(advertiser.txt.peers).toBe('0');
  });
});

describe('options', () => {
  it('are validated, with a stable code', async () => {
    const cases: Partial<AdvertiserOptions>[] = [
      { port: 0 },
      { port: 70000 },
      { roomId: '' },
      { roomId: 'has space' },
      { peers: -2 },
      { fingerprint: 'abc' },
      { addresses: ['not-an-ip'] },
      { ttlSeconds: 0 },
      { mdns: { port: 0 } },
      { mdns: { interface: 'no-such-interface0' } },
      { mdns: { group: '10.0.0.1' } },
      { roomName: 42 as unknown as string },
      { unknown: true } as Partial<AdvertiserOptions>,
    ];
    for (const options of cases) {
      const error = await advertise(options).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, JSON.stringify(options)).toBeInstanceOf(DiscoveryError);
      expect((error as DiscoveryError).code).toBe('bad_options');
    }
  });

  it('accept an interface by name', async () => {
    const announced = observer.next((p) => recordsOf(p, 'SRV').length > 0, 'the announcement');
    await advertise({ mdns: { ...mdns, interface: 'lo' } });
    expect(recordsOf((await announced).packet, 'A').map((r) => r.data)).toEqual(['127.0.0.1']);
  });

  it('report a port that cannot be shared as mdns_unavailable', async () => {
    const blocker: Socket = createSocket({ type: 'udp4', reuseAddr: false });
    const port = await new Promise<number>((resolve) =>
      blocker.bind(0, '0.0.0.0', () => resolve(blocker.address().port)),
    );
    try {
      const error = await advertiseRoom({
        roomId: 'r',
        roomName: 'Blocked',
        port: 7420,
        mdns: { interface: '127.0.0.1', port },
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DiscoveryError);
      expect((error as DiscoveryError).code).toBe('mdns_unavailable');
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });
});
