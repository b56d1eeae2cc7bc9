/**
 * The one place tests reach under ws's public API, as main/host/wire.ts does for the host: the
 * TCP socket under a WebSocket (to pause a client that stops reading, or count the host's
 * writes), the state of its sender, and ws's framer for masked client frames. Written against
 * the ws version wire.ts names (WS_VERSION); test/main/host/wire.test.ts fails on another.
 */
import type { Socket } from 'node:net';
import * as wsModule from 'ws';
import type { WebSocket } from 'ws';

interface WsInternals {
  _socket: Socket;
  _sender: { _state: number };
  _extensions: Record<string, { params?: Record<string, unknown> } | undefined>;
}

/** ws's Sender state when it is neither compressing nor reading a Blob. */
const SENDER_IDLE = 0;

/** The TCP (or TLS) socket under `ws`. */
export function rawSocketOf(ws: WebSocket): Socket {
  return (ws as unknown as WsInternals)._socket;
}

/** True while ws is compressing a frame of its own (or reading a Blob) for `ws`. */
export function senderBusy(ws: WebSocket): boolean {
  return (ws as unknown as WsInternals)._sender._state !== SENDER_IDLE;
}

/** The permessage-deflate parameters the two sides agreed on; undefined without deflate. */
export function deflateParamsOf(ws: WebSocket): Record<string, unknown> | undefined {
  return (ws as unknown as WsInternals)._extensions['permessage-deflate']?.params;
}

/** ws exports its framer at runtime (index.js, wrapper.mjs); @types/ws does not declare it. */
const { Sender } = wsModule as unknown as {
  Sender: {
    frame(
      data: Buffer,
      options: { fin: boolean; rsv1: boolean; opcode: number; mask: boolean; readOnly: boolean },
    ): Buffer[];
  };
};

/** A final text frame masked as a client sends it (RFC 6455 5.3), in one Buffer. */
export function maskedTextFrame(text: string): Buffer {
  const data = Buffer.from(text);
  return Buffer.concat(
    Sender.frame(data, { fin: true, rsv1: false, opcode: 1, mask: true, readOnly: false }),
  );
}
