/**
 * The errors of the files endpoints: JSON `{code, message}` with a stable code, each with its
 * status (docs/protocol.md, Files). tus's own refusals (wrong offset, unknown upload) are given
 * codes too, so a client reads every error the same way.
 */
import type { ServerResponse } from 'node:http';

export const FILE_ERRORS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  no_such_conversation: 404,
  no_such_file: 404,
  not_allowed: 405,
  wrong_offset: 409,
  gone: 410,
  too_large: 413,
  range_not_satisfiable: 416,
  too_many_uploads: 429,
  internal: 500,
  unavailable: 503,
  room_full: 507,
} as const;

export type FileErrorCode = keyof typeof FILE_ERRORS;

const MESSAGES: Record<FileErrorCode, string> = {
  bad_request: 'The request is not a valid upload or download.',
  unauthorized: 'Send the session token of this room as Authorization: Bearer TOKEN.',
  forbidden: 'That is not allowed here.',
  no_such_conversation: 'There is no such conversation, or you may not post in it.',
  no_such_file: 'There is no such file.',
  not_allowed: 'That method is not allowed here.',
  wrong_offset:
    'Upload-Offset is not where the upload stands: ask with HEAD and resume from there.',
  gone: 'That upload is gone: start it again.',
  too_large: 'The file is larger than this room accepts.',
  range_not_satisfiable: 'That range is outside the file.',
  too_many_uploads: 'Too many uploads at once: wait for one to finish.',
  internal: 'The host failed to answer this request.',
  unavailable: 'The host cannot take files right now: retry later.',
  room_full: "The room's storage for files is full.",
};

/** A refusal of a files request; thrown through tus's hooks too (`status_code`, `body`). */
export class FileError extends Error {
  readonly status: number;
  /** Extra response headers (Allow, Retry-After, WWW-Authenticate). */
  readonly headers: Record<string, string>;

  constructor(
    readonly code: FileErrorCode,
    message = MESSAGES[code],
    options: { headers?: Record<string, string>; status?: number } = {},
  ) {
    super(message);
    this.status = options.status ?? FILE_ERRORS[code];
    this.headers = options.headers ?? {};
  }

  /** What tus sends for an error a hook throws. */
  get status_code(): number {
    return this.status;
  }

  get body(): string {
    return errorBody(this.code, this.message);
  }
}

export function errorBody(code: FileErrorCode, message = MESSAGES[code]): string {
  return JSON.stringify({ code, message });
}

/** The code of an error status that tus answered by itself. */
export function codeForStatus(status: number): FileErrorCode {
  switch (status) {
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'no_such_file';
    case 405:
      return 'not_allowed';
    case 409:
      return 'wrong_offset';
    case 410:
      return 'gone';
    case 413:
      return 'too_large';
    case 429:
      return 'too_many_uploads';
    case 503:
      return 'unavailable';
    case 507:
      return 'room_full';
    default:
      return status >= 500 ? 'internal' : 'bad_request';
  }
}

/**
 * Answers with the error. A request whose body was not read closes its connection afterwards, so
 * Node does not read (and throw away) up to a whole file to keep the connection alive.
 */
export function sendFileError(
  response: ServerResponse,
  error: FileError,
  bodyUnread: boolean,
  head = false,
): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const body = Buffer.from(error.body, 'utf8');
  response.writeHead(error.status, {
    ...error.headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
    ...(bodyUnread && { Connection: 'close' }),
  });
  response.end(head ? undefined : body);
}
