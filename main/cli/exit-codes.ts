/** Exit codes of `parley`, listed in `parley --help` so scripts can rely on them. */
import type { SessionErrorCode } from '../../protocol/client/session-error';

export const ExitCode = {
  ok: 0,
  /** Anything not listed below. */
  failure: 1,
  /** Bad arguments, a port in use, a history store that cannot be opened, a refused name. */
  usage: 2,
  authFailed: 3,
  nameTaken: 4,
  unreachable: 5,
  /** The host's certificate is not the one remembered for the room or given to pin. */
  identityChanged: 6,
} as const;

export function exitCodeForSession(code: SessionErrorCode): number {
  switch (code) {
    case 'auth_failed':
      return ExitCode.authFailed;
    case 'name_taken':
      return ExitCode.nameTaken;
    case 'unreachable':
      return ExitCode.unreachable;
    case 'bad_name':
      return ExitCode.usage;
    case 'closed':
      return ExitCode.ok;
    default:
      return ExitCode.failure;
  }
}

export const EXIT_CODE_HELP = `Exit codes:
  0  done (or stopped with Ctrl+C)
  1  any other failure (e.g. messages the room refused)
  2  bad arguments, port in use, history store not usable, name not allowed
  3  wrong password for the room
  4  someone in the room already uses that name
  5  no Parley host at that address
  6  the room's identity (certificate fingerprint) is not the one expected`;
