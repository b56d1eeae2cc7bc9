/**
 * The key under which per-address limits count a client. `socket.remoteAddress` spells one IPv4
 * client two ways on a dual-stack server (`1.2.3.4` and `::ffff:1.2.3.4`) and may be undefined
 * once the socket is gone; both must land on one stable key.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** Key for clients whose address could not be read (a socket already closed). */
export const UNKNOWN_ADDRESS = 'unknown';

const IPV4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

export function clientAddressKey(remoteAddress: string | undefined): string {
  if (remoteAddress === undefined) return UNKNOWN_ADDRESS;
  // Drop a zone index (fe80::1%eth0): the same host may show up with several.
  const address = remoteAddress.trim().toLowerCase().replace(/%.*$/, '');
  const mapped = IPV4_MAPPED.exec(address);
  if (mapped?.[1] !== undefined && isIPv4(mapped[1])) return mapped[1];
  if (isIPv4(address) || isIPv6(address)) return address;
  return UNKNOWN_ADDRESS;
}
