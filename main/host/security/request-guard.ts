/**
 * The checks every HTTP request and WebSocket handshake passes before the host answers it:
 * cleartext from another machine (unless allowed), and, for handshakes, the page origin
 * (cross-site WebSocket hijacking). A refusal is an HTTP status with one line of explanation,
 * sent before any WebSocket exists.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { createOriginPolicy, type OriginPolicy } from './origin-policy';
import { CLEARTEXT_REFUSED, transportOf, type TransportPolicy } from './transport-policy';

export interface Refusal {
  status: number;
  /** One line for the person (or program) that was refused. */
  message: string;
}

export interface RequestGuardOptions {
  transport: TransportPolicy;
  /** Page origins allowed besides the host's own (a development server). */
  allowedOrigins: readonly string[];
  /** DNS names the host's own page may be reached by (against DNS rebinding); IPs always pass. */
  hostnames: readonly string[];
}

export interface RequestGuard {
  request(request: IncomingMessage): Refusal | undefined;
  upgrade(request: IncomingMessage): Refusal | undefined;
  /** True without an Origin (a program) or from a page the socket would accept too (uploads). */
  originAllowed(request: IncomingMessage): boolean;
}

const CROSS_SITE_REFUSED =
  'WebSocket connections are accepted only from pages served by this Parley host.';

export function createRequestGuard(options: RequestGuardOptions): RequestGuard {
  // A page reached over TLS opens wss:, one reached in cleartext ws:, so the origin's scheme must
  // match how this connection arrived; browsers never send a page's origin with another scheme.
  const originFor = (scheme: 'http' | 'https'): OriginPolicy =>
    createOriginPolicy({
      scheme,
      allowedOrigins: options.allowedOrigins,
      allowedHostnames: options.hostnames,
    });
  const origins = { http: originFor('http'), https: originFor('https') };

  const request = (incoming: IncomingMessage): Refusal | undefined =>
    options.transport.accepts(transportOf(incoming.socket as Socket))
      ? undefined
      : { status: 403, message: CLEARTEXT_REFUSED };

  const originAllowed = (incoming: IncomingMessage): boolean => {
    const { encrypted } = transportOf(incoming.socket as Socket);
    return origins[encrypted ? 'https' : 'http'](incoming.headers.origin, incoming.headers.host);
  };

  return {
    request,
    upgrade(incoming) {
      const refused = request(incoming);
      if (refused) return refused;
      return originAllowed(incoming) ? undefined : { status: 403, message: CROSS_SITE_REFUSED };
    },
    originAllowed,
  };
}
