/**
 * Pinned TLS for Node clients (the desktop app's main process and the terminal client).
 *
 * A Parley host has a self-signed certificate, so no certificate authority vouches for it: its
 * SHA-256 fingerprint is its identity. The client first probes the certificate (a handshake that
 * sends no application data), refuses a fingerprint other than the pin, then connects for real
 * with that one certificate as the only trusted root and a checkServerIdentity that compares the
 * fingerprint instead of the host name. Certificate checking stays on (`rejectUnauthorized` is
 * never false on a connection that carries data), so a certificate swapped between the probe and
 * the real connection fails the handshake before the HTTP upgrade, and the password, are sent.
 */
import { X509Certificate } from 'node:crypto';
import { connect, type PeerCertificate } from 'node:tls';
import type { ClientOptions } from 'ws';
import {
  fingerprintsEqual,
  normalizeFingerprint,
  readableFingerprint,
  shortFingerprint,
} from '../../protocol/client/fingerprint';
import { PinError } from './pin-error';
import { resolveTarget, type TlsTarget } from './tls-target';

export { PinError, type PinErrorCode } from './pin-error';
export type { TlsTarget } from './tls-target';

export interface ServerCertificate {
  /** The host's leaf certificate as PEM. */
  pem: string;
  /** Its canonical SHA-256 fingerprint. */
  fingerprint256: string;
}

/** TLS options for `https.request`, `tls.connect` or (through toWsClientOptions) `ws`. */
export interface PinnedTlsOptions {
  /** The pinned certificate as the only trusted root: the system's CAs are not consulted. */
  ca: string;
  /** Accepts the peer only if its fingerprint is the pin; the host name plays no part. */
  checkServerIdentity: (hostname: string, cert: PeerCertificate) => Error | undefined;
  rejectUnauthorized: true;
}

export interface ProbeOptions {
  /** Give up when the handshake has not finished after this long. Default 10 s. */
  timeoutMs?: number;
}

const DEFAULT_PROBE_TIMEOUT_MS = 10_000;
// OpenSSL's words for "the other side does not speak TLS".
const NOT_TLS_CODES = new Set([
  'EPROTO',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
]);

/** Reads the host's certificate with a TLS handshake that sends no application data. */
export function probeServerCertificate(
  target: TlsTarget,
  options: ProbeOptions = {},
): Promise<ServerCertificate> {
  let resolved: ReturnType<typeof resolveTarget>;
  try {
    resolved = resolveTarget(target);
  } catch (error) {
    return Promise.reject(error);
  }
  const { host, port, servername } = resolved;
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  return new Promise((resolvePromise, reject) => {
    // Verification is off for this handshake only: it learns the certificate, then hangs up.
    const socket = connect({ host, port, servername, rejectUnauthorized: false });
    let settled = false;
    const timer = setTimeout(() => {
      settle(new PinError('timeout', `No TLS answer from ${host}:${port} within ${timeoutMs} ms.`));
    }, timeoutMs);
    const settle = (outcome: ServerCertificate | PinError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (outcome instanceof PinError) reject(outcome);
      else resolvePromise(outcome);
    };
    socket.once('secureConnect', () => {
      const peer = socket.getPeerCertificate();
      if (!peer.raw) {
        settle(new PinError('not_tls', `${host}:${port} presented no certificate.`));
        return;
      }
      settle({
        pem: new X509Certificate(peer.raw).toString(),
        fingerprint256: peer.fingerprint256,
      });
    });
    // Stays attached after settling: a late error on a destroyed socket must not go unhandled.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const code =
        error.code !== undefined && NOT_TLS_CODES.has(error.code) ? 'not_tls' : 'unreachable';
      const what = code === 'not_tls' ? 'does not speak TLS' : 'cannot be reached';
      settle(new PinError(code, `${host}:${port} ${what} (${error.message}).`, { cause: error }));
    });
    socket.once('close', () => {
      settle(
        new PinError('unreachable', `${host}:${port} hung up before the TLS handshake ended.`),
      );
    });
  });
}

/** Options that accept exactly the certificate with `fingerprint`, whose PEM is `certificatePem`. */
export function pinnedOptionsFor(certificatePem: string, fingerprint: string): PinnedTlsOptions {
  const pin = normalizeFingerprint(fingerprint);
  if (pin === undefined) throw new TypeError(`Not a SHA-256 fingerprint: ${fingerprint}`);
  return {
    ca: certificatePem,
    checkServerIdentity: (_hostname, cert) =>
      fingerprintsEqual(cert.fingerprint256 ?? '', pin)
        ? undefined
        : fingerprintMismatchError(pin, cert.fingerprint256 ?? '(none)'),
    rejectUnauthorized: true,
  };
}

/**
 * Probes `target` and returns pinned options for the real connection, or rejects with a
 * PinError: `fingerprint_mismatch` (nothing else was sent), `unreachable`, `not_tls`, `timeout`.
 */
export async function pinnedTlsOptions(
  target: TlsTarget,
  expectedFingerprint: string,
  options: ProbeOptions = {},
): Promise<PinnedTlsOptions> {
  const pin = normalizeFingerprint(expectedFingerprint);
  if (pin === undefined) throw new TypeError(`Not a SHA-256 fingerprint: ${expectedFingerprint}`);
  const certificate = await probeServerCertificate(target, options);
  if (!fingerprintsEqual(certificate.fingerprint256, pin)) {
    throw fingerprintMismatchError(pin, certificate.fingerprint256);
  }
  return pinnedOptionsFor(certificate.pem, pin);
}

/**
 * The same options typed for `new WebSocket(url, protocols, options)`. @types/ws declares
 * checkServerIdentity as returning boolean, but ws hands it to tls.connect, where a returned
 * Error rejects the peer and undefined accepts it (a `true` would reject every host).
 */
export function toWsClientOptions(pinned: PinnedTlsOptions): ClientOptions {
  return pinned as unknown as ClientOptions;
}

/**
 * The refusal for a host whose certificate is not the pin (all of a fingerprint, or its first
 * bytes); both in their short form.
 */
export function fingerprintMismatchError(expected: string, actual: string): PinError {
  const shown = normalizeFingerprint(actual);
  const presented = shown === undefined ? actual : readableFingerprint(shown).short;
  return new PinError(
    'fingerprint_mismatch',
    `The host presented certificate ${presented}, not the expected ${shortFingerprint(expected)}. ` +
      'Nothing was sent to it. Check the address and ask the host to read out their fingerprint.',
    { expected, actual },
  );
}
