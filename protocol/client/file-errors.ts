/**
 * The errors of the host's files endpoints (JSON `{code, message}`, docs/protocol.md "Files"),
 * as every client words them: a stable code and a sentence of the client's own (the host's
 * message is a detail for developers, as with `error` frames).
 */
import * as v from 'valibot';

export const FILE_ERROR_SENTENCES = {
  bad_request: 'The host refused that file transfer as malformed.',
  unauthorized: 'The host no longer knows this session. Rejoin the room and send the file again.',
  forbidden: 'That file transfer is not allowed.',
  no_such_conversation: 'You cannot post files in that conversation.',
  no_such_file: 'That file is not on the host (any more).',
  gone: 'The host dropped the unfinished upload. Send the file again.',
  too_large: 'That file is larger than this room accepts.',
  room_full: 'The room has no space left for files.',
  too_many_uploads: 'Too many uploads at once. Wait for some to finish.',
  range_not_satisfiable: 'The host could not continue that download from where it stopped.',
  unavailable: 'The host cannot take files right now. Try again later.',
  internal: 'The host failed to handle the file.',
  network: 'The connection to the host was lost.',
  no_file_id: 'The host finished the upload but did not say which file it made.',
  not_a_file: 'That is not a file that can be sent.',
  file_changed: 'The file changed on the host while it was being downloaded. Download it again.',
  write_failed: 'The file could not be saved on this computer.',
} as const;
export type FileErrorCode = keyof typeof FILE_ERROR_SENTENCES;

const bodySchema = v.object({ code: v.string() });

/** The code of an error answer: its JSON body's code, else one for its status. */
export function fileErrorCode(status: number, body: string | undefined): string {
  try {
    const parsed = v.safeParse(bodySchema, JSON.parse(body ?? ''));
    if (parsed.success) return parsed.output.code;
  } catch {
    // Not JSON (a proxy, an older host): the status says enough.
  }
  return codeForStatus(status);
}

export function codeForStatus(status: number): FileErrorCode {
  switch (status) {
    case 0:
      return 'network';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'no_such_file';
    case 410:
      return 'gone';
    case 413:
      return 'too_large';
    case 416:
      return 'range_not_satisfiable';
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

/** `{code, message}` with this client's sentence for the code. */
export function fileError(code: string): { code: string; message: string } {
  const message =
    code in FILE_ERROR_SENTENCES
      ? FILE_ERROR_SENTENCES[code as FileErrorCode]
      : 'The host refused the file transfer.';
  return { code, message };
}
