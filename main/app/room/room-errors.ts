/**
 * Turns what the host, the store and the client session throw into BridgeErrors: a stable code
 * and a sentence for the person at the keyboard, never a stack trace or a Node error message.
 */
import * as v from 'valibot';
import { ERROR_SENTENCES, isErrorCode } from '../../../protocol/wire/codes';
import type { BridgeError } from '../../../protocol/bridge';
import { CertificateError } from '../../tls/certificate-error';
import { appError } from './app-errors';

const codedSchema = v.object({ code: v.string(), message: v.optional(v.string(), '') });

function codeOf(error: unknown): { code: string; message: string } | undefined {
  const parsed = v.safeParse(codedSchema, error);
  return parsed.success ? parsed.output : undefined;
}

/** startHost failed: the usual cause is a port someone else holds. */
export function hostStartError(error: unknown, port: number): BridgeError {
  switch (codeOf(error)?.code) {
    case 'EADDRINUSE':
      return appError('port_in_use', `Port ${port} is already in use. Pick another port.`);
    case 'EACCES':
      return appError(
        'port_denied',
        `Port ${port} needs administrator rights. Pick a port above 1024.`,
      );
    case 'EADDRNOTAVAIL':
      return appError('host_failed', 'This computer has no network address to host on.');
    default:
      return appError('host_failed');
  }
}

/** This computer's certificate could not be loaded or made; its message names the file. */
export function certificateError(error: unknown): BridgeError {
  if (error instanceof CertificateError) {
    // CertificateError's own message quotes OpenSSL; the file and the way out are what help here.
    return appError(
      'certificate_failed',
      `The room could not be started: ${error.file} cannot be used. Restore it from a backup, or delete cert.pem and key.pem next to it to make a new identity.`,
    );
  }
  return appError('certificate_failed');
}

/** The history store could not be opened (corrupt, locked by another host, unreadable). */
export function storeOpenError(error: unknown): BridgeError {
  const coded = codeOf(error);
  // The SQLite store's messages name the file and the problem; those are worth showing.
  const detail = coded?.message ? ` ${coded.message}` : '';
  const sentence = `The room history could not be opened.${detail}`;
  return appError('store_failed', sentence.endsWith('.') ? sentence : `${sentence}.`);
}

/** ClientSession.connect() rejected: wrong password, name taken, bad name, no host there... */
export function connectError(error: unknown, address: string): BridgeError {
  const coded = codeOf(error);
  if (coded && isErrorCode(coded.code))
    return { code: coded.code, message: ERROR_SENTENCES[coded.code] };
  if (coded?.code === 'unreachable') {
    return appError(
      'unreachable',
      `Could not reach a Parley room at ${address}. Check the address and that the room is still open.`,
    );
  }
  if (coded?.code === 'closed') {
    return { code: 'closed', message: 'The room closed the connection before you could join.' };
  }
  return appError('internal');
}

/** A join address that protocol/client/address.ts refused; its messages are written for people. */
export function addressError(error: unknown): BridgeError {
  const coded = v.safeParse(v.object({ message: v.pipe(v.string(), v.minLength(1)) }), error);
  return appError('bad_address', coded.success ? coded.output.message : undefined);
}
