/**
 * Who sends an upload: `Authorization: Bearer TOKEN`, TOKEN being a session token this room
 * issued (`welcome.token`, live or stored), looked up by its hash like a resume. The upload
 * belongs to that session's peer; an identity's peer id is the same on every device and
 * connection, so any of its sessions may resume, finish or cancel it.
 *
 * Browsers send no Authorization by themselves, so a page elsewhere cannot upload in a visitor's
 * name; a page with an Origin must still be the host's own (or an allowed one), as for the socket.
 */
import type { IncomingMessage } from 'node:http';
import type { PeerV2 } from '../../../protocol/wire/entries';
import type { RoomStore } from '../store/room-store';
import { hashToken } from '../tokens';
import { FileError } from './file-errors';

/** A token as the host makes them (tokens.ts: 32 random bytes, base64url), with room to spare. */
const BEARER = /^Bearer +([A-Za-z0-9_-]{16,128})$/i;

export const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="parley"' };

/** The peer whose session token authorises the request; throws `unauthorized`. */
export function authenticate(store: RoomStore, request: IncomingMessage): PeerV2 {
  const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
  let peer: PeerV2 | undefined;
  if (token !== undefined) {
    try {
      peer = store.findSession(hashToken(token));
    } catch {
      throw new FileError('unavailable');
    }
  }
  if (!peer) throw new FileError('unauthorized', undefined, { headers: CHALLENGE });
  return peer;
}
