/**
 * Which addresses a room is advertised at: only those its host listens on, and only those the
 * advert's listeners can reach. A host bound to one address is offered there alone; a host on
 * loopback only (`--bind 127.0.0.1`) is not advertised at all, because every other computer that
 * hears the advert would be told an address that leads back to itself. Loopback addresses are
 * advertised only when multicast DNS itself is confined to the loopback interface (tests, or a
 * machine talking to itself), where the advert never leaves this machine.
 */
import * as v from 'valibot';
import { isLoopbackAddress } from './address-preference';
import { defaultAddresses } from './advert-records';
import { DiscoveryError } from './discovery-error';

const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::']);

export interface AdvertisedAddressInput {
  /** The address the host listens on (`0.0.0.0` or `::` for all); undefined: all. */
  bind?: string | undefined;
  /** The addresses to advertise, when the caller knows better than `bind` does. */
  addresses?: readonly string[] | undefined;
  /** The IPv4 address of the one interface multicast DNS uses, if confined to one. */
  interfaceAddress?: string | undefined;
  /** Also advertise IPv6 addresses when listening on all of them. */
  ipv6: boolean;
}

export const bindSchema = v.pipe(v.string(), v.ip());

function listenedAddresses(input: AdvertisedAddressInput): string[] {
  const { bind, addresses, interfaceAddress, ipv6 } = input;
  if (addresses) return [...addresses];
  if (bind === undefined || WILDCARD_ADDRESSES.has(bind)) {
    return defaultAddresses(interfaceAddress, ipv6 || bind === '::');
  }
  return [bind];
}

/**
 * The addresses to put in the advert's A and AAAA records; throws DiscoveryError
 * `loopback_only` when the host can only be reached from this machine.
 */
export function advertisedAddresses(input: AdvertisedAddressInput): string[] {
  const listened = [...new Set(listenedAddresses(input))];
  const { interfaceAddress } = input;
  if (interfaceAddress !== undefined && isLoopbackAddress(interfaceAddress)) return listened;
  const reachable = listened.filter((address) => !isLoopbackAddress(address));
  if (listened.length > 0 && reachable.length === 0) {
    throw new DiscoveryError(
      'loopback_only',
      `The room listens on ${listened.join(', ')} only, which no other computer can reach, ` +
        'so it is not advertised on the network.',
    );
  }
  return reachable;
}
