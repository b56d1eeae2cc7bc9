/**
 * One host or join attempt of the room controller, from the moment it claims the controller to
 * the open room: where it connects (Target), what it holds so far (Attempt), and how leaving
 * while it is under way stops it at once.
 */
import type { SessionSnapshot, WebSocketConstructor } from '../../../protocol/client/client-types';
import type { ParleyHost } from '../../host/types';
import type { PinnedTlsOptions } from '../../tls/pinning';
import type { ActiveRoom } from './active-room';
import { appError } from './app-errors';

/** Where a host or join attempt connects, once its address is parsed or its host started. */
export interface Target {
  url: string;
  address: string;
  name: string;
  password: string | undefined;
  host: ParleyHost | undefined;
  /** Where a joined room's session snapshot is kept, and the one saved there last time. */
  snapshot?: { key: string; resume: SessionSnapshot | undefined };
  /** For a TLS room: sockets that trust only its pinned certificate. */
  WebSocket?: WebSocketConstructor;
  /** For a TLS room: its pinned certificate, for file transfers over HTTPS. */
  tls?: PinnedTlsOptions;
  /** The room id in the invite used to join. */
  invitedTo?: string;
  /** The certificate fingerprint of a TLS room, for the summary. */
  fingerprint256?: string;
  /** What the session sends as `hello.identity` (derived from the device secret for this room). */
  identity?: string;
  /** Called with the room id once welcomed (a joined TLS room remembers its certificate). */
  welcomed?: (roomId: string) => Promise<void>;
}

export interface Attempt {
  cancelled: boolean;
  /** Resolves when the user leaves before the room opened. */
  abandoned: Promise<void>;
  abandon(): void;
  host?: ParleyHost;
  room?: ActiveRoom;
  /** Settles once the attempt has succeeded or cleaned up after itself. */
  done: Promise<void>;
}

export type Phase =
  | { kind: 'idle' }
  | { kind: 'connecting'; attempt: Attempt }
  | { kind: 'in-room'; room: ActiveRoom }
  | { kind: 'leaving'; done: Promise<void> };

/** A new attempt; `finish` settles `done` once it has succeeded or cleaned up. */
export function newAttempt(): Attempt & { finish(): void } {
  let finish = () => {};
  let abandon = () => {};
  const abandoned = new Promise<void>((resolve) => (abandon = resolve));
  const attempt = {
    cancelled: false,
    abandoned,
    abandon() {
      attempt.cancelled = true;
      abandon();
    },
    done: new Promise<void>((resolve) => (finish = resolve)),
    finish: () => finish(),
  };
  return attempt;
}

/**
 * Waits for a step that cannot be stopped (a certificate probe that may hang until its timeout),
 * but no longer than the user does: leaving rejects with 'cancelled' at once. The step ends by
 * itself; its late outcome is dropped.
 */
export function untilAbandoned<T>(attempt: Attempt, step: Promise<T>): Promise<T> {
  step.catch(() => undefined);
  return Promise.race([step, attempt.abandoned.then(() => Promise.reject(appError('cancelled')))]);
}
