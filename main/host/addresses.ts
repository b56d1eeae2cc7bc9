import { networkInterfaces } from 'node:os';
import type { RoomAddress } from '../../protocol/bridge';

/**
 * Addresses other machines can join by: every non-internal IPv4 address with its interface name,
 * then loopback (for a second client on this machine).
 */
export function joinAddresses(port: number): RoomAddress[] {
  const addresses: RoomAddress[] = [];
  for (const [interfaceName, entries] of Object.entries(networkInterfaces())) {
    for (const entry of entries ?? []) {
      // Node 18.0-18.3 reported the family as a number.
      const isIPv4 = entry.family === 'IPv4' || (entry.family as unknown) === 4;
      if (isIPv4 && !entry.internal) {
        addresses.push({ address: `${entry.address}:${port}`, interfaceName });
      }
    }
  }
  addresses.push({ address: `127.0.0.1:${port}`, interfaceName: 'loopback' });
  return addresses;
}
