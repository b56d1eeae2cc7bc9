/**
 * The whole trust decision of a Node client before it opens the chat socket: read the host's
 * certificate, learn the room id over a connection pinned to that certificate (GET /api/info),
 * then hold the pair against an explicit pin or the known-rooms file: by room id, and by the
 * address it was reached at (the host chooses the room id, so a new certificate under a new id at
 * a known address is a changed identity too). A certificate verified this way (a pin, or a known
 * one) is remembered for the room and the address at once; a new one once the caller accepted it.
 */
import { request } from 'node:https';
import * as v from 'valibot';
import {
  fingerprintMatchesPin,
  readableFingerprint,
  type ReadableFingerprint,
} from '../../protocol/client/fingerprint';
import { roomSchema, type RoomInfo } from '../../protocol/wire/frames';
import { identityChangedWarning, type KnownRoom, type KnownRooms } from './known-rooms';
import { PinError } from './pin-error';
import {
  fingerprintMismatchError,
  pinnedOptionsFor,
  probeServerCertificate,
  type PinnedTlsOptions,
} from './pinning';
import { addressOf, httpsUrl, resolveTarget, type TlsTarget } from './tls-target';

export interface RoomTrustOptions {
  knownRooms: KnownRooms;
  /**
   * A fingerprint the user had from the host itself (join link, QR code, typed from its screen):
   * in full, or its first 16 bytes or more (fingerprintMatchesPin).
   */
  fingerprint?: string;
  /** For each network step (probe, /api/info). Default 10 s. */
  timeoutMs?: number;
  /** Passed to identityChangedWarning, e.g. "run `parley forget ROOM`". */
  howToForget?: string;
  /**
   * The known-rooms file could not be written: the room is trusted all the same, only not
   * remembered for next time. Default: ignored.
   */
  onNotRemembered?: (error: unknown) => void;
}

export interface RoomTrust {
  /**
   * `match`: a known certificate (of this room, or seen at this address or for another room id);
   * `new`: first use, confirm with the user (firstUseNotice), then remember(); `pinned`: the
   * caller's explicit fingerprint. Both `match` and `pinned` are remembered already (a pin may
   * replace an old fingerprint).
   */
  verdict: 'new' | 'match' | 'pinned';
  /** The certificate's full fingerprint (a pin may have given only its first bytes). */
  fingerprint256: string;
  readable: ReadableFingerprint;
  room: RoomInfo;
  /** Where it was reached, as the known-rooms file records it (`host:port`). */
  address: string;
  /** For the real connection: spread into https options, or toWsClientOptions(tls) for ws. */
  tls: PinnedTlsOptions;
  /** Remembers this certificate for the room and the address; rejects if the file cannot be written. */
  remember(): Promise<void>;
}

export type RoomTrustErrorCode = 'identity_changed' | 'bad_info';

export interface RoomTrustErrorDetails {
  /** The room whose identity changed: the known one, which is what to forget. */
  room?: RoomInfo;
  known?: string;
  presented?: string;
  /** Set when the address gave it away: another room id with another certificate answers there. */
  address?: string;
  presentedRoom?: RoomInfo;
}

export class RoomTrustError extends Error {
  override readonly name = 'RoomTrustError';

  constructor(
    readonly code: RoomTrustErrorCode,
    message: string,
    readonly details: RoomTrustErrorDetails = {},
  ) {
    super(message);
  }
}

const infoSchema = v.object({ app: v.literal('parley'), room: roomSchema });
const MAX_INFO_BYTES = 64 * 1024;
const DEFAULT_TIMEOUT_MS = 10_000;

/** Rejects with PinError (probe or pin) or RoomTrustError (changed identity, unreadable info). */
export async function establishRoomTrust(
  target: TlsTarget,
  options: RoomTrustOptions,
): Promise<RoomTrust> {
  const { knownRooms } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const address = addressOf(resolveTarget(target));
  const certificate = await probeServerCertificate(target, { timeoutMs });
  const presented = certificate.fingerprint256;
  if (options.fingerprint !== undefined && !fingerprintMatchesPin(options.fingerprint, presented)) {
    throw fingerprintMismatchError(options.fingerprint, presented);
  }
  const tls = pinnedOptionsFor(certificate.pem, presented);
  const room = await fetchRoomInfo(target, tls, timeoutMs);
  const trust = async (verdict: RoomTrust['verdict']): Promise<RoomTrust> => {
    const remember = () => knownRooms.remember(room.id, presented, { address, name: room.name });
    if (verdict !== 'new') await remember().catch((error) => options.onNotRemembered?.(error));
    const readable = readableFingerprint(presented);
    return { verdict, fingerprint256: presented, readable, room, address, tls, remember };
  };
  if (options.fingerprint !== undefined) return trust('pinned');
  const known = await knownRooms.get(room.id);
  if (known) {
    if (known.fingerprint256 === presented) return trust('match');
    throw identityChanged(known, room, presented, options);
  }
  const seenHere = await knownRooms.atAddress(address);
  if (seenHere && seenHere.fingerprint256 !== presented) {
    throw identityChanged(seenHere, room, presented, options, address);
  }
  if (seenHere || (await knownRooms.knowsFingerprint(presented))) return trust('match');
  return trust('new');
}

/** `known` presented another certificate: as `room` itself, or as `room` at `address`. */
function identityChanged(
  known: KnownRoom,
  room: RoomInfo,
  presented: string,
  options: RoomTrustOptions,
  address?: string,
): RoomTrustError {
  const knownRoom = { id: known.id, name: known.name ?? room.name };
  const byAddress = address === undefined ? {} : { address, presentedRoom: room };
  const warning = identityChangedWarning({
    roomId: knownRoom.id,
    roomName: knownRoom.name,
    known: known.fingerprint256,
    presented,
    ...(options.howToForget !== undefined && { howToForget: options.howToForget }),
    ...byAddress,
  });
  return new RoomTrustError('identity_changed', warning, {
    room: knownRoom,
    known: known.fingerprint256,
    presented,
    ...byAddress,
  });
}

/** The question to ask before remembering a room on first use, in the spirit of SSH's. */
export function firstUseNotice(room: RoomInfo, fingerprint: string): string {
  return [
    `Parley has not seen room "${room.name}" (${room.id}) before.`,
    `Its fingerprint is ${readableFingerprint(fingerprint).short}.`,
    "Compare it with the fingerprint on the host's screen before you join.",
  ].join('\n');
}

/** GET /api/info over a pinned connection; only the room is read from it. */
export function fetchRoomInfo(
  target: TlsTarget,
  tls: PinnedTlsOptions,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<RoomInfo> {
  const resolved = resolveTarget(target);
  const url = httpsUrl(resolved, '/api/info');
  return new Promise((resolvePromise, reject) => {
    const call = request(url, {
      ...tls,
      servername: resolved.servername,
      agent: false,
      timeout: timeoutMs,
    });
    call.on('timeout', () =>
      call.destroy(new PinError('timeout', `No answer from ${url.host} within ${timeoutMs} ms.`)),
    );
    call.on('error', reject);
    call.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_INFO_BYTES) call.destroy(badInfo(url, 'the answer is too large'));
        else chunks.push(chunk);
      });
      response.on('error', reject);
      response.on('end', () => {
        if (response.statusCode !== 200) {
          reject(badInfo(url, `HTTP status ${response.statusCode ?? 'none'}`));
          return;
        }
        let json: unknown;
        try {
          json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          reject(badInfo(url, 'the answer is not JSON'));
          return;
        }
        const parsed = v.safeParse(infoSchema, json);
        if (parsed.success) resolvePromise(parsed.output.room);
        else reject(badInfo(url, parsed.issues[0].message));
      });
    });
    call.end();
  });
}

function badInfo(url: URL, reason: string): RoomTrustError {
  return new RoomTrustError('bad_info', `${url.href} is not a Parley host (${reason}).`);
}
