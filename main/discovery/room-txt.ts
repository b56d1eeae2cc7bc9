/**
 * How a room is described in DNS-SD, `_parley._tcp`, shared by the advertiser and the browser.
 *
 * TXT keys: `name` (room name), `id` (room id), `peers` (count), `pw` ('1' when a password is
 * needed, else '0'), `fp` (certificate fingerprint as 43 characters of base64url, only with
 * TLS), `v` (protocol version). Keys are read case-insensitively (RFC 6763 §6.4).
 *
 * DNS limits shape the names: one TXT string is at most 255 bytes and one DNS label at most 63,
 * so a long room name is shortened in the advert (on a character boundary). The instance name
 * is the room name plus a short hash of the room id, so two rooms called "Parley" do not clash.
 */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import * as v from 'valibot';
import { fingerprintToBase64Url, normalizeFingerprint } from '../../protocol/client/fingerprint';
import { roomIdSchema } from '../../protocol/client/invite';

/** The DNS-SD service type, without underscores (bonjour-service adds them): `_parley._tcp`. */
export const SERVICE_TYPE = 'parley';
export const SERVICE_DOMAIN = '_parley._tcp.local';

const MAX_TXT_STRING_BYTES = 255;
const MAX_LABEL_BYTES = 63;
/** Room names are at most 64 characters in the app (protocol/bridge.ts). */
const MAX_ROOM_NAME_LENGTH = 64;
const MAX_PEERS = 1_000_000;

export interface RoomDescription {
  roomId: string;
  name: string;
  peers: number;
  password: boolean;
  /** Canonical `AB:CD:…` form. */
  fingerprint?: string;
  protocol: number;
}

const utf8 = new TextEncoder();

/** The longest prefix of `text` (whole code points) that fits in `maxBytes` of UTF-8. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (utf8.encode(text).length <= maxBytes) return text;
  let result = '';
  let bytes = 0;
  for (const char of text) {
    const size = utf8.encode(char).length;
    if (bytes + size > maxBytes) break;
    result += char;
    bytes += size;
  }
  return result;
}

/** Control characters become spaces, runs of spaces one, and the ends are trimmed. */
export function cleanRoomName(name: string): string {
  return name
    .replace(/[\p{Cc}\u2028\u2029]/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/**
 * The DNS-SD instance name: `Room name [1a2b3c4d]`, one label of at most 63 bytes, no dots.
 * `attempt` 2 and later are the names taken after a conflict (RFC 6762 §9): `Room name (2) […]`.
 */
export function instanceNameFor(roomName: string, roomId: string, attempt = 1): string {
  const suffix = `${attempt > 1 ? ` (${attempt})` : ''} [${shortHash(roomId)}]`;
  const name = cleanRoomName(roomName).replaceAll('.', '-') || 'Parley';
  return `${truncateUtf8(name, MAX_LABEL_BYTES - suffix.length).trimEnd()}${suffix}`;
}

/**
 * The host name the SRV record points at: unique per room (`studio-1a2b3c4d.local`), so it never
 * competes with the machine's own `.local` name that Avahi or mDNSResponder answers for; after a
 * conflict, numbered like the instance name (`studio-1a2b3c4d-2.local`).
 */
export function targetHostFor(
  roomId: string,
  machineName: string = hostname(),
  attempt = 1,
): string {
  const label =
    (machineName.split('.')[0] ?? '')
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'parley';
  return `${label}-${shortHash(roomId)}${attempt > 1 ? `-${attempt}` : ''}.local`;
}

/** The TXT key/value pairs for a room (every value fits one TXT string). */
export function encodeRoomTxt(room: RoomDescription): Record<string, string> {
  const txt: Record<string, string> = {
    name: truncateUtf8(cleanRoomName(room.name), MAX_TXT_STRING_BYTES - 'name='.length),
    id: room.roomId,
    peers: String(room.peers),
    pw: room.password ? '1' : '0',
  };
  if (room.fingerprint !== undefined) txt.fp = fingerprintToBase64Url(room.fingerprint);
  txt.v = String(room.protocol);
  return txt;
}

const txtSchema = v.object({
  name: v.pipe(
    v.string(),
    v.transform((name) => [...cleanRoomName(name)].slice(0, MAX_ROOM_NAME_LENGTH).join('')),
    v.minLength(1),
  ),
  id: roomIdSchema,
  peers: v.pipe(v.string(), v.regex(/^\d{1,7}$/), v.transform(Number), v.maxValue(MAX_PEERS)),
  pw: v.pipe(
    v.picklist(['0', '1']),
    v.transform((value) => value === '1'),
  ),
  fp: v.optional(
    v.pipe(
      v.string(),
      v.maxLength(256),
      v.transform((value) => normalizeFingerprint(value)),
      v.string(),
    ),
  ),
  v: v.pipe(v.string(), v.regex(/^[1-9]\d{0,5}$/), v.transform(Number)),
});

/**
 * The room a TXT record describes, or undefined when the record is not a valid Parley advert
 * (missing or malformed fields: a foreign or hostile advert is ignored, never trusted).
 */
export function parseRoomTxt(txt: unknown): RoomDescription | undefined {
  if (typeof txt !== 'object' || txt === null || Array.isArray(txt)) return undefined;
  // RFC 6763: keys are case-insensitive; the first occurrence of a key wins.
  const fields: Record<string, unknown> = Object.create(null);
  for (const [key, value] of Object.entries(txt)) {
    const lower = key.toLowerCase();
    if (!(lower in fields)) fields[lower] = value;
  }
  const parsed = v.safeParse(txtSchema, fields);
  if (!parsed.success) return undefined;
  const { name, id, peers, pw, fp, v: protocol } = parsed.output;
  const room: RoomDescription = { roomId: id, name, peers, password: pw, protocol };
  if (fp !== undefined) room.fingerprint = fp;
  return room;
}
