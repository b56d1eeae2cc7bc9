/**
 * Why a client session failed or ended, as a stable code and a sentence fit to show a person.
 * Close codes and `error` frames both feed in here, so every client words the same cause the
 * same way.
 */
import { CloseCode, ERROR_SENTENCES, FATAL_ERROR_CLOSE, isErrorCode } from '../wire/codes';
import type { ErrorCode, FatalErrorCode } from '../wire/codes';
import type { EndReason } from './client-types';

export type SessionErrorCode = EndReason['code'];

export class SessionError extends Error {
  readonly code: SessionErrorCode;

  constructor(reason: EndReason) {
    super(reason.message);
    this.name = 'SessionError';
    this.code = reason.code;
  }

  get reason(): EndReason {
    return { code: this.code, message: this.message } as EndReason;
  }
}

/** Close codes after which reconnecting would only repeat the refusal (or fight a takeover). */
const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.helloTimeout,
  CloseCode.authFailed,
  CloseCode.nameTaken,
  CloseCode.replaced,
  CloseCode.policyViolation,
]);

const ERROR_BY_CLOSE_CODE = new Map<number, FatalErrorCode>(
  (Object.entries(FATAL_ERROR_CLOSE) as [FatalErrorCode, number][]).map(([code, close]) => [
    close,
    code,
  ]),
);

export function isFatalClose(closeCode: number): boolean {
  return FATAL_CLOSE_CODES.has(closeCode);
}

export function errorReason(code: ErrorCode): EndReason {
  return { code, message: ERROR_SENTENCES[code] };
}

export function unreachableReason(url: string, detail?: string): EndReason {
  const sentence = `Could not reach a Parley host at ${url}.`;
  return { code: 'unreachable', message: detail ? `${sentence} ${detail}` : sentence };
}

export function closedReason(): EndReason {
  return { code: 'closed', message: 'You left the room.' };
}

/**
 * The reason a connection ended, from its close code and the last `error` frame before it.
 * The frame wins when it names a code: it is the host's own explanation.
 */
export function closeReason(closeCode: number, lastErrorCode: string | undefined): EndReason {
  if (isErrorCode(lastErrorCode) && lastErrorCode in FATAL_ERROR_CLOSE) {
    return errorReason(lastErrorCode);
  }
  const paired = ERROR_BY_CLOSE_CODE.get(closeCode);
  if (paired) return errorReason(paired);
  switch (closeCode) {
    case CloseCode.policyViolation:
      return isErrorCode(lastErrorCode)
        ? errorReason(lastErrorCode)
        : { code: 'bad_message', message: 'The host refused this client.' };
    case CloseCode.goingAway:
      return { code: 'unreachable', message: 'The host stopped the room.' };
    case CloseCode.tryAgainLater:
      return { code: 'unreachable', message: 'The room is full. Try again later.' };
    case CloseCode.messageTooBig:
      return errorReason('too_long');
    default:
      return { code: 'unreachable', message: 'The connection to the host was lost.' };
  }
}

/** The code of a request the host did not answer in time. */
export const REQUEST_TIMEOUT = 'timeout';

/** Said for an error code this client has no sentence for (one a newer host may send). */
export const UNKNOWN_HOST_ERROR = 'The host refused that request.';

/**
 * The sentence for a host `error` code. The frame's own message is a detail for developers
 * (docs/protocol.md: clients show their own sentence for the code), so it is never shown.
 */
export function hostErrorSentence(code: string): string {
  return isErrorCode(code) ? ERROR_SENTENCES[code] : UNKNOWN_HOST_ERROR;
}

/**
 * A request the host refused (`code` is its error code) or did not answer in time (`timeout`);
 * the session goes on. `message` is a sentence fit to show.
 */
export class RequestError extends Error {
  readonly code: string;

  constructor(code: string, sentence?: string) {
    super(sentence ?? hostErrorSentence(code));
    this.name = 'RequestError';
    this.code = code;
  }
}

export function requestTimedOut(
  sentence = 'The host did not answer in time. Try again.',
): RequestError {
  return new RequestError(REQUEST_TIMEOUT, sentence);
}
