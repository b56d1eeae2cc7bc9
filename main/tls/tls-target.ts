/** Where a pinned client connects: a wss:/https: URL, or a host and port. */
import { isIP } from 'node:net';
import * as v from 'valibot';
import { PinError } from './pin-error';

export type TlsTarget = string | URL | { host: string; port: number };

export interface ResolvedTarget {
  host: string;
  port: number;
  /** SNI name: the host name, or undefined for an IP address (TLS forbids IPs in SNI). */
  servername: string | undefined;
}

const portSchema = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65535));
const hostPortSchema = v.object({
  host: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(253)),
  port: portSchema,
});
const urlSchema = v.pipe(
  v.union([v.instance(URL), v.pipe(v.string(), v.maxLength(2048), v.url())]),
  v.transform((value) => new URL(value)),
  v.check(
    (url) => url.protocol === 'wss:' || url.protocol === 'https:',
    'use a wss: or https: URL',
  ),
);

const DEFAULT_TLS_PORT = 443;

export function resolveTarget(target: TlsTarget): ResolvedTarget {
  const asHostPort = v.safeParse(hostPortSchema, target);
  if (asHostPort.success) return withServername(asHostPort.output.host, asHostPort.output.port);
  const asUrl = v.safeParse(urlSchema, target);
  if (!asUrl.success) {
    throw new PinError(
      'bad_target',
      `Cannot connect to ${describe(target)}: ${asUrl.issues[0].message}.`,
    );
  }
  const url = asUrl.output;
  // URL keeps the brackets of an IPv6 host; sockets want the bare address.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return withServername(host, url.port === '' ? DEFAULT_TLS_PORT : Number(url.port));
}

/** The https: URL of a path on the same host, e.g. /api/info next to wss://host:port/ws. */
export function httpsUrl(target: ResolvedTarget, path: string): URL {
  const host = isIP(target.host) === 6 ? `[${target.host}]` : target.host;
  return new URL(path, `https://${host}:${target.port}`);
}

/**
 * The address as the known-rooms file records it: `host:port`, the host lower-cased and an IPv6
 * address in brackets.
 */
export function addressOf(target: ResolvedTarget): string {
  const host = target.host.toLowerCase();
  return `${isIP(host) === 6 ? `[${host}]` : host}:${target.port}`;
}

function withServername(host: string, port: number): ResolvedTarget {
  return { host, port, servername: isIP(host) === 0 ? host : undefined };
}

function describe(target: unknown): string {
  if (typeof target === 'string' || target instanceof URL) return String(target);
  return JSON.stringify(target) ?? String(target);
}
