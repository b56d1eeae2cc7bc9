/** Why a pinned connection to a host was not made. */
export type PinErrorCode =
  /** The host presented a certificate with another fingerprint: maybe not the host you meant. */
  | 'fingerprint_mismatch'
  /** Nothing answered at that address and port (refused, reset, no route). */
  | 'unreachable'
  /** Something answered, but not with TLS (an old plain-HTTP host, or another service). */
  | 'not_tls'
  /** The TLS handshake did not finish in time. */
  | 'timeout'
  /** The address is not a wss:/https: URL or host and port. */
  | 'bad_target';

export class PinError extends Error {
  override readonly name = 'PinError';

  constructor(
    readonly code: PinErrorCode,
    message: string,
    /** For fingerprint_mismatch: what was expected and what the host presented (canonical form). */
    readonly details: { expected?: string; actual?: string; cause?: unknown } = {},
  ) {
    super(message);
  }
}
