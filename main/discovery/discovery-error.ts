/** Errors and warnings of room discovery, with stable codes. */

export type DiscoveryErrorCode =
  /** An option or argument failed validation. */
  | 'bad_options'
  /** The mDNS socket could not be opened (port taken without address reuse, no permission). */
  | 'mdns_unavailable'
  /** An announcement, answer or goodbye could not be sent (network down, interface gone). */
  | 'mdns_send_failed'
  /** The socket reported a problem it recovered from (a bad packet, a failed membership). */
  | 'mdns_warning'
  /** The host listens on loopback only: no other computer could join, so nothing is advertised. */
  | 'loopback_only'
  /** Every name tried for the room was already taken on the network (RFC 6762 §9). */
  | 'name_conflict';

export class DiscoveryError extends Error {
  readonly code: DiscoveryErrorCode;
  constructor(code: DiscoveryErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DiscoveryError';
    this.code = code;
  }
}

/** Something went wrong that discovery survived; worth a log line, not a dialog. */
export interface DiscoveryWarning {
  code: DiscoveryErrorCode;
  message: string;
  cause?: unknown;
}

export function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
