/** The `ws` client as the client session's WebSocket constructor. */
import WebSocket from 'ws';
import type { WebSocketConstructor } from '../../protocol/client-types';

// `ws` implements the WebSocketLike subset at runtime; its declared event types are only richer.
export const NodeWebSocket = WebSocket as unknown as WebSocketConstructor;
