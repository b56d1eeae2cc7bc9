/**
 * Errors that cross the bridge: a stable code and a sentence a person can act on.
 * They are plain objects, not Error instances, because Electron's IPC and contextBridge keep
 * only an Error's message and drop every other property, code included.
 */
import * as v from 'valibot';
import { bridgeErrorSchema, type BridgeError } from '../../../protocol/bridge';
import { SESSION_REQUEST_SENTENCES } from '../../../protocol/client/room-requests';

/** Codes the desktop app adds to the protocol's own error codes. */
export const APP_ERROR_SENTENCES = {
  ...SESSION_REQUEST_SENTENCES,
  bad_argument: 'The app sent a request it should not have.',
  forbidden: 'That request did not come from the Parley window.',
  busy: 'Parley is still connecting. Wait a moment and try again.',
  in_room: 'Leave the current room first.',
  cancelled: 'You left before the room opened.',
  not_in_room: 'You are not in a room. Host or join one first.',
  bad_address: 'That is not a room address. Type something like 192.168.1.20:7420.',
  unreachable: 'Could not reach a Parley room at that address.',
  fingerprint_mismatch:
    'The room at that address is not the one in your invite (its certificate differs). Nothing was sent to it.',
  not_tls: 'The room at that address does not speak TLS, so Parley did not connect.',
  confirm_identity:
    "Parley has not seen this room before. Compare its fingerprint with the host's screen first.",
  identity_changed:
    'The identity of this room has changed, so Parley did not connect. Compare fingerprints with the host.',
  known_rooms_failed: 'The list of known rooms could not be read or saved.',
  certificate_failed: "This computer's room certificate could not be loaded.",
  insecure_password:
    'Parley does not send a password over an unencrypted connection, and the host would refuse it. Leave out ws:// to join encrypted.',
  port_in_use: 'That port is already in use. Pick another port.',
  port_denied: 'That port needs administrator rights. Pick a port above 1024.',
  host_failed: 'The room could not be started.',
  store_failed: 'The room history could not be opened.',
  external_refused: 'Only web links (http and https) can be opened.',
  preferences_failed: 'Your preferences could not be saved.',
  ipc_failed: 'The window lost contact with the app. Restart Parley.',
  internal: 'Something went wrong inside Parley. Try again.',
} as const;

export type AppErrorCode = keyof typeof APP_ERROR_SENTENCES;

const codedSentenceSchema = v.object({ code: v.string(), message: v.string() });

export function appError(
  code: AppErrorCode,
  message: string = APP_ERROR_SENTENCES[code],
): BridgeError {
  return { code, message };
}

/**
 * True for the plain `{code, message}` objects this app throws. Error instances are refused even
 * when they carry a code (a Node system error, say): their message is not written for people.
 */
export function isBridgeError(value: unknown): value is BridgeError {
  return !(value instanceof Error) && v.is(codedSentenceSchema, value);
}

/**
 * Keeps a BridgeError with the fields the bridge knows (an identity error's fingerprint, room id
 * and name), dropping anything else; a value that is no BridgeError becomes `fallback`.
 */
export function toBridgeError(value: unknown, fallback: AppErrorCode = 'internal'): BridgeError {
  if (!isBridgeError(value)) return appError(fallback);
  const full = v.safeParse(bridgeErrorSchema, value);
  return full.success ? full.output : { code: value.code, message: value.message };
}
