/**
 * WebSocket upgrades on the host's HTTP servers: only `/ws`, only while accepting, only what the
 * request guard lets through (cleartext and origin rules), and the mode chosen by subprotocol
 * (parley.v2 when offered, else parley.v1 when offered, otherwise plain).
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import { SUBPROTOCOL, SUBPROTOCOL_V2 } from '../../protocol/wire/limits';
import { pathnameOf } from './http-routes';
import type { Refusal } from './security/request-guard';

export const SOCKET_PATH = '/ws';

/**
 * ws's `handleProtocols`: the newest protocol the client offers (parley.v2, then parley.v1), else
 * no subprotocol (plain).
 */
export function chooseSubprotocol(offered: Set<string>): string | false {
  if (offered.has(SUBPROTOCOL_V2)) return SUBPROTOCOL_V2;
  return offered.has(SUBPROTOCOL) ? SUBPROTOCOL : false;
}

export interface UpgradeOptions {
  server: WebSocketServer;
  /** False while shutting down or after a store failure. */
  accepting(): boolean;
  /** A refusal answers the handshake before any WebSocket exists. */
  check(request: IncomingMessage): Refusal | undefined;
  onSocket(socket: WebSocket, request: IncomingMessage): void;
}

export function createUpgradeListener(
  options: UpgradeOptions,
): (request: IncomingMessage, socket: Duplex, head: Buffer) => void {
  return (request, socket, head) => {
    // A reset during the handshake must not become an unhandled 'error'. A shared function, not
    // a closure: a closure here would keep the request and `head` alive as long as the socket.
    socket.on('error', destroyOnError);
    // First: a refused peer learns nothing else about the host.
    const refusal = options.check(request);
    if (refusal) {
      refuse(socket, refusal.status, refusal.message);
      return;
    }
    if (pathnameOf(request.url) !== SOCKET_PATH) {
      refuse(socket, 404);
      return;
    }
    if (!options.accepting()) {
      refuse(socket, 503);
      return;
    }
    // ws guards the socket's errors itself from here on, first its own way, then the WebSocket's.
    socket.off('error', destroyOnError);
    options.server.handleUpgrade(request, socket, head, (ws) => options.onSocket(ws, request));
  };
}

function destroyOnError(this: Duplex): void {
  this.destroy();
}

function refuse(socket: Duplex, status: number, body = ''): void {
  const content = body === '' ? '' : `${body}\n`;
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\n` +
      'Content-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(content)}\r\n\r\n${content}`,
  );
}

/** The query string of an upgrade request (plain mode reads `name` and `password` from it). */
export function queryOf(target: string | undefined): URLSearchParams {
  try {
    return new URL(target ?? '/', 'http://host.invalid').searchParams;
  } catch {
    return new URLSearchParams();
  }
}
