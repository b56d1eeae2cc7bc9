/**
 * The least each target needs to hear to take part in the benchmark: how to join, how to say one
 * message, and which control frames need an answer. Everything else a target sends (presence,
 * acks) is ignored without parsing, so the generator spends its core on deliveries.
 */
import type WebSocket from 'ws';
import { parseHostFrame } from '../../protocol/frames';
import { SUBPROTOCOL } from '../../protocol/limits';
import type { DialectName } from '../ipc';
import { SOCKET_IO_EVENT } from '../targets/socket-io-event';

export type HandshakeStep = { kind: 'wait' } | { kind: 'ready' } | { kind: 'error'; code: string };

export interface Dialect {
  /** Request path (and query) on the target's port for client `index`. */
  path(index: number): string;
  protocols: string[];
  /** Called once the socket is open; a target that needs no handshake is ready right away. */
  greet(socket: WebSocket, index: number): HandshakeStep;
  /** Each frame before the client is ready. */
  handshake(socket: WebSocket, frame: Buffer): HandshakeStep;
  say(socket: WebSocket, sayId: string, text: string): void;
  /** Each frame without a benchmark payload after the handshake; returns an error code it carries. */
  control(socket: WebSocket, frame: Buffer): string | undefined;
}

const WAIT: HandshakeStep = { kind: 'wait' };
const READY: HandshakeStep = { kind: 'ready' };

const PARLEY_WELCOME = Buffer.from('"type":"welcome"');
const PARLEY_ERROR = Buffer.from('"type":"error"');

/** Error frames are rare: only they are parsed (and validated) in full. */
function parleyErrorCode(frame: Buffer): string | undefined {
  if (frame.indexOf(PARLEY_ERROR) < 0) return undefined;
  const parsed = parseHostFrame(frame.toString('utf8'));
  return parsed?.type === 'error' ? parsed.code : 'unreadable_error';
}

const parley: Dialect = {
  path: () => '/ws',
  protocols: [SUBPROTOCOL],
  greet(socket, index) {
    socket.send(JSON.stringify({ type: 'hello', name: `b${index}` }));
    return WAIT;
  },
  handshake(_socket, frame) {
    const code = parleyErrorCode(frame);
    if (code !== undefined) return { kind: 'error', code };
    // The generator picks every name, so no peer name can contain this byte sequence.
    return frame.indexOf(PARLEY_WELCOME) >= 0 ? READY : WAIT;
  },
  say(socket, sayId, text) {
    socket.send(JSON.stringify({ type: 'say', id: sayId, text }));
  },
  control: (_socket, frame) => parleyErrorCode(frame),
};

const plainWs: Dialect = {
  path: () => '/',
  protocols: [],
  greet: () => READY,
  handshake: () => READY,
  say(socket, _sayId, text) {
    socket.send(text);
  },
  control: () => undefined,
};

// Engine.IO v4 packet types are one ASCII digit; Socket.IO packets ride inside type 4 (message).
const EIO_OPEN = 0x30;
const EIO_PING = '2';
const EIO_PONG = '3';
const SIO_CONNECT = '40';
const SIO_CONNECT_ERROR = '44';

const socketIo: Dialect = {
  path: () => '/socket.io/?EIO=4&transport=websocket',
  protocols: [],
  greet: () => WAIT,
  handshake(socket, frame) {
    if (frame[0] === EIO_OPEN) {
      socket.send(SIO_CONNECT);
      return WAIT;
    }
    const text = frame.toString('latin1', 0, 2);
    if (text === SIO_CONNECT) return READY;
    if (text === SIO_CONNECT_ERROR) return { kind: 'error', code: 'connect_error' };
    if (text === EIO_PING) socket.send(EIO_PONG);
    return WAIT;
  },
  say(socket, _sayId, text) {
    socket.send(`42${JSON.stringify([SOCKET_IO_EVENT, text])}`);
  },
  control(socket, frame) {
    if (frame.length === 1 && frame[0] === EIO_PING.charCodeAt(0)) socket.send(EIO_PONG);
    else if (frame.toString('latin1', 0, 2) === SIO_CONNECT_ERROR) return 'connect_error';
    return undefined;
  },
};

export const DIALECT_BY_NAME: Record<DialectName, Dialect> = {
  parley,
  ws: plainWs,
  'socket.io': socketIo,
};
