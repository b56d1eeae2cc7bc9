/**
 * How the guest page reaches its host, as far as privacy goes: over TLS (the page came by
 * https), in cleartext but only within this computer (loopback), or in cleartext across the
 * network, where others can read every message and the host refuses passwords
 * (docs/security.md, "Encrypted and cleartext on one port").
 */
import * as v from 'valibot';

export type PageTransport = 'encrypted' | 'loopback' | 'cleartext';

const ipv4Schema = v.pipe(v.string(), v.ipv4());

/** True for names and addresses that never leave this machine: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  // URL parsers write an IPv4-mapped 127.x.y.z as ::ffff:7fxx:yyzz.
  if (/^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host)) return true;
  const mapped = host.startsWith('::ffff:') ? host.slice('::ffff:'.length) : host;
  return v.is(ipv4Schema, mapped) && mapped.startsWith('127.');
}

/** The host name of `host[:port]` (brackets of an IPv6 address removed). */
export function hostnameOf(hostAndPort: string): string {
  const bracketed = /^\[([^\]]*)\](?::\d*)?$/.exec(hostAndPort.trim());
  if (bracketed) return bracketed[1] ?? '';
  const colons = hostAndPort.split(':').length - 1;
  // A bare IPv6 address has several colons and no port to strip.
  return colons === 1 ? hostAndPort.slice(0, hostAndPort.indexOf(':')) : hostAndPort.trim();
}

/** The transport of a page served with `protocol` (`https:`, `http:`) from `hostAndPort`. */
export function pageTransport(protocol: string, hostAndPort: string): PageTransport {
  if (/^(https|wss):$/i.test(protocol)) return 'encrypted';
  return isLoopbackHost(hostnameOf(hostAndPort)) ? 'loopback' : 'cleartext';
}

/** The transport of a chat socket URL (`wss://…` or `ws://…`); undefined if it is no URL. */
export function socketTransport(url: string): PageTransport | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  return pageTransport(parsed.protocol, parsed.host);
}
