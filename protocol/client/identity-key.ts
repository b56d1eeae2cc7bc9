/**
 * The `hello.identity` each kind of client sends (docs/protocol.md, "Identity"): desktop and
 * terminal clients keep one device secret and send a key derived from it for each room, so no
 * host learns anything it could use in another room; a browser guest keeps a random secret for
 * its host's origin and sends it as is. Web Crypto's getRandomValues is in Node and every browser
 * (guest pages on plain http included).
 */
import * as v from 'valibot';
import { base64url, fromBase64url, identitySchema, roomIdentity } from '../wire/identity';

/** Bytes of a new device (or guest) secret. */
export const SECRET_BYTES = 32;

/** A new random secret, as the base64url text clients keep and send. */
export function newSecret(): string {
  return base64url(globalThis.crypto.getRandomValues(new Uint8Array(SECRET_BYTES)));
}

/** The bytes of a kept secret, or undefined for text that is not one (a damaged file, say). */
export function secretBytes(text: string): Uint8Array | undefined {
  if (!v.is(identitySchema, text)) return undefined;
  return fromBase64url(text);
}

/**
 * What a desktop or terminal client sends to the room `roomId`: its certificate's fingerprint
 * (`AB:CD:…`, as pinned) in lowercase hex; a room without TLS (a `ws://` address) uses ''.
 */
export function identityForRoom(
  deviceSecret: Uint8Array,
  roomId: string,
  fingerprint256: string | undefined,
): string {
  const certificateHex = (fingerprint256 ?? '').replace(/:/g, '').toLowerCase();
  return roomIdentity(deviceSecret, roomId, certificateHex);
}
