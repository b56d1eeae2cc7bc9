/**
 * Invites: the one string a host hands out so others can join (as text, a link or a QR code).
 *
 *   parley://HOST:PORT/?fp=FINGERPRINT&room=ROOM_ID
 *
 * `fp` is the SHA-256 fingerprint of the host's TLS certificate, written as 43 characters of
 * base64url (any spelling protocol/client/fingerprint.ts reads is accepted). Its presence means the room
 * speaks TLS (wss/https) and the client must pin the certificate to it; without `fp` the room
 * is plain ws/http. `room` lets a client tell it reached the room it was invited to.
 * Both are optional, unknown parameters are ignored (room for later versions).
 *
 * The parser is forgiving about what people paste: a bare `host:port`, the browser guest URL
 * `http(s)://host:port/` and the socket URL `ws(s)://host:port/ws` are understood as well.
 * It parses by hand instead of with `new URL`, because browsers disagree on hosts of
 * non-special schemes such as `parley:` and the guest page runs in any browser.
 */
import * as v from 'valibot';
import { fingerprintToBase64Url, normalizeFingerprint } from './fingerprint';
import { DEFAULT_PORT } from '../wire/limits';

export const INVITE_SCHEME = 'parley';

export interface Invite {
  /** Host name or IP address; an IPv6 address without brackets. Lower case. */
  host: string;
  port: number;
  /** True when the room speaks TLS: wss:// for the socket, https:// for the guest page. */
  secure: boolean;
  /** Certificate fingerprint to pin, canonical form `AB:CD:…` (as Node's `fingerprint256`). */
  fingerprint?: string;
  roomId?: string;
}

export interface InviteInput {
  host: string;
  port: number;
  fingerprint?: string;
  roomId?: string;
}

export type InviteErrorCode =
  'empty' | 'bad_scheme' | 'bad_invite' | 'bad_host' | 'bad_port' | 'bad_fingerprint' | 'bad_room';

export interface InviteError {
  code: InviteErrorCode;
  message: string;
}

export type InviteParseResult = { ok: true; invite: Invite } | { ok: false; error: InviteError };

/** Thrown by the builders when given values that cannot make a valid invite. */
export class InvalidInviteError extends Error {
  readonly code: InviteErrorCode;
  constructor(error: InviteError) {
    super(error.message);
    this.name = 'InvalidInviteError';
    this.code = error.code;
  }
}

const MAX_INVITE_LENGTH = 2048;

/** Room ids travel in URLs and DNS TXT records: URL-unreserved characters only. */
export const roomIdSchema = v.pipe(
  v.string(),
  v.minLength(1, 'The room id is empty.'),
  v.maxLength(128, 'The room id is longer than 128 characters.'),
  v.regex(/^[A-Za-z0-9._~-]+$/, 'The room id may only use letters, digits and . _ ~ -'),
);

const portSchema = v.pipe(
  v.number(),
  v.integer(),
  v.minValue(1, 'The port must be between 1 and 65535.'),
  v.maxValue(65535, 'The port must be between 1 and 65535.'),
);

const ipv4Schema = v.pipe(v.string(), v.ipv4());
/** The compressed lower-case form of an IPv6 address (by the platform's URL parser), or undefined. */
function canonicalIpv6(address: string): string | undefined {
  if (!/^[0-9a-f:.]+$/.test(address)) return undefined;
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
}
// A DNS name whose last label is not all digits (that would be a broken IPv4 address).
const hostNameSchema = v.pipe(
  v.string(),
  v.maxLength(253),
  v.regex(/^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*$/),
  v.check((name) => !/^\d+$/.test(name.slice(name.lastIndexOf('.') + 1))),
);

const BAD_FINGERPRINT = 'The certificate fingerprint is not a SHA-256 fingerprint (32 bytes).';

/**
 * Validates a host (name, IPv4, or IPv6 with or without brackets): lower case, IPv6 compressed
 * and without brackets; undefined when it is none of those.
 */
export function normalizeHost(value: string): string | undefined {
  const host = value.trim().toLowerCase();
  const unbracketed = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (unbracketed !== host || unbracketed.includes(':')) return canonicalIpv6(unbracketed);
  if (v.is(ipv4Schema, host) || v.is(hostNameSchema, host)) return host;
  return undefined;
}

/** `host:port`, with brackets around an IPv6 address: what people type to join. */
export function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function fail(code: InviteErrorCode, message: string): InviteParseResult {
  return { ok: false, error: { code, message } };
}

/** Scheme, authority, path and query of an absolute URL-like string. */
const URL_SHAPE = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/i;
const AUTHORITY = /^(\[[^\]]*\]|[^:[\]]*)(?::(.*))?$/;

/** The default port of each scheme an invite may be pasted as. */
const SCHEMES: Record<string, { defaultPort: number; secure: boolean | 'fp'; anyPath: boolean }> = {
  [INVITE_SCHEME]: { defaultPort: DEFAULT_PORT, secure: 'fp', anyPath: false },
  http: { defaultPort: 80, secure: false, anyPath: true },
  https: { defaultPort: 443, secure: true, anyPath: true },
  ws: { defaultPort: 80, secure: false, anyPath: true },
  wss: { defaultPort: 443, secure: true, anyPath: true },
};

/** Parses an invite (or a pasted address or guest URL); never throws. */
export function parseInvite(text: string): InviteParseResult {
  if (typeof text !== 'string') return fail('bad_invite', 'An invite is a piece of text.');
  const trimmed = text.trim();
  if (trimmed.length === 0) return fail('empty', 'The invite is empty.');
  if (trimmed.length > MAX_INVITE_LENGTH) return fail('bad_invite', 'The invite is too long.');

  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)
    ? trimmed
    : `${INVITE_SCHEME}://${trimmed}`;
  const shape = URL_SHAPE.exec(withScheme);
  if (!shape) return fail('bad_invite', 'This does not look like a Parley invite.');
  const [, rawScheme = '', authority = '', path = '', query = ''] = shape;
  const scheme = SCHEMES[rawScheme.toLowerCase()];
  if (!scheme) {
    return fail(
      'bad_scheme',
      `Parley invites start with ${INVITE_SCHEME}://, not ${rawScheme}://.`,
    );
  }
  if (authority.includes('@')) {
    return fail('bad_invite', 'An invite carries no user name or password before the host.');
  }
  if (!scheme.anyPath && path !== '' && path !== '/') {
    return fail('bad_invite', 'A Parley invite has no path after the host and port.');
  }

  const hostPort = AUTHORITY.exec(authority);
  const host = hostPort?.[1] ? normalizeHost(hostPort[1]) : undefined;
  if (host === undefined) {
    return fail('bad_host', 'The invite does not name a valid host (a name or an IP address).');
  }
  let port = scheme.defaultPort;
  const rawPort = hostPort?.[2];
  if (rawPort !== undefined) {
    const parsed = /^\d{1,5}$/.test(rawPort) ? Number(rawPort) : Number.NaN;
    if (!v.is(portSchema, parsed)) return fail('bad_port', 'The port must be between 1 and 65535.');
    port = parsed;
  }

  const params = new URLSearchParams(query.slice(1));
  const invite: Invite = { host, port, secure: scheme.secure === true };
  const fp = params.get('fp');
  if (fp !== null) {
    const fingerprint = normalizeFingerprint(fp);
    if (fingerprint === undefined) {
      return fail('bad_fingerprint', BAD_FINGERPRINT);
    }
    invite.fingerprint = fingerprint;
    if (scheme.secure === 'fp') invite.secure = true;
  }
  const room = params.get('room');
  if (room !== null) {
    const checked = v.safeParse(roomIdSchema, room);
    if (!checked.success) return fail('bad_room', checked.issues[0].message);
    invite.roomId = checked.output;
  }
  return { ok: true, invite };
}

function checkInput(input: InviteInput): Invite {
  const host = typeof input.host === 'string' ? normalizeHost(input.host) : undefined;
  if (host === undefined) {
    throw new InvalidInviteError({ code: 'bad_host', message: `Not a valid host: ${input.host}` });
  }
  if (!v.is(portSchema, input.port)) {
    throw new InvalidInviteError({ code: 'bad_port', message: `Not a valid port: ${input.port}` });
  }
  const invite: Invite = { host, port: input.port, secure: input.fingerprint !== undefined };
  if (input.fingerprint !== undefined) {
    const fingerprint =
      typeof input.fingerprint === 'string' ? normalizeFingerprint(input.fingerprint) : undefined;
    if (fingerprint === undefined) {
      throw new InvalidInviteError({ code: 'bad_fingerprint', message: BAD_FINGERPRINT });
    }
    invite.fingerprint = fingerprint;
  }
  if (input.roomId !== undefined) {
    const room = v.safeParse(roomIdSchema, input.roomId);
    if (!room.success) {
      throw new InvalidInviteError({ code: 'bad_room', message: room.issues[0].message });
    }
    invite.roomId = room.output;
  }
  return invite;
}

/** `parley://HOST:PORT/?fp=…&room=…`; throws InvalidInviteError for values that cannot be valid. */
export function buildInvite(input: InviteInput): string {
  const invite = checkInput(input);
  const query: string[] = [];
  // Built by hand: base64url and room ids are URL-unreserved characters, nothing needs escaping.
  if (invite.fingerprint !== undefined)
    query.push(`fp=${fingerprintToBase64Url(invite.fingerprint)}`);
  if (invite.roomId !== undefined) query.push(`room=${invite.roomId}`);
  const search = query.length > 0 ? `?${query.join('&')}` : '';
  return `${INVITE_SCHEME}://${formatAddress(invite.host, invite.port)}/${search}`;
}

function origin(invite: Invite, plain: string, secure: string): string {
  const checked = checkInput(invite);
  return `${invite.secure ? secure : plain}://${formatAddress(checked.host, checked.port)}`;
}

/** The browser guest page: `http(s)://HOST:PORT/`. */
export function guestUrl(invite: Invite): string {
  return `${origin(invite, 'http', 'https')}/`;
}

/** The chat socket to connect to: `ws(s)://HOST:PORT/ws`. */
export function socketUrl(invite: Invite): string {
  return `${origin(invite, 'ws', 'wss')}/ws`;
}

/** The room's public description: `http(s)://HOST:PORT/api/info`. */
export function infoUrl(invite: Invite): string {
  return `${origin(invite, 'http', 'https')}/api/info`;
}
