/**
 * Errors crossing the bridge carry a stable code and a sentence fit to show a person
 * (protocol/bridge.ts, BridgeError). These helpers make and read them.
 */
import { ERROR_SENTENCES, isErrorCode } from '../../protocol/wire/codes';
import type { BridgeError } from '../../protocol/bridge';

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
// Electron prefixes errors thrown by IPC handlers; a person should never see that plumbing.
const IPC_PREFIX = /^Error invoking remote method '[^']*':\s*(?:\w*Error:\s*)?/;

/** The code of any rejection value, or undefined. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const { code } = error as { code: unknown };
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** A plain sentence for any rejection value: never a stack trace, never empty. */
export function describeError(error: unknown): string {
  const code = errorCode(error);
  const raw =
    typeof error === 'object' && error !== null && 'message' in error
      ? (error as { message: unknown }).message
      : typeof error === 'string'
        ? error
        : undefined;
  const message = typeof raw === 'string' ? raw.replace(IPC_PREFIX, '').trim() : '';
  if (looksLikeSentence(message)) return message;
  if (isErrorCode(code)) return ERROR_SENTENCES[code];
  return FALLBACK_SENTENCE;
}

/** Converts any rejection into a BridgeFailure with a code and a sentence. */
export function toBridgeFailure(error: unknown, fallbackCode: string): BridgeFailure {
  if (error instanceof BridgeFailure) return error;
  return new BridgeFailure(errorCode(error) ?? fallbackCode, describeError(error));
}

function looksLikeSentence(text: string): boolean {
  // One line, starting with a capital and ending with punctuation: what the protocol's sentences
  // look like, and what stack traces and internal messages do not.
  return (
    text.length > 0 && text.length <= 300 && !text.includes('\n') && /^\p{Lu}.*[.!?]$/u.test(text)
  );
}
