import { describe, expect, it } from 'vitest';
import { advertisedAddresses } from '../../../main/discovery/advertised-addresses';
import { DiscoveryError } from '../../../main/discovery/discovery-error';

describe('advertisedAddresses', () => {
  it('advertises the one address a host listens on', () => {
    expect(advertisedAddresses({ bind: '192.168.1.20', ipv6: false })).toEqual(['192.168.1.20']);
  });

  it('advertises every LAN address, never loopback, for a host on all of them', () => {
    const all = advertisedAddresses({ bind: '0.0.0.0', ipv6: false });
    expect(all).not.toContain('127.0.0.1');
    expect(advertisedAddresses({ ipv6: false })).toEqual(all);
  });

  it('advertises nothing for a host on loopback only: the start fails with loopback_only', () => {
    for (const input of [
      { bind: '127.0.0.1', ipv6: false },
      { bind: '::1', ipv6: false },
      { addresses: ['127.0.0.1'], ipv6: false },
    ]) {
      let error: unknown;
      try {
        advertisedAddresses(input);
      } catch (caught) {
        error = caught;
      }
      expect(error, JSON.stringify(input)).toBeInstanceOf(DiscoveryError);
      expect((error as DiscoveryError).code).toBe('loopback_only');
      expect((error as DiscoveryError).message).toMatch(/no other computer can reach/);
    }
  });

  it('drops loopback from a mixed list', () => {
    expect(advertisedAddresses({ addresses: ['127.0.0.1', '10.0.0.5'], ipv6: false })).toEqual([
      '10.0.0.5',
    ]);
  });

  it('keeps loopback when multicast DNS itself stays on loopback', () => {
    expect(
      advertisedAddresses({ bind: '127.0.0.1', interfaceAddress: '127.0.0.1', ipv6: false }),
    ).toEqual(['127.0.0.1']);
  });
});
