/**
 * Identifiers and secrets the host hands out. Everything comes from the CSPRNG; nothing is ever
 * chosen by a client. Tokens are only kept as sha256 digests, so a leaked store cannot resume
 * anyone's session.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const randomText = (bytes: number): string => randomBytes(bytes).toString('base64url');

/** A peer id: `p_` and 12 base64url characters (72 random bits). */
export function createPeerId(): string {
  return `p_${randomText(9)}`;
}

/** A host-made message id for clients that do not choose one (plain mode). */
export function createMessageId(): string {
  return `m_${randomText(12)}`;
}

/** A channel id: `c_` and 16 base64url characters (96 random bits). */
export function createChannelId(): string {
  return `c_${randomText(12)}`;
}

/** A room id for stores that create a room. */
export function createRoomId(): string {
  return `r_${randomText(12)}`;
}

/** A resume token: 32 random bytes, base64url. Only its hash is ever stored. */
export function createToken(): string {
  return randomText(32);
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** The form under which a token is stored: lowercase sha256 hex. */
export function hashToken(token: string): string {
  return sha256(token).toString('hex');
}

/**
 * True when the room is open (no password) or `given` equals it. Both sides are hashed first so
 * the comparison takes the same time whatever the lengths and contents.
 */
export function passwordMatches(given: string | undefined, expected: string | undefined): boolean {
  if (expected === undefined || expected === '') return true;
  return timingSafeEqual(sha256(given ?? ''), sha256(expected));
}
