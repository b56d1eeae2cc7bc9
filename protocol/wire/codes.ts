/**
 * Stable error codes and close codes of protocol v1, in one place.
 * docs/protocol.md lists the same table for client authors.
 */

/** Errors sent in an `error` frame that leave the connection open. */
export const SOFT_ERROR_CODES = [
  'bad_json',
  'bad_message',
  'too_long',
  'rate_limited',
  'bad_name',
  // Version 2 (docs/protocol.md, "Errors added").
  'no_such_conversation',
  'not_member',
  'not_allowed',
  'no_such_message',
  'no_identity',
  'no_such_file',
  'channel_exists',
  'unavailable',
] as const;

/** Errors sent in an `error` frame right before the host closes with the paired close code. */
export const FATAL_ERROR_CLOSE = {
  hello_timeout: 4001,
  auth_failed: 4003,
  too_slow: 4008,
  name_taken: 4009,
  replaced: 4010,
} as const;

export type SoftErrorCode = (typeof SOFT_ERROR_CODES)[number];
export type FatalErrorCode = keyof typeof FATAL_ERROR_CLOSE;
export type ErrorCode = SoftErrorCode | FatalErrorCode;

export const ERROR_CODES: readonly ErrorCode[] = [
  ...SOFT_ERROR_CODES,
  ...(Object.keys(FATAL_ERROR_CLOSE) as FatalErrorCode[]),
];

/**
 * Close codes by name: the standard ones the host closes with without an `error` frame, and the
 * fatal errors' own (from FATAL_ERROR_CLOSE, so each number is written once).
 */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  policyViolation: 1008,
  invalidPayload: 1007,
  messageTooBig: 1009,
  /** The host can no longer keep its promises (its history store failed). */
  internalError: 1011,
  tryAgainLater: 1013,
  helloTimeout: FATAL_ERROR_CLOSE.hello_timeout,
  authFailed: FATAL_ERROR_CLOSE.auth_failed,
  tooSlow: FATAL_ERROR_CLOSE.too_slow,
  nameTaken: FATAL_ERROR_CLOSE.name_taken,
  replaced: FATAL_ERROR_CLOSE.replaced,
} as const;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Plain sentences for people, shared by the terminal client, the desktop app and the guest page. */
export const ERROR_SENTENCES: Record<ErrorCode, string> = {
  bad_json: 'The host could not read that message.',
  bad_message: 'The host did not understand that message.',
  too_long: 'That message is too long (or empty).',
  rate_limited: 'You are sending too fast. Wait a moment and try again.',
  bad_name: 'That name is not allowed: use 1 to 32 characters, no control characters.',
  hello_timeout: 'The host closed the connection because the client took too long to join.',
  auth_failed: 'Wrong password for this room.',
  too_slow: 'The connection was too slow to keep up with the room.',
  name_taken: 'Someone in this room already uses that name.',
  replaced: 'This session was opened somewhere else.',
  no_such_conversation: 'That conversation does not exist, or you cannot see it.',
  not_member: 'Join the channel before you post in it.',
  not_allowed: 'Only the author can change or delete that message.',
  no_such_message: 'That message is not in this conversation.',
  no_identity: 'Direct messages need a lasting identity on both sides.',
  no_such_file: 'That file is not in this room (its upload may not have finished).',
  channel_exists: 'A channel with that name already exists.',
  unavailable: 'The room cannot store messages right now. Nothing was saved; try again shortly.',
};
