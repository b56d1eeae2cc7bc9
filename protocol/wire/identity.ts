/**
 * The identity formulas of protocol v2 (docs/protocol.md, "Identity" and "Conversations"): how a
 * peer id follows from the secret a client sends, how both sides of a direct conversation compute
 * its id, and the per-room key desktop and terminal clients derive from their device secret.
 * Pure (no Node, no Web Crypto: guest pages on plain http have no crypto.subtle), so the host,
 * every client and the tests compute exactly the same strings.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { base64urlnopad } from '@scure/base';
import * as v from 'valibot';

const utf8 = new TextEncoder();

/** base64url without padding, the only encoding these formulas use. */
export const base64url = (bytes: Uint8Array): string => base64urlnopad.encode(bytes);

/** `hello.identity`: 32 to 64 bytes as base64url, 43 to 86 characters. */
export const identitySchema = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_-]{43,86}$/, 'identity must be 43 to 86 base64url characters'),
);

/** Peer ids derived from an identity start with this; random (ephemeral) ones do not. */
export const IDENTITY_PEER_PREFIX = 'u_';
export const DIRECT_CONVERSATION_PREFIX = 'd_';
export const CHANNEL_PREFIX = 'c_';
export const GENERAL = 'general';

const digest22 = (text: string): string => base64url(sha256(utf8.encode(text))).slice(0, 22);

/** `u_` + the first 22 characters of base64url(SHA-256("parley.identity:" + identity)). */
export function peerIdOf(identity: string): string {
  return `${IDENTITY_PEER_PREFIX}${digest22(`parley.identity:${identity}`)}`;
}

/** `d_` + the first 22 characters of base64url(SHA-256(the two peer ids, sorted, joined by ":")). */
export function directConversationId(a: string, b: string): string {
  const [first, second] = a < b ? [a, b] : [b, a];
  return `${DIRECT_CONVERSATION_PREFIX}${digest22(`${first}:${second}`)}`;
}

/**
 * What a desktop or terminal client sends as `identity` to one room: base64url(HMAC-SHA256(device
 * secret, "parley.identity.v2:" + room id + ":" + the certificate's SHA-256 in lowercase hex)),
 * so a host learns nothing it could replay in another room.
 */
export function roomIdentity(
  deviceSecret: Uint8Array,
  roomId: string,
  certSha256Hex: string,
): string {
  const message = `parley.identity.v2:${roomId}:${certSha256Hex.toLowerCase()}`;
  return base64url(hmac(sha256, deviceSecret, utf8.encode(message)));
}

/** Decodes unpadded base64url; undefined for anything else. */
export function fromBase64url(text: string): Uint8Array | undefined {
  try {
    return base64urlnopad.decode(text);
  } catch {
    return undefined;
  }
}
