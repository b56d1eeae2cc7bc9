/**
 * Turns what a person types to join a room into the WebSocket URL of its chat socket.
 * Accepted: `host`, `host:port`, `[v6]`, `[v6]:port`, a bare IPv6 address, and `ws://` or
 * `wss://` URLs (their path defaults to `/ws`). Everything else is refused with a sentence that
 * says what to type instead. resolveJoinTarget adds invites and the choice of TLS on top.
 */
import { normalizeFingerprintPin } from './fingerprint';
import { parseInvite, socketUrl } from './invite';
import { DEFAULT_PORT } from '../wire/limits';

const CHAT_PATH = '/ws';
const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
const SCHEME_SUGGESTIONS: Record<string, string> = { http: 'ws', https: 'wss' };
const BARE_IPV6 = /^[0-9a-f]*:[0-9a-f:.]*$/i;
const DIGITS = /^\d+$/;

export function parseJoinAddress(input: string, defaultPort: number = DEFAULT_PORT): URL {
  const typed = input.trim();
  if (typed === '') throw new Error('Type the address of the room, for example 192.168.1.20:7420.');

  const scheme = SCHEME.exec(typed)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'ws' && scheme !== 'wss') {
    const suggestion = SCHEME_SUGGESTIONS[scheme];
    throw new Error(
      suggestion
        ? `Use ${suggestion}:// instead of ${scheme}:// (for example ${typed.replace(SCHEME, `${suggestion}://`)}).`
        : `"${typed}" is not a room address: only ws:// and wss:// addresses are supported.`,
    );
  }

  const rest = scheme === undefined ? typed : typed.slice(scheme.length + 3);
  const authorityEnd = rest.search(/[/?#]/);
  let authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  const tail = authorityEnd < 0 ? '' : rest.slice(authorityEnd);

  if (authority.includes('@')) {
    throw new Error(
      `"${typed}" is not a room address: leave out the user name (use the password option).`,
    );
  }
  if (authority.includes('%')) {
    throw new Error(
      `"${typed}" is not a room address: IPv6 zone ids (the part after %) are not supported.`,
    );
  }
  if (scheme === undefined && BARE_IPV6.test(authority) && authority.split(':').length > 2) {
    // A bare IPv6 address: its colons are not a port separator.
    authority = `[${authority}]`;
  }

  const { hostname, port } = splitAuthority(authority, typed);
  if (hostname === '' || hostname === '[]') {
    throw new Error(`"${typed}" has no host name or IP address in it.`);
  }
  if (port !== undefined) checkPort(port, typed);
  const effectivePort = port ?? (scheme === undefined ? String(defaultPort) : undefined);

  let url: URL;
  try {
    const portPart = effectivePort === undefined ? '' : `:${effectivePort}`;
    url = new URL(`${scheme ?? 'ws'}://${hostname}${portPart}${tail}`);
  } catch {
    throw new Error(`"${typed}" is not a valid room address.`);
  }
  if (url.pathname === '/' || url.pathname === '') url.pathname = CHAT_PATH;
  url.hash = '';
  return url;
}

function splitAuthority(authority: string, typed: string): { hostname: string; port?: string } {
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close < 0) throw new Error(`"${typed}" has an IPv6 address without its closing bracket.`);
    const after = authority.slice(close + 1);
    if (after === '') return { hostname: authority };
    if (!after.startsWith(':')) throw new Error(`"${typed}" is not a valid room address.`);
    return { hostname: authority.slice(0, close + 1), port: after.slice(1) };
  }
  const colon = authority.indexOf(':');
  if (colon < 0) return { hostname: authority };
  if (authority.indexOf(':', colon + 1) >= 0) {
    throw new Error(
      `"${typed}" is not a valid room address: put an IPv6 address in brackets, like [::1]:7420.`,
    );
  }
  return { hostname: authority.slice(0, colon), port: authority.slice(colon + 1) };
}

function checkPort(port: string, typed: string): void {
  if (port === '') throw new Error(`"${typed}" ends with a colon but has no port number after it.`);
  if (!DIGITS.test(port)) throw new Error(`"${port}" in "${typed}" is not a port number.`);
  const value = Number(port);
  if (value < 1 || value > 65535) {
    throw new Error(`The port must be between 1 and 65535, not ${port}.`);
  }
}

/** Where a client connects, and how it may trust the host (see resolveJoinTarget). */
export interface JoinTarget {
  /** The chat socket: `wss://…/ws`, or `ws://…/ws` only when cleartext was asked for. */
  url: string;
  /** TLS, pinned to `fingerprint` or trusted on first use. */
  secure: boolean;
  /**
   * A fingerprint to pin (canonical `AB:CD:…`), from an invite or given explicitly: all 32 bytes,
   * or at least the first 16 (the short form the host shows), which the certificate's must begin
   * with (fingerprintMatchesPin).
   */
  fingerprint?: string;
  /** The room the invite was for, to tell the person when the host now runs another. */
  roomId?: string;
}

const CLEARTEXT_SCHEME = /^ws:\/\//i;
const INVITE_OR_PAGE_SCHEME = /^(parley|https):\/\//i;

/**
 * Turns what a person gives to join (an address, a `parley://` invite, the guest page's
 * `https://` URL, a `ws://` or `wss://` URL) into a join target. Encrypted unless `ws://` is
 * typed explicitly. `fingerprint` pins the host's certificate; it must agree with an invite's.
 * Throws an Error whose message says what to type instead.
 */
export function resolveJoinTarget(input: string, fingerprint?: string): JoinTarget {
  const typed = input.trim();
  const pinned = fingerprint === undefined ? undefined : normalizeFingerprintPin(fingerprint);
  if (fingerprint !== undefined && pinned === undefined) {
    throw new Error(
      `"${fingerprint}" is not a SHA-256 fingerprint: give the 8 groups the host shows (or more of it, in hex), or all 32 bytes in hex or base64.`,
    );
  }
  let target: JoinTarget;
  if (INVITE_OR_PAGE_SCHEME.test(typed)) {
    const parsed = parseInvite(typed);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const { invite } = parsed;
    target = { url: socketUrl({ ...invite, secure: true }), secure: true };
    if (invite.fingerprint !== undefined) target.fingerprint = invite.fingerprint;
    if (invite.roomId !== undefined) target.roomId = invite.roomId;
  } else {
    const url = parseJoinAddress(typed);
    const secure = !CLEARTEXT_SCHEME.test(typed);
    if (secure) url.protocol = 'wss:';
    target = { url: url.href, secure };
  }
  if (pinned === undefined) return target;
  if (!target.secure) {
    throw new Error(
      'A fingerprint needs an encrypted connection: leave out ws:// (or use wss://).',
    );
  }
  if (target.fingerprint !== undefined) {
    if (!target.fingerprint.startsWith(pinned)) {
      throw new Error('The fingerprint given differs from the one in the invite: check both.');
    }
    // The invite's, in full, pins more than a short form typed beside it.
    return target;
  }
  return { ...target, fingerprint: pinned };
}

/**
 * The HTTP origin of the host behind a chat socket URL (`wss://h:7420/ws` -> `https://h:7420`),
 * where its files live: the same port and the same encryption.
 */
export function httpOriginOf(socketUrl: string): string {
  const url = new URL(socketUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  return url.origin;
}
