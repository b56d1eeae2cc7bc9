/** The `ws` client as the client session's WebSocket constructor. */
import WebSocket from 'ws';
import type { WebSocketConstructor } from '../../protocol/client/client-types';

export const NodeWebSocket: WebSocketConstructor = WebSocket;
