/**
 * Which addresses of a discovered room to offer, best first, in an order that depends only on
 * what the room advertises, never on which path a packet took: the same advert heard over the
 * LAN and over loopback gives the same list, so the list of rooms does not flicker and the invite
 * built from the first address stays the same.
 *
 * Best first: addresses on a network this machine is on (the LAN both share), then other routable
 * ones, then loopback, which is only kept when the advert came from this machine itself (from
 * anywhere else, 127.0.0.1 would point at this machine, not at the room). IPv6 link-local
 * addresses are left out: they are useless without an interface (zone) name.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { networkInterfaces } from 'node:os';

export type InterfaceTable = ReturnType<typeof networkInterfaces>;

export function isLoopbackAddress(address: string): boolean {
  if (isIPv4(address)) return address.startsWith('127.');
  return address === '::1' || /^::ffff:127\./i.test(address);
}

function isLinkLocalIpv6(address: string): boolean {
  return isIPv6(address) && /^fe[89ab]/i.test(address);
}

function familyOf(address: string): 'ipv4' | 'ipv6' {
  return isIPv4(address) ? 'ipv4' : 'ipv6';
}

/** The networks this machine is on, and its own addresses. */
function localNetworks(interfaces: InterfaceTable) {
  const subnets = new BlockList();
  const own = new Set<string>();
  for (const entries of Object.values(interfaces)) {
    for (const entry of entries ?? []) {
      own.add(entry.address);
      if (entry.internal || entry.cidr === null || isLinkLocalIpv6(entry.address)) continue;
      const [network = '', prefix = ''] = entry.cidr.split('/');
      subnets.addSubnet(network, Number(prefix), familyOf(network));
    }
  }
  return { subnets, own };
}

/**
 * The addresses to try for a room, best first: what it advertises (or, when it advertises no
 * address, the address its packet came from), ordered as described above.
 */
export function preferredAddresses(
  advertised: readonly string[],
  from: string,
  interfaces: InterfaceTable = networkInterfaces(),
): string[] {
  const { subnets, own } = localNetworks(interfaces);
  const fromThisMachine = own.has(from) || isLoopbackAddress(from);
  const rank = (address: string) => {
    if (isLoopbackAddress(address)) return 2;
    return subnets.check(address, familyOf(address)) ? 0 : 1;
  };
  const candidates = advertised.length > 0 ? advertised : [from];
  return [...new Set(candidates)]
    .filter((address) => isIPv4(address) || isIPv6(address))
    .filter((address) => !isLinkLocalIpv6(address))
    .filter((address) => fromThisMachine || !isLoopbackAddress(address))
    .sort(
      (a, b) =>
        rank(a) - rank(b) || Number(isIPv6(a)) - Number(isIPv6(b)) || (a < b ? -1 : a > b ? 1 : 0),
    );
}
