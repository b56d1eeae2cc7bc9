/**
 * Errors crossing the bridge carry a stable code and a sentence fit to show a person
 * (protocol/bridge.ts, BridgeError). These helpers make and read them.
 */
import * as v from 'valibot';
import { ERROR_SENTENCES, isErrorCode } from '../../protocol/wire/codes';
import type { BridgeError } from '../../protocol/bridge';
import { SessionError } from '../../protocol/client/session-error';

/** Codes the bridges use on top of the protocol's own (protocol/wire/codes.ts). */
export const BRIDGE_ERROR_CODES = {
  /** A request argument failed its schema. */
  badRequest: 'bad_request',
  /** A request that needs a room, made while not in one. */
  notConnected: 'not_connected',
  /** The browser guest page cannot host. */
  notSupported: 'not_supported',
  unreachable: 'unreachable',
  /** A password the guest page will not send in cleartext across the network. */
  insecurePassword: 'insecure_password',
} as const;

export class BridgeFailure extends Error implements BridgeError {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'BridgeFailure';
    this.code = code;
  }
}

const FALLBACK_SENTENCE = 'Something went wrong. Please try again.';

// Errors that cross a bridge, room event errors and end reasons: a code and a sentence.
const codedSentenceSchema = v.object({ code: v.string(), message: v.string() });

/** The code of any rejection value, or undefined. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const { code } = error as { code: unknown };
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/**
 * A plain sentence for any rejection value: never a stack trace, never empty. Only messages
 * written for people are shown as they are: a bridge's own errors, the client session's, and the
 * plain `{code, message}` objects that cross the desktop's IPC or arrive as RoomEvents (whose host
 * errors the room adapter has already put in the shared sentences). Any other Error is plumbing:
 * it gets its code's sentence, or a plain fallback.
 */
export function describeError(error: unknown): string {
  const message = spokenMessage(error)?.trim();
  if (message) return message;
  const code = errorCode(error);
  return isErrorCode(code) ? ERROR_SENTENCES[code] : FALLBACK_SENTENCE;
}

/** Converts any rejection into a BridgeFailure with a code and a sentence. */
export function toBridgeFailure(error: unknown, fallbackCode: string): BridgeFailure {
  if (error instanceof BridgeFailure) return error;
  return new BridgeFailure(errorCode(error) ?? fallbackCode, describeError(error));
}

function spokenMessage(error: unknown): string | undefined {
  if (error instanceof BridgeFailure || error instanceof SessionError) return error.message;
  if (error instanceof Error) return undefined;
  return v.is(codedSentenceSchema, error) ? error.message : undefined;
}
