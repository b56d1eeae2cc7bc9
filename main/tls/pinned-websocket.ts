/**
 * A WebSocket constructor for the shared client session (protocol/client/client-session.ts), which
 * creates sockets as `new WebSocket(url, protocols)` and so cannot pass TLS options itself.
 * Every socket it makes, reconnects included, trusts only the pinned certificate.
 */
import WebSocket from 'ws';
import type { WebSocketConstructor } from '../../protocol/client/client-types';
import { toWsClientOptions, type PinnedTlsOptions } from './pinning';

export function pinnedWebSocket(pinned: PinnedTlsOptions): WebSocketConstructor {
  const options = toWsClientOptions(pinned);
  class PinnedWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, options);
    }
  }
  return PinnedWebSocket;
}
