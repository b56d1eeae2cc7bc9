import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { joinAddresses } from '../../../main/host/addresses';

describe('joinAddresses', () => {
  it('lists every external IPv4 with its interface, then loopback last', () => {
    const addresses = joinAddresses(7420);
    expect(addresses.at(-1)).toEqual({ address: '127.0.0.1:7420', interfaceName: 'loopback' });
    const expected = Object.entries(networkInterfaces()).flatMap(([name, entries]) =>
      (entries ?? [])
        .filter((entry) => entry.family === 'IPv4' && !entry.internal)
        .map((entry) => ({ address: `${entry.address}:7420`, interfaceName: name })),
    );
    expect(addresses.slice(0, -1)).toEqual(expected);
    for (const { address } of addresses) expect(address).toMatch(/^\d+\.\d+\.\d+\.\d+:7420$/);
  });

  it('uses the port it is given', () => {
    expect(joinAddresses(51234).every(({ address }) => address.endsWith(':51234'))).toBe(true);
  });
});
