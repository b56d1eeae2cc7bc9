/**
 * What may travel without TLS. The host serves TLS and cleartext on one port; cleartext is fine
 * when it never leaves this machine (a loopback peer), and otherwise only when the person running
 * the host chose it (`allowCleartext`). A password is a secret beyond the room itself, so it never
 * crosses the network in cleartext, whatever the host allows.
 */
import { BlockList } from 'node:net';
import type { Socket } from 'node:net';
import { clientAddressKey } from './client-address';

/** How one connection reached the host. */
export interface Transport {
  /** True inside TLS. */
  encrypted: boolean;
  /** The peer's address as the socket reports it; undefined once the socket is gone. */
  remoteAddress: string | undefined;
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** True for 127.0.0.0/8, ::1 and their IPv4-mapped spellings; false when unknown. */
export function isLoopbackAddress(remoteAddress: string | undefined): boolean {
  const key = clientAddressKey(remoteAddress);
  if (key.includes('.')) return LOOPBACK.check(key, 'ipv4');
  if (key.includes(':')) return LOOPBACK.check(key, 'ipv6');
  return false;
}

/** The transport of a socket the host accepted (a TLSSocket is `encrypted`). */
export function transportOf(socket: Socket): Transport {
  return {
    encrypted: (socket as Socket & { encrypted?: boolean }).encrypted === true,
    remoteAddress: socket.remoteAddress,
  };
}

export interface TransportPolicy {
  /** May this connection talk to the host at all (HTTP and WebSocket alike)? */
  accepts(transport: Transport): boolean;
  /** May a password arrive over this connection? */
  carriesPasswords(transport: Transport): boolean;
}

/** `isLoopback` is injectable so the decision can be tested without a second machine. */
export function createTransportPolicy(
  allowCleartext: boolean,
  isLoopback: (remoteAddress: string | undefined) => boolean = isLoopbackAddress,
): TransportPolicy {
  const safe = (transport: Transport) => transport.encrypted || isLoopback(transport.remoteAddress);
  return {
    accepts: (transport) => allowCleartext || safe(transport),
    carriesPasswords: safe,
  };
}

/** The body of the 403 for cleartext from another machine: one line, saying what to do instead. */
export const CLEARTEXT_REFUSED =
  'This Parley host accepts unencrypted connections only from its own machine: use https:// (wss:// for the socket) or the Parley app.';

/** The auth_failed message for a password sent in cleartext across the network. */
export const PASSWORD_NEEDS_TLS =
  'Passwords are only accepted over an encrypted connection: connect with wss:// (or https://), not ws://.';
