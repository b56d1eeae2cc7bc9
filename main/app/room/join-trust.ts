/**
 * How the desktop app trusts a room's host before it sends it anything (docs/security.md): over
 * TLS, with the certificate pinned to the fingerprint of an invite (or one the person confirmed),
 * or to the one remembered for the room in the known-rooms file. A room never seen is not joined
 * silently: the join fails with `confirm_identity` so the window can show the fingerprint to
 * compare. A changed identity fails with `identity_changed` until the room is forgotten. Only an
 * explicit `ws://` address connects without encryption.
 */
import * as v from 'valibot';
import type WebSocket from 'ws';
import type { JoinTarget } from '../../../protocol/client/address';
import type { BridgeError } from '../../../protocol/bridge';
import type { WebSocketConstructor } from '../../../protocol/client/client-types';
import { readableFingerprint } from '../../../protocol/client/fingerprint';
import type { RoomInfo } from '../../../protocol/wire/frames';
import { isLoopbackAddress } from '../../host/security/transport-policy';
import { identityChangedWarning, KnownRoomsError, type KnownRooms } from '../../tls/known-rooms';
import { PinError, type PinnedTlsOptions } from '../../tls/pinning';
import { pinnedWebSocket } from '../../tls/pinned-websocket';
import { establishRoomTrust, firstUseNotice, RoomTrustError } from '../../tls/room-trust';
import { appError } from './app-errors';

export interface TrustedJoin {
  /** For a TLS room: every socket of the session, reconnects too, trusts only this certificate. */
  WebSocket?: WebSocketConstructor;
  /** For a TLS room: the pinned certificate, for the room's HTTPS requests (files). */
  tls?: PinnedTlsOptions;
  /** The pinned certificate's fingerprint (canonical), for the summary and the identity. */
  fingerprint256?: string;
  /** The room's id as the host itself said (TLS rooms: /api/info over the pinned connection). */
  roomId?: string;
  /** Call once the room welcomed the session: remembers its certificate unless already known. */
  welcomed(roomId: string): Promise<void>;
}

export interface JoinTrustOptions {
  knownRooms: KnownRooms;
  /** What the person typed, for the sentences of errors. */
  address: string;
  /** For each network step of the decision (certificate probe, /api/info). */
  timeoutMs: number;
  /** The join carries a password: never sent in cleartext to another machine. */
  withPassword: boolean;
  /**
   * A reconnect met another certificate than the pinned one (nothing was sent to it). Returns
   * true once the person was told; until then it is called again on the next such attempt.
   */
  onIdentityMismatch?: () => boolean;
  log: (message: string, detail?: unknown) => void;
}

/** Decides whether to connect; rejects with a BridgeError (anything unexpected as it is). */
export async function trustJoinTarget(
  target: JoinTarget,
  options: JoinTrustOptions,
): Promise<TrustedJoin> {
  if (!target.secure) {
    // The host would refuse it unchecked (docs/security.md); better said before it travels.
    if (options.withPassword && !isLoopbackUrl(target.url)) throw appError('insecure_password');
    return { welcomed: async () => undefined };
  }
  const { knownRooms, timeoutMs, log } = options;
  let trust;
  try {
    trust = await establishRoomTrust(target.url, {
      knownRooms,
      timeoutMs,
      ...(target.fingerprint !== undefined && { fingerprint: target.fingerprint }),
    });
  } catch (error) {
    throw trustError(error, target, options.address);
  }
  if (trust.verdict === 'new') throw confirmIdentityError(trust.room, trust.fingerprint256);
  const { verdict, fingerprint256 } = trust;
  let told = false;
  const mismatch = () => {
    if (!told) told = options.onIdentityMismatch?.() ?? true;
  };
  return {
    WebSocket: watchedPinnedWebSocket(trust.tls, mismatch),
    tls: trust.tls,
    fingerprint256,
    roomId: trust.room.id,
    async welcomed(roomId) {
      if (verdict === 'match') return;
      try {
        // An explicit fingerprint came from the host itself: it replaces a remembered one.
        await knownRooms.remember(roomId, fingerprint256);
      } catch (error) {
        // The room is open and pinned; not remembering only means asking again next time.
        log("parley: could not remember the room's fingerprint", error);
      }
    },
  };
}

/**
 * pinnedWebSocket (every socket, reconnects too, trusts only the pinned certificate) that also
 * reports a refused certificate, which the client session would only see as a lost connection.
 */
function watchedPinnedWebSocket(
  tls: PinnedTlsOptions,
  onMismatch: () => void,
): WebSocketConstructor {
  // pinnedWebSocket makes ws sockets; typed as ws here to listen to their 'error' event.
  const Pinned = pinnedWebSocket(tls) as unknown as typeof WebSocket;
  class WatchedPinnedWebSocket extends Pinned {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      this.on('error', (error) => {
        if (isRefusedCertificate(error)) onMismatch();
      });
    }
  }
  return WatchedPinnedWebSocket;
}

/**
 * OpenSSL's words for "not the pinned certificate": with the pin as the only trusted root, any
 * other certificate fails verification before checkServerIdentity compares fingerprints.
 */
const REFUSED_CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
]);
const codedSchema = v.object({ code: v.string() });

function isRefusedCertificate(error: unknown): boolean {
  if (error instanceof PinError) return error.code === 'fingerprint_mismatch';
  const coded = v.safeParse(codedSchema, error);
  return coded.success && REFUSED_CERTIFICATE_CODES.has(coded.output.code);
}

/** The question for a room never seen: the window shows the fingerprint and asks to confirm. */
export function confirmIdentityError(room: RoomInfo, fingerprint256: string): BridgeError {
  return {
    code: 'confirm_identity',
    message: firstUseNotice(room, fingerprint256),
    fingerprint: readableFingerprint(fingerprint256),
    roomName: room.name,
    roomId: room.id,
  };
}

/** The file's own sentence names it and says how to repair it. */
export function knownRoomsError(error: KnownRoomsError): BridgeError {
  return appError(
    'known_rooms_failed',
    `The list of known rooms could not be read: ${error.message}`,
  );
}

function isLoopbackUrl(url: string): boolean {
  const hostname = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  return hostname === 'localhost' || isLoopbackAddress(hostname);
}

function trustError(error: unknown, target: JoinTarget, address: string): unknown {
  if (error instanceof RoomTrustError) {
    const { room, known, presented } = error.details;
    if (error.code === 'identity_changed' && room && known && presented) {
      return {
        code: 'identity_changed',
        message: identityChangedWarning({ roomId: room.id, roomName: room.name, known, presented }),
        fingerprint: readableFingerprint(presented),
        roomName: room.name,
        roomId: room.id,
      } satisfies BridgeError;
    }
    return appError(
      'unreachable',
      `Something answered at ${address}, but not as a Parley room. Check the address.`,
    );
  }
  if (error instanceof PinError) return pinProblem(error, target, address);
  if (error instanceof KnownRoomsError) return knownRoomsError(error);
  // A socket error of the /api/info request (reset, refused): the host went away meanwhile.
  if (v.is(systemErrorSchema, error)) return unreachable(address);
  return error;
}

const systemErrorSchema = v.object({ code: v.pipe(v.string(), v.regex(/^E[A-Z]+$/)) });

function unreachable(address: string): BridgeError {
  return appError(
    'unreachable',
    `Could not reach a Parley room at ${address}. Check the address and that the room is still open.`,
  );
}

function pinProblem(error: PinError, target: JoinTarget, address: string): BridgeError {
  switch (error.code) {
    case 'fingerprint_mismatch':
      // PinError's sentence names both fingerprints and says nothing was sent: worth showing.
      return appError('fingerprint_mismatch', error.message);
    case 'not_tls':
      return appError(
        'not_tls',
        `The room at ${address} does not speak TLS, so Parley did not connect. If it is a Parley host without encryption and you trust this network, join with ${target.url.replace(/^wss:/i, 'ws:')} instead.`,
      );
    case 'bad_target':
      return appError('bad_address');
    default:
      return unreachable(address);
  }
}
