/**
 * What the interface a hosted room listens on means for reaching it: how this app's own client
 * reaches it over loopback, which join addresses work, which addresses to advertise.
 */
import * as v from 'valibot';
import type { RoomAddress } from '../../../protocol/bridge';

const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::']);
const ipSchema = v.pipe(v.string(), v.ip());

/** The host part of the URL this app's own session uses to reach its host. */
export function loopbackHostFor(bind: string): string {
  if (bind === '::' || bind === '::1') return '[::1]';
  if (WILDCARD_ADDRESSES.has(bind)) return '127.0.0.1';
  return bind.includes(':') ? `[${bind}]` : bind;
}

/** A host bound to one interface is reachable only there: just that address is listed. */
export function reachableAddresses(
  all: readonly RoomAddress[],
  bind: string,
  port: number,
): RoomAddress[] {
  return WILDCARD_ADDRESSES.has(bind)
    ? [...all]
    : all.filter((entry) => entry.address === `${bind}:${port}`);
}

/** The addresses to advertise the room at; undefined for every address of the machine. */
export function advertisedAddresses(bind: string): string[] | undefined {
  return !WILDCARD_ADDRESSES.has(bind) && v.is(ipSchema, bind) ? [bind] : undefined;
}
