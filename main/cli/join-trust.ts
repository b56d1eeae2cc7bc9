/**
 * How `parley join` trusts the host before it sends anything: over TLS, with the certificate pinned
 * to the invite's (or --fingerprint's) fingerprint, or trusted on first use and remembered in the
 * known-rooms file, like SSH's known_hosts (by room id and by address). A changed identity is
 * refused, on the first connection as on a reconnect. Only an explicit `ws://` connects without
 * encryption, and then with a password only to this machine. Every reconnect keeps the same pin.
 */
import type { JoinTarget } from '../../protocol/client/address';
import type { WebSocketConstructor } from '../../protocol/client/client-types';
import type { WelcomeV2Frame } from '../../protocol/wire/frames-v2';
import { isLoopbackAddress } from '../host/security/transport-policy';
import { identityChangedWarning, KnownRoomsError, openKnownRooms } from '../tls/known-rooms';
import { PinError, probeServerCertificate, type PinnedTlsOptions } from '../tls/pinning';
import {
  establishRoomTrust,
  firstUseNotice,
  RoomTrustError,
  type RoomTrust,
} from '../tls/room-trust';
import { watchedPinnedWebSocket } from '../tls/watched-pinned-websocket';
import { knownRoomsFile } from './config-dir';
import { ExitCode } from './exit-codes';
import { writeLine, type CliIo } from './io';
import { NodeWebSocket } from './node-websocket';
import { CliProblem } from './usage-error';

export interface TrustedConnection {
  WebSocket: WebSocketConstructor;
  /** TLS rooms: the room id the host proved over the pinned connection, and its certificate. */
  room?: { id: string; fingerprint256: string };
  /** TLS rooms: the pinned certificate, for the room's HTTPS requests (files). */
  tls?: PinnedTlsOptions;
  /** Call with the first welcome: a room the host now runs under another id is remembered too. */
  confirmed(welcome: WelcomeV2Frame): Promise<void>;
}

export interface TrustHostOptions {
  /** The join carries a password: never sent unencrypted to another machine. */
  withPassword: boolean;
  /**
   * A reconnect met another certificate than the pinned one (nothing was sent to it), and the
   * host still presents it: `warning` says so, as on a fresh join. Called at most once.
   */
  onIdentityChanged(warning: string): void;
}

/** Each network step of the trust decision (certificate probe, /api/info). */
const TRUST_TIMEOUT_MS = 10_000;

export const forgetHint = (roomId: string) => `run \`parley forget ${roomId}\``;

/** Throws CliProblem with the exit code that fits (5 unreachable, 6 identity, 1 known rooms file). */
export async function trustHost(
  target: JoinTarget,
  io: CliIo,
  options: TrustHostOptions,
): Promise<TrustedConnection> {
  if (!target.secure) {
    if (options.withPassword && !isLoopbackUrl(target.url)) {
      throw new CliProblem(
        `a password is never sent unencrypted to another machine: join with ${target.url.replace(/^ws:/i, 'wss:')} (or leave out ws://)`,
      );
    }
    return { WebSocket: NodeWebSocket, confirmed: async () => {} };
  }
  const notes = (lines: string) => writeLine(io.stderr, lines);
  const notRemembered = (error: unknown) =>
    notes(`parley: could not remember the room's fingerprint: ${describe(error)}`);
  const knownRooms = openKnownRooms(knownRoomsFile(io.env));
  let trust: RoomTrust;
  try {
    trust = await establishRoomTrust(target.url, {
      knownRooms,
      timeoutMs: TRUST_TIMEOUT_MS,
      ...(target.fingerprint !== undefined && { fingerprint: target.fingerprint }),
      onNotRemembered: notRemembered,
    });
  } catch (error) {
    throw trustProblem(error, target.url);
  }
  if (trust.verdict === 'new') {
    notes(firstUseNotice(trust.room, trust.fingerprint256));
    // Remembered now that TLS is verified: a join refused later (a wrong password) counts too.
    notes('Joining now; Parley remembers this fingerprint for the room.');
    await trust.remember().catch(notRemembered);
  }
  if (target.roomId !== undefined && target.roomId !== trust.room.id) {
    notes(
      `Note: this host now runs room "${trust.room.name}" (${trust.room.id}), not the room of the invite (${target.roomId}).`,
    );
  }
  return {
    WebSocket: watchedPinnedWebSocket(trust.tls, watchIdentity(target.url, trust, options)),
    room: { id: trust.room.id, fingerprint256: trust.fingerprint256 },
    tls: trust.tls,
    async confirmed(welcome) {
      if (welcome.room.id === trust.room.id) return;
      await knownRooms
        .remember(welcome.room.id, trust.fingerprint256, {
          address: trust.address,
          name: welcome.room.name,
        })
        .catch(notRemembered);
    },
  };
}

/**
 * What to do when the pin refuses a socket: look at what the host presents now (a handshake
 * that sends nothing) and, if it is another certificate, report the changed identity once.
 */
function watchIdentity(url: string, trust: RoomTrust, options: TrustHostOptions): () => void {
  let checking = false;
  let reported = false;
  return () => {
    if (checking || reported) return;
    checking = true;
    probeServerCertificate(url, { timeoutMs: TRUST_TIMEOUT_MS })
      .then(({ fingerprint256: presented }) => {
        if (presented === trust.fingerprint256 || reported) return;
        reported = true;
        const { room } = trust;
        options.onIdentityChanged(
          identityChangedWarning({
            roomId: room.id,
            roomName: room.name,
            known: trust.fingerprint256,
            presented,
            howToForget: forgetHint(room.id),
          }),
        );
      })
      // Gone again, or not TLS: the session's own reconnecting says what there is to say.
      .catch(() => undefined)
      .finally(() => (checking = false));
  };
}

function isLoopbackUrl(url: string): boolean {
  const hostname = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  return hostname === 'localhost' || isLoopbackAddress(hostname);
}

function trustProblem(error: unknown, url: string): CliProblem {
  if (error instanceof RoomTrustError) {
    if (error.code === 'identity_changed') {
      const { room, known, presented, address, presentedRoom } = error.details;
      const warning =
        room && known && presented
          ? identityChangedWarning({
              roomId: room.id,
              roomName: room.name,
              known,
              presented,
              howToForget: forgetHint(room.id),
              ...(address !== undefined &&
                presentedRoom !== undefined && { address, presentedRoom }),
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
