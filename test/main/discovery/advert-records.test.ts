import { describe, expect, it } from 'vitest';
import {
  advertRecords,
  defaultAddresses,
  goodbyeRecords,
  txtFingerprint,
} from '../../../main/discovery/advert-records';

const input = {
  instanceName: 'Kitchen [00000000]',
  targetHost: 'box-00000000.local',
  port: 7420,
  room: { roomId: 'r', name: 'Kitchen', peers: 0, password: false, protocol: 1 },
  addresses: ['127.0.0.1', '::1'],
  ttlSeconds: 120,
};

describe('advert records', () => {
  it('point from the service type to the room, its port and its addresses', () => {
    const records = advertRecords(input);
    const fqdn = 'Kitchen [00000000]._parley._tcp.local';
    expect(records.map((r) => [r.type, r.name, r.ttl, r.flush])).toEqual([
      ['PTR', '_parley._tcp.local', 4500, false],
      ['SRV', fqdn, 120, true],
      ['TXT', fqdn, 4500, true],
      ['PTR', '_services._dns-sd._udp.local', 4500, false],
      ['A', 'box-00000000.local', 120, true],
      ['AAAA', 'box-00000000.local', 120, true],
    ]);
  });

  it('say goodbye to everything but the pointer every Parley room shares', () => {
    const goodbye = goodbyeRecords(advertRecords(input));
    expect(goodbye.every((r) => r.ttl === 0)).toBe(true);
    expect(goodbye.map((r) => r.type)).toEqual(['PTR', 'SRV', 'TXT', 'A', 'AAAA']);
  });

  it('change their TXT only when the room description changes', () => {
    const before = txtFingerprint(advertRecords(input));
    expect(txtFingerprint(advertRecords({ ...input, addresses: [] }))).toBe(before);
    const busier = { ...input, room: { ...input.room, peers: 1 } };
    expect(txtFingerprint(advertRecords(busier))).not.toBe(before);
  });

  it('default to the chosen interface address only', () => {
    expect(defaultAddresses('127.0.0.1', false)).toEqual(['127.0.0.1']);
    expect(defaultAddresses(undefined, false)).not.toContain('127.0.0.1');
  });
});
