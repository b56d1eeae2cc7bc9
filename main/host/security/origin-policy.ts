/**
 * Which WebSocket handshakes a browser may make (against cross-site WebSocket hijacking).
 *
 * Browsers always send `Origin` on a WebSocket handshake and let any page open a socket to any
 * address, so without this check a page on the internet could join a LAN room through a visitor's
 * browser. Programs (the app's main process, the terminal client, wscat) send no Origin and are
 * held to the password instead. With an Origin, only the host's own guest page is let in: same
 * scheme, host and port as the Host header the browser sent, plus any configured extra origins.
 *
 * A page can pass that test by rebinding its own DNS name to the host's address (DNS rebinding),
 * so a browser origin must also name the host by an IP address, localhost, or an allowed name.
 */
import { isIP } from 'node:net';
import * as v from 'valibot';

export interface OriginPolicyOptions {
  /** Further origins to accept, e.g. a development server (`http://localhost:5173`). */
  allowedOrigins?: readonly string[];
  /**
   * The scheme the host serves. Given, an origin must use it; omitted, http and https are both
   * taken as the host's own (fine when the Host header carries a port, as Parley's do).
   */
  scheme?: 'http' | 'https';
  /**
   * Host names (not IP addresses) a guest page may be reached by, besides `localhost`. Default:
   * any name, which leaves DNS rebinding open; the host should pass its hostname and `.local` name.
   */
  allowedHostnames?: readonly string[];
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };
// A Host header: a DNS name, an IPv4 address or a bracketed IPv6 address, then an optional port.
const HOST_HEADER = /^(?:\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?$/i;
// A serialized origin as browsers send it: scheme, host, optional port, nothing after.
const ORIGIN_HEADER = /^https?:\/\/(?:\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?$/i;

const headerSchema = v.optional(v.pipe(v.string(), v.maxLength(300)));
const optionsSchema = v.object({
  allowedOrigins: v.optional(v.array(v.pipe(v.string(), v.url())), []),
  scheme: v.optional(v.picklist(['http', 'https'])),
  allowedHostnames: v.optional(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(253)))),
});

interface ParsedOrigin {
  protocol: string;
  hostname: string;
  port: string;
}

export type OriginPolicy = (originHeader: unknown, hostHeader: unknown) => boolean;

/** Validates the options once and returns the check to run on every handshake. */
export function createOriginPolicy(options: OriginPolicyOptions = {}): OriginPolicy {
  const parsed = v.safeParse(optionsSchema, options);
  if (!parsed.success) throw new TypeError(`origin policy options: ${parsed.issues[0].message}`);
  const { scheme, allowedHostnames } = parsed.output;
  // Configured origins are normalised the same way, so `HTTP://Example:80/` matches `http://example`.
  const extra = new Set(parsed.output.allowedOrigins.map((origin) => new URL(origin).origin));
  const names = allowedHostnames && new Set(['localhost', ...allowedHostnames.map(lowerName)]);

  return (originHeader, hostHeader) => {
    const headers = v.safeParse(v.object({ origin: headerSchema, host: headerSchema }), {
      origin: originHeader,
      host: hostHeader,
    });
    if (!headers.success) return false;
    const { origin, host } = headers.output;
    if (origin === undefined) return true;
    const page = parseOrigin(origin);
    if (!page) return false;
    if (extra.has(`${page.protocol}//${hostPart(page)}`)) return true;
    if (scheme !== undefined && page.protocol !== `${scheme}:`) return false;
    if (names && isIP(unbracket(page.hostname)) === 0 && !names.has(page.hostname)) return false;
    const self = host === undefined ? undefined : parseHost(host, page.protocol);
    return self !== undefined && self.hostname === page.hostname && self.port === page.port;
  };
}

/**
 * True for a handshake without Origin (a program), or from the host's own page or an allowed
 * origin. Takes the options of createOriginPolicy, or just a list of extra allowed origins.
 */
export function isOriginAllowed(
  originHeader: string | undefined,
  hostHeader: string | undefined,
  options: OriginPolicyOptions | readonly string[] = {},
): boolean {
  const resolved = isOriginList(options) ? { allowedOrigins: options } : options;
  return createOriginPolicy(resolved)(originHeader, hostHeader);
}

function isOriginList(
  options: OriginPolicyOptions | readonly string[],
): options is readonly string[] {
  return Array.isArray(options);
}

function parseOrigin(origin: string): ParsedOrigin | undefined {
  // `null` (sandboxed frames, file: pages) and anything with a path or credentials fail here.
  if (!ORIGIN_HEADER.test(origin)) return undefined;
  const url = tryUrl(origin);
  if (!url) return undefined;
  return { protocol: url.protocol, hostname: url.hostname, port: url.port || portOf(url.protocol) };
}

function parseHost(host: string, protocol: string): ParsedOrigin | undefined {
  if (!HOST_HEADER.test(host)) return undefined;
  const url = tryUrl(`${protocol}//${host}`);
  if (!url) return undefined;
  return { protocol, hostname: url.hostname, port: url.port || portOf(protocol) };
}

function tryUrl(text: string): URL | undefined {
  // The patterns let through what URL still refuses: `[1:2]`, port 99999.
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function portOf(protocol: string): string {
  return DEFAULT_PORTS[protocol] ?? '';
}

function hostPart(origin: ParsedOrigin): string {
  return origin.port === portOf(origin.protocol)
    ? origin.hostname
    : `${origin.hostname}:${origin.port}`;
}

function unbracket(hostname: string): string {
  return hostname.replace(/^\[(.*)\]$/, '$1');
}

function lowerName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}
