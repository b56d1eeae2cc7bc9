import { describe, expect, it } from 'vitest';
import {
  preferredAddresses,
  type InterfaceTable,
} from '../../../main/discovery/address-preference';

/** A laptop on a home LAN (192.168.1.0/24, fd00:1::/64) with a container bridge. */
const interfaces: InterfaceTable = {
  lo: [
    {
      address: '127.0.0.1',
      netmask: '255.0.0.0',
      family: 'IPv4',
      mac: '00:00:00:00:00:00',
      internal: true,
      cidr: '127.0.0.1/8',
    },
  ],
  wlan0: [
    {
      address: '192.168.1.20',
      netmask: '255.255.255.0',
      family: 'IPv4',
      mac: '02:00:00:00:00:01',
      internal: false,
      cidr: '192.168.1.20/24',
    },
    {
      address: 'fd00:1::20',
      netmask: 'ffff:ffff:ffff:ffff::',
      family: 'IPv6',
      mac: '02:00:00:00:00:01',
      internal: false,
      cidr: 'fd00:1::20/64',
      scopeid: 0,
    },
  ],
};

describe('preferredAddresses', () => {
  it('puts addresses on a shared network first, then other ones, IPv4 before IPv6', () => {
    expect(
      preferredAddresses(
        ['172.17.0.1', 'fd00:1::7', '192.168.1.7', '2001:db8::7'],
        '192.168.1.7',
        interfaces,
      ),
    ).toEqual(['192.168.1.7', 'fd00:1::7', '172.17.0.1', '2001:db8::7']);
  });

  it('gives the same order whichever address the packet came from', () => {
    const advertised = ['127.0.0.1', '192.168.1.20'];
    const orders = ['127.0.0.1', '192.168.1.20'].map((from) =>
      preferredAddresses(advertised, from, interfaces),
    );
    expect(orders).toEqual([
      ['192.168.1.20', '127.0.0.1'],
      ['192.168.1.20', '127.0.0.1'],
    ]);
  });

  it('keeps loopback only for a room on this machine', () => {
    expect(preferredAddresses(['127.0.0.1', '10.0.0.9'], '10.0.0.9', interfaces)).toEqual([
      '10.0.0.9',
    ]);
    expect(preferredAddresses(['127.0.0.1'], '192.168.1.20', interfaces)).toEqual(['127.0.0.1']);
  });

  it('falls back to the sender address when the advert names none', () => {
    expect(preferredAddresses([], '192.168.1.9', interfaces)).toEqual(['192.168.1.9']);
  });

  it('leaves out IPv6 link-local addresses and anything that is not an address', () => {
    expect(
      preferredAddresses(
        ['fe80::1', 'not-an-ip', '192.168.1.9', '192.168.1.9'],
        '192.168.1.9',
        interfaces,
      ),
    ).toEqual(['192.168.1.9']);
  });
});
