/**
 * How `parley join` trusts the host before it sends anything: over TLS, with the certificate pinned
 * to the invite's (or --fingerprint's) fingerprint, or trusted on first use and remembered in the
 * known-rooms file, like SSH's known_hosts. A changed identity is refused. Only an explicit `ws://`
 * connects without encryption. Every later reconnect keeps the same pin.
 */
import type { JoinTarget } from '../../protocol/client/address';
import type { WebSocketConstructor } from '../../protocol/client/client-types';
import type { WelcomeV2Frame } from '../../protocol/wire/frames-v2';
import { identityChangedWarning, KnownRoomsError, openKnownRooms } from '../tls/known-rooms';
import { PinError } from '../tls/pinning';
import { pinnedWebSocket } from '../tls/pinned-websocket';
import { establishRoomTrust, firstUseNotice, RoomTrustError } from '../tls/room-trust';
import { knownRoomsFile } from './config-dir';
import { ExitCode } from './exit-codes';
import { writeLine, type CliIo } from './io';
import { NodeWebSocket } from './node-websocket';
import { CliProblem } from './usage-error';

export interface TrustedConnection {
  WebSocket: WebSocketConstructor;
  /** TLS rooms: the room id the host proved over the pinned connection, and its certificate. */
  room?: { id: string; fingerprint256: string };
  /** Call with the first welcome: the room, confirmed by itself, is remembered when new. */
  confirmed(welcome: WelcomeV2Frame): Promise<void>;
}

/** Each network step of the trust decision (certificate probe, /api/info). */
const TRUST_TIMEOUT_MS = 10_000;

export const forgetHint = (roomId: string) => `run \`parley forget ${roomId}\``;

/** Throws CliProblem with the exit code that fits (5 unreachable, 6 identity, 1 known rooms file). */
export async function trustHost(target: JoinTarget, io: CliIo): Promise<TrustedConnection> {
  if (!target.secure) return { WebSocket: NodeWebSocket, confirmed: async () => {} };
  const knownRooms = openKnownRooms(knownRoomsFile(io.env));
  let trust;
  try {
    trust = await establishRoomTrust(target.url, {
      knownRooms,
      timeoutMs: TRUST_TIMEOUT_MS,
      ...(target.fingerprint !== undefined && { fingerprint: target.fingerprint }),
    });
  } catch (error) {
    throw trustProblem(error, target.url);
  }
  const notes = (lines: string) => writeLine(io.stderr, lines);
  if (trust.verdict === 'new') {
    notes(firstUseNotice(trust.room, trust.fingerprint256));
    notes('Joining now; Parley will remember this fingerprint for the room.');
  }
  if (target.roomId !== undefined && target.roomId !== trust.room.id) {
    notes(
      `Note: this host now runs room "${trust.room.name}" (${trust.room.id}), not the room of the invite (${target.roomId}).`,
    );
  }
  return {
    WebSocket: pinnedWebSocket(trust.tls),
    room: { id: trust.room.id, fingerprint256: trust.fingerprint256 },
    async confirmed(welcome) {
      if (trust.verdict === 'match') return;
      try {
        await knownRooms.remember(welcome.room.id, trust.fingerprint256);
      } catch (error) {
        notes(`parley: could not remember the room's fingerprint: ${describe(error)}`);
      }
    },
  };
}

function trustProblem(error: unknown, url: string): CliProblem {
  if (error instanceof RoomTrustError) {
    if (error.code === 'identity_changed') {
      const { room, known, presented } = error.details;
      const warning =
        room && known && presented
          ? identityChangedWarning({
              roomId: room.id,
              roomName: room.name,
              known,
              presented,
              howToForget: forgetHint(room.id),
            })
          : error.message;
      return new CliProblem(warning, ExitCode.identityChanged);
    }
    return new CliProblem(error.message, ExitCode.unreachable);
  }
  if (error instanceof PinError) {
    switch (error.code) {
      case 'fingerprint_mismatch':
        return new CliProblem(error.message, ExitCode.identityChanged);
      case 'not_tls':
        return new CliProblem(
          `${error.message} If it is a Parley host without encryption, and you trust this network, join with ${url.replace(/^wss:/, 'ws:')}`,
          ExitCode.unreachable,
        );
      case 'bad_target':
        return new CliProblem(error.message, ExitCode.usage);
      default:
        return new CliProblem(`Could not reach a Parley host at ${url}.`, ExitCode.unreachable);
    }
  }
  if (error instanceof KnownRoomsError) return new CliProblem(error.message, ExitCode.failure);
  return new CliProblem(`could not check the host's identity: ${describe(error)}`);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
