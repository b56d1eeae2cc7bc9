/**
 * How the host writes to a client's socket: the one file that knows ws's internals.
 *
 * ws frames and writes every send on its own, so a broadcast to a thousand clients would cost a
 * thousand frame headers and a thousand socket writes per message. The host instead frames each
 * message once (frame-encoding.ts) and writes a turn's frames to the TCP (or TLS) socket under
 * the WebSocket itself, which ws does not expose: a raw Wire reads ws 8's private fields for that
 * socket, for its sender's state and for the negotiated permessage-deflate terms.
 *
 * ws keeps writing its own frames (pings, pongs, close frames, anything it compresses) straight
 * to the same socket, so raw bytes may only be written while ws's sender is idle: a frame ws is
 * still compressing or holding in its queue would otherwise be overtaken by ours. Each write is
 * whole frames, so the two writers can only interleave at frame boundaries.
 *
 * When the internals are not what this file expects (another ws version), `wireOf` returns a
 * Wire that sends everything through `ws.send`: slower, never wrong. WS_VERSION names the version
 * the field reads were checked against; a test fails on any other, so an upgrade of ws comes
 * back here first.
 */
import type { Socket } from 'node:net';
import type { ZlibOptions } from 'node:zlib';
import * as wsModule from 'ws';
import type { WebSocket } from 'ws';

/** What a socket's negotiated permessage-deflate asks of the frames sent to it. */
export interface DeflateTerms {
  /** Payloads of at least this many bytes are compressed; smaller ones are sent as they are. */
  readonly threshold: number;
  /** False means each message depends on the previous ones: only ws itself can compress. */
  readonly noContextTakeover: boolean;
  readonly windowBits: number;
  readonly zlibOptions: Readonly<ZlibOptions>;
}

/** The ws release (major.minor) whose internals this file reads; package.json pins `~` it. */
export const WS_VERSION = '8.23';

export const TEXT_OPCODE = 0x1;
export const BINARY_OPCODE = 0x2;

/** The default of zlib and of RFC 7692 when `server_max_window_bits` is not negotiated. */
const DEFAULT_WINDOW_BITS = 15;
/** ws's Sender state when it is neither compressing nor reading a Blob. */
const SENDER_IDLE = 0;
/** ws copies its options per send anyway; sharing this object avoids one more per frame. */
const TEXT_FRAME = { binary: false } as const;

interface FrameOptions {
  fin: boolean;
  rsv1: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
}

/** ws exports its framer at runtime (index.js, wrapper.mjs); @types/ws does not declare it. */
const framer = (wsModule as unknown as { Sender?: { frame?: unknown } }).Sender?.frame as
  ((data: Buffer, options: FrameOptions) => Buffer[]) | undefined;

/**
 * An unmasked, final frame of `payload` as ws's own framer builds it: the header, then the
 * payload (or header and payload in one Buffer when ws merges them). Only call it while
 * `canFrame` is true; a raw Wire exists only then.
 */
export function frameWithWs(payload: Buffer, opcode: number, compressed: boolean): Buffer[] {
  return framer!(payload, { fin: true, rsv1: compressed, opcode, mask: false, readOnly: true });
}

/** False when this ws does not export its framer: every Wire is then a `ws.send` one. */
export const canFrame = typeof framer === 'function';

/** A client's socket as the host writes to it. */
export interface Wire {
  /**
   * Names the wire form this socket needs: sockets with equal variants take the same bytes for
   * any frame, so a turn's broadcasts are put together once per variant (turn-log.ts).
   */
  readonly variant: string;
  /** The negotiated permessage-deflate terms; undefined without compression. */
  readonly deflate: DeflateTerms | undefined;
  /**
   * True when framed bytes may be written now: ws holds nothing they could overtake. Always
   * false for a Wire that only sends through ws.
   */
  readonly rawReady: boolean;
  /** False once the socket under the WebSocket can take no more bytes (destroyed or ended). */
  readonly writable: boolean;
  /** Writes whole frames as they are (only while `rawReady`). */
  write(frames: Buffer): void;
  /** Writes several buffers of whole frames in one go (one writev). */
  writeAll(parts: readonly Buffer[]): void;
  /** Hands one text payload to ws, which frames (and compresses) and writes it when it can. */
  send(payload: Buffer): void;
  /**
   * Calls back once what was written so far has gone to the kernel, or at the next turn when it
   * already has (never, once the socket is gone).
   */
  whenDrained(callback: () => void): void;
}

/** The parts of ws 8's WebSocket internals the raw path relies on (checked, not assumed). */
interface WsInternals {
  _socket?: unknown;
  _sender?: { _state?: unknown; _queue?: unknown };
  _extensions?: Record<string, unknown>;
}

interface DeflateExtension {
  params?: { server_no_context_takeover?: unknown; server_max_window_bits?: unknown } | null;
  _threshold?: unknown;
  _options?: { zlibDeflateOptions?: ZlibOptions };
}

/** The raw Wire when ws's internals look as expected, else one that sends through ws. */
export function wireOf(ws: WebSocket): Wire {
  return rawWireOf(ws) ?? new SendWire(ws);
}

function rawWireOf(ws: WebSocket): RawWire | undefined {
  if (!canFrame) return undefined;
  const internals = ws as unknown as WsInternals;
  const socket = internals._socket as Socket | undefined;
  const sender = internals._sender;
  if (typeof socket?.write !== 'function' || typeof socket.cork !== 'function') return undefined;
  if (typeof sender?._state !== 'number' || !Array.isArray(sender._queue)) return undefined;
  const extension = internals._extensions?.['permessage-deflate'] as DeflateExtension | undefined;
  let deflate: DeflateTerms | undefined;
  if (extension) {
    const threshold = extension._threshold;
    if (typeof threshold !== 'number') return undefined;
    const windowBits = extension.params?.server_max_window_bits;
    deflate = {
      threshold,
      noContextTakeover: extension.params?.server_no_context_takeover === true,
      windowBits: typeof windowBits === 'number' ? windowBits : DEFAULT_WINDOW_BITS,
      zlibOptions: { ...extension._options?.zlibDeflateOptions },
    };
  }
  return new RawWire(ws, socket, sender as { _state: number; _queue: unknown[] }, deflate);
}

class RawWire implements Wire {
  readonly variant: string;

  constructor(
    private readonly ws: WebSocket,
    private readonly socket: Socket,
    private readonly sender: { _state: number; _queue: unknown[] },
    readonly deflate: DeflateTerms | undefined,
  ) {
    this.variant = variantOf(deflate);
  }

  get rawReady(): boolean {
    return this.sender._state === SENDER_IDLE && this.sender._queue.length === 0;
  }

  get writable(): boolean {
    return !this.socket.destroyed && this.socket.writable;
  }

  write(frames: Buffer): void {
    this.socket.write(frames);
  }

  writeAll(parts: readonly Buffer[]): void {
    if (parts.length === 1) {
      this.socket.write(parts[0]!);
      return;
    }
    this.socket.cork();
    for (const part of parts) this.socket.write(part);
    this.socket.uncork();
  }

  send(payload: Buffer): void {
    this.ws.send(payload, TEXT_FRAME);
  }

  whenDrained(callback: () => void): void {
    if (this.socket.writableNeedDrain) this.socket.once('drain', callback);
    else setImmediate(callback);
  }
}

/** How often a ws.send Wire, which cannot see the socket's 'drain', looks again. */
const SEND_WIRE_DRAIN_POLL_MS = 50;

/** Everything through ws: never ready for raw bytes, so the callers only ever `send`. */
class SendWire implements Wire {
  readonly variant = 'ws.send';
  readonly deflate = undefined;
  readonly rawReady = false;
  /** ws itself checks the socket under it. */
  readonly writable = true;

  constructor(private readonly ws: WebSocket) {}

  write(): void {
    throw new Error('a ws.send Wire takes no raw bytes');
  }

  writeAll(): void {
    throw new Error('a ws.send Wire takes no raw bytes');
  }

  send(payload: Buffer): void {
    this.ws.send(payload, TEXT_FRAME);
  }

  whenDrained(callback: () => void): void {
    setTimeout(callback, SEND_WIRE_DRAIN_POLL_MS);
  }
}

function variantOf(deflate: DeflateTerms | undefined): string {
  if (!deflate) return 'plain';
  // zlib's other options are the host's, the same for every socket.
  const takeover = deflate.noContextTakeover ? 'shared' : 'own';
  return `deflate:${deflate.threshold}:${deflate.windowBits}:${takeover}`;
}
