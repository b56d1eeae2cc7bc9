/**
 * pinnedWebSocket (every socket, reconnects too, trusts only the pinned certificate) that also
 * reports a refused certificate. The client session sees a socket the pin refused only as a lost
 * connection and would retry for ever; a client that is told can check what the host presents now
 * and show the identity warning instead.
 */
import * as v from 'valibot';
import type WebSocket from 'ws';
import type { WebSocketConstructor } from '../../protocol/client/client-types';
import { PinError } from './pin-error';
import { pinnedWebSocket } from './pinned-websocket';
import type { PinnedTlsOptions } from './pinning';

/** `onRefused` runs for every socket whose handshake met another certificate than the pin. */
export function watchedPinnedWebSocket(
  tls: PinnedTlsOptions,
  onRefused: () => void,
): WebSocketConstructor {
  // pinnedWebSocket makes ws sockets; typed as ws here to listen to their 'error' event.
  const Pinned = pinnedWebSocket(tls) as unknown as typeof WebSocket;
  class WatchedPinnedWebSocket extends Pinned {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      this.on('error', (error) => {
        if (isRefusedCertificate(error)) onRefused();
      });
    }
  }
  return WatchedPinnedWebSocket;
}

/**
 * OpenSSL's words for "not the pinned certificate": with the pin as the only trusted root, any
 * other certificate fails verification before checkServerIdentity compares fingerprints.
 */
const REFUSED_CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
]);
const codedSchema = v.object({ code: v.string() });

export function isRefusedCertificate(error: unknown): boolean {
  if (error instanceof PinError) return error.code === 'fingerprint_mismatch';
  const coded = v.safeParse(codedSchema, error);
  return coded.success && REFUSED_CERTIFICATE_CODES.has(coded.output.code);
}
