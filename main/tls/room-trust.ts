/**
 * The whole trust decision of a Node client before it opens the chat socket: read the host's
 * certificate, learn the room id over a connection pinned to that certificate (GET /api/info),
 * then hold the pair against an explicit pin or the known-rooms file.
 */
import { request } from 'node:https';
import * as v from 'valibot';
import {
  fingerprintsEqual,
  readableFingerprint,
  type ReadableFingerprint,
} from '../../protocol/client/fingerprint';
import { roomSchema, type RoomInfo } from '../../protocol/wire/frames';
import { identityChangedWarning, type KnownRooms } from './known-rooms';
import { PinError } from './pin-error';
import {
  fingerprintMismatchError,
  pinnedOptionsFor,
  probeServerCertificate,
  type PinnedTlsOptions,
} from './pinning';
import { httpsUrl, resolveTarget, type TlsTarget } from './tls-target';

export interface RoomTrustOptions {
  knownRooms: KnownRooms;
  /** A fingerprint the user had from the host itself (join link, QR code, typed from its screen). */
  fingerprint?: string;
  /** For each network step (probe, /api/info). Default 10 s. */
  timeoutMs?: number;
  /** Passed to identityChangedWarning, e.g. "run `parley forget ROOM`". */
  howToForget?: string;
}

export interface RoomTrust {
  /**
   * `match`: the known fingerprint; `new`: first use, confirm with the user (firstUseNotice) and
   * remember; `pinned`: the caller's explicit fingerprint, remember it (it may replace an old one).
   */
  verdict: 'new' | 'match' | 'pinned';
  fingerprint256: string;
  readable: ReadableFingerprint;
  room: RoomInfo;
  /** For the real connection: spread into https options, or toWsClientOptions(tls) for ws. */
  tls: PinnedTlsOptions;
}

export type RoomTrustErrorCode = 'identity_changed' | 'bad_info';

export class RoomTrustError extends Error {
  override readonly name = 'RoomTrustError';

  constructor(
    readonly code: RoomTrustErrorCode,
    message: string,
    readonly details: { room?: RoomInfo; known?: string; presented?: string } = {},
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
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const certificate = await probeServerCertificate(target, { timeoutMs });
  const presented = certificate.fingerprint256;
  if (options.fingerprint !== undefined && !fingerprintsEqual(options.fingerprint, presented)) {
    throw fingerprintMismatchError(options.fingerprint, presented);
  }
  const tls = pinnedOptionsFor(certificate.pem, presented);
  const room = await fetchRoomInfo(target, tls, timeoutMs);
  const trust = (verdict: RoomTrust['verdict']): RoomTrust => ({
    verdict,
    fingerprint256: presented,
    readable: readableFingerprint(presented),
    room,
    tls,
  });
  if (options.fingerprint !== undefined) return trust('pinned');
  const known = await options.knownRooms.get(room.id);
  if (!known) return trust('new');
  if (known.fingerprint256 === presented) return trust('match');
  throw new RoomTrustError(
    'identity_changed',
    identityChangedWarning({
      roomId: room.id,
      roomName: room.name,
      known: known.fingerprint256,
      presented,
      ...(options.howToForget !== undefined ? { howToForget: options.howToForget } : {}),
    }),
    { room, known: known.fingerprint256, presented },
  );
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
