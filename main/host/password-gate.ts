/**
 * The room password, checked for a `hello` (parley.v1) or a `?password=` (plain mode). Open rooms
 * answer at once. In a password room every attempt goes through the per-address auth throttle:
 * it may be refused outright (lockout) or checked only after a growing delay, so the answer can
 * come later; the caller holds the connection's later frames until then.
 *
 * A password never crosses the network in cleartext: one sent over an unencrypted connection
 * from another machine is refused without being checked, even when the host accepts cleartext.
 */
import type { WebSocket } from 'ws';
import { lockoutMessage, type AuthThrottle } from './security/auth-throttle';
import {
  PASSWORD_NEEDS_TLS,
  type Transport,
  type TransportPolicy,
} from './security/transport-policy';
import { passwordMatches } from './tokens';

export type PasswordVerdict =
  | { kind: 'accepted' }
  /** Close with auth_failed; `message` replaces the standard sentence when given. */
  | { kind: 'refused'; message?: string }
  /** The client left while its attempt was waiting. */
  | { kind: 'gone' };

export interface PasswordGateOptions {
  /** Undefined for an open room. */
  password: string | undefined;
  throttle: AuthThrottle;
  transport: TransportPolicy;
}

const ACCEPTED: PasswordVerdict = Object.freeze({ kind: 'accepted' });

export class PasswordGate {
  constructor(private readonly options: PasswordGateOptions) {}

  /**
   * The verdict on `given` for a client on `transport`; a Promise when the throttle delays the
   * check. `socket` is watched so that an attempt abandoned by its client does not count.
   */
  check(
    given: string | undefined,
    transport: Transport,
    socket: WebSocket,
  ): PasswordVerdict | Promise<PasswordVerdict> {
    const { password, throttle } = this.options;
    const sent = given !== undefined && given !== '';
    const safe = this.options.transport.carriesPasswords(transport);
    // A password room cannot be joined in cleartext across the network: say so, rather than
    // count an attempt the client cannot win. A password sent to an open room already leaked;
    // refusing it still tells the person their setup exposes it.
    if (!safe && (sent || password !== undefined)) {
      return { kind: 'refused', message: PASSWORD_NEEDS_TLS };
    }
    if (password === undefined) return ACCEPTED;

    const decision = throttle.begin(transport.remoteAddress);
    if (!decision.allowed) {
      return {
        kind: 'refused',
        message: lockoutMessage(decision.retryAfterMs, decision.room === true),
      };
    }
    const settle = (): PasswordVerdict => {
      if (passwordMatches(given, password)) {
        decision.attempt.succeed();
        return ACCEPTED;
      }
      decision.attempt.fail();
      return { kind: 'refused' };
    };
    if (decision.delayMs <= 0) return settle();
    return waitUnlessClosed(socket, decision.delayMs).then((closed) => {
      if (!closed) return settle();
      decision.attempt.abandon();
      return { kind: 'gone' };
    });
  }
}

/** Resolves after `ms` with false, or with true as soon as the socket closes. */
function waitUnlessClosed(socket: WebSocket, ms: number): Promise<boolean> {
  const CLOSED = 3;
  if (socket.readyState === CLOSED) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      socket.off('close', onClose);
      resolve(false);
    }, ms);
    socket.once('close', onClose);
  });
}
