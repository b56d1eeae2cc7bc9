/**
 * WebSocket upgrades on the host's HTTP server: only `/ws`, only while accepting, and the mode
 * chosen by subprotocol (parley.v1 when offered, otherwise plain).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import { SUBPROTOCOL } from '../../protocol/limits';
import { pathnameOf } from './http-routes';

export const SOCKET_PATH = '/ws';

/** ws's `handleProtocols`: parley.v1 when the client offers it, else no subprotocol (plain). */
export function chooseSubprotocol(offered: Set<string>): string | false {
  return offered.has(SUBPROTOCOL) ? SUBPROTOCOL : false;
}

export interface UpgradeOptions {
  server: WebSocketServer;
  /** False while shutting down or after a store failure. */
  accepting(): boolean;
  onSocket(socket: WebSocket, request: IncomingMessage): void;
}

export function createUpgradeListener(
  options: UpgradeOptions,
): (request: IncomingMessage, socket: Duplex, head: Buffer) => void {
  return (request, socket, head) => {
    // A reset during the handshake must not become an unhandled 'error'.
    socket.on('error', () => socket.destroy());
    if (pathnameOf(request.url) !== SOCKET_PATH) {
      refuse(socket, 404, 'Not Found');
      return;
    }
    if (!options.accepting()) {
      refuse(socket, 503, 'Service Unavailable');
      return;
    }
    options.server.handleUpgrade(request, socket, head, (ws) => options.onSocket(ws, request));
  };
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** The query string of an upgrade request (plain mode reads `name` and `password` from it). */
export function queryOf(target: string | undefined): URLSearchParams {
  try {
    return new URL(target ?? '/', 'http://host.invalid').searchParams;
  } catch {
    return new URLSearchParams();
  }
}
