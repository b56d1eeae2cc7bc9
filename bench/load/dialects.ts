/**
 * The least each target needs to hear to take part in the benchmark: how to join, how to say one
 * message, and which control frames need an answer. Everything else a target sends (presence,
 * acks) is ignored without parsing, so the generator spends its core on deliveries. Frames come
 * in as bytes [start, end) of a buffer that is only valid during the call.
 */
import { SUBPROTOCOL } from '../../protocol/wire/limits';
import type { DialectName } from '../ipc';
import { SOCKET_IO_EVENT } from '../targets/socket-io-event';
import { textFrame } from './client-frames';
import { contains, parleyErrorCode, PARLEY_WELCOME } from './frame-match';
import { createParleyV2Dialect } from './parley-v2-dialect';
import type { WireClient } from './wire-client';

export type HandshakeStep = { kind: 'wait' } | { kind: 'ready' } | { kind: 'error'; code: string };

/** Any client the dialects can talk through, whatever per-client state its owner keeps. */
export type DialectClient = WireClient<unknown>;

export interface Dialect {
  /** Request path (and query) on the target's port for client `index`. */
  path(index: number): string;
  protocols: readonly string[];
  /** Told how many clients will connect, before the first one does. */
  prepare?(clients: number): void;
  /**
   * The wave client `index` connects in: every client of a wave finishes its handshake before
   * the next wave starts. Without it, everyone is in one wave.
   */
  waveOf?(index: number): number;
  /** Called once the upgrade succeeded; a target that needs no handshake is ready right away. */
  greet(client: DialectClient, index: number): HandshakeStep;
  /** Each message before the client is ready. */
  handshake(
    client: DialectClient,
    index: number,
    data: Buffer,
    start: number,
    end: number,
  ): HandshakeStep;
  /** Sends message number `message` of a phase from client `index`. */
  say(client: DialectClient, index: number, sayId: string, text: string, message: number): void;
  /**
   * How many clients receive message number `message` from client `index`. Without it, every
   * client receives every message.
   */
  receivers?(index: number, message: number): number;
  /** Each message without a benchmark payload after the handshake; returns an error code it carries. */
  control(client: DialectClient, data: Buffer, start: number, end: number): string | undefined;
}

const WAIT: HandshakeStep = { kind: 'wait' };
const READY: HandshakeStep = { kind: 'ready' };

const parley: Dialect = {
  path: () => '/ws',
  protocols: [SUBPROTOCOL],
  greet(client, index) {
    client.sendText(JSON.stringify({ type: 'hello', name: `b${index}` }));
    return WAIT;
  },
  handshake(_client, _index, data, start, end) {
    const code = parleyErrorCode(data, start, end);
    if (code !== undefined) return { kind: 'error', code };
    // The generator picks every name, so no peer name can contain this byte sequence.
    return contains(data, PARLEY_WELCOME, start, end) ? READY : WAIT;
  },
  say(client, _index, sayId, text) {
    client.sendText(JSON.stringify({ type: 'say', id: sayId, text }));
  },
  control: (_client, data, start, end) => parleyErrorCode(data, start, end),
};

const plainWs: Dialect = {
  path: () => '/',
  protocols: [],
  greet: () => READY,
  handshake: () => READY,
  say(client, _index, _sayId, text) {
    client.sendText(text);
  },
  control: () => undefined,
};

// Engine.IO v4 packet types are one ASCII digit; Socket.IO packets ride inside type 4 (message).
const EIO_OPEN = 0x30;
const EIO_PING = 0x32;
const SIO_MESSAGE = 0x34;
const SIO_CONNECT = 0x30;
const SIO_CONNECT_ERROR = 0x34;
const EIO_PONG_FRAME = textFrame('3');
const SIO_CONNECT_FRAME = textFrame('40');

/** Whether the message is `4<type>` (a Socket.IO packet of that type on the default namespace). */
function isSocketIoPacket(data: Buffer, start: number, end: number, type: number): boolean {
  return end - start >= 2 && data[start] === SIO_MESSAGE && data[start + 1] === type;
}

function isEngineIoPing(data: Buffer, start: number, end: number): boolean {
  return end - start === 1 && data[start] === EIO_PING;
}

const socketIo: Dialect = {
  path: () => '/socket.io/?EIO=4&transport=websocket',
  protocols: [],
  greet: () => WAIT,
  handshake(client, _index, data, start, end) {
    if (end > start && data[start] === EIO_OPEN) {
      client.sendFrame(SIO_CONNECT_FRAME);
      return WAIT;
    }
    if (isSocketIoPacket(data, start, end, SIO_CONNECT)) return READY;
    if (isSocketIoPacket(data, start, end, SIO_CONNECT_ERROR)) {
      return { kind: 'error', code: 'connect_error' };
    }
    if (isEngineIoPing(data, start, end)) client.sendFrame(EIO_PONG_FRAME);
    return WAIT;
  },
  say(client, _index, _sayId, text) {
    client.sendText(`42${JSON.stringify([SOCKET_IO_EVENT, text])}`);
  },
  control(client, data, start, end) {
    if (isEngineIoPing(data, start, end)) client.sendFrame(EIO_PONG_FRAME);
    else if (isSocketIoPacket(data, start, end, SIO_CONNECT_ERROR)) return 'connect_error';
    return undefined;
  },
};

/** The dialects that keep no state of their own: one object serves any number of pools. */
export const DIALECT_BY_NAME = {
  parley,
  ws: plainWs,
  'socket.io': socketIo,
} satisfies Record<Exclude<DialectName, 'parley-v2'>, Dialect>;

/** A dialect for one pool of clients (the conversations dialect keeps per-pool state). */
export function createDialect(name: DialectName): Dialect {
  return name === 'parley-v2' ? createParleyV2Dialect() : DIALECT_BY_NAME[name];
}
