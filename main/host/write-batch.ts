/**
 * Direct writes to a client's TCP (or TLS) socket, batched per event-loop turn.
 *
 * ws frames and writes every send on its own; a broadcast to a thousand clients then costs a
 * thousand frame headers and a thousand socket writes per message. Here broadcasts go to a
 * group's turn log (turn-log.ts) and a channel's own frames to its queue, and everything is
 * written at the next `setImmediate`: one write per socket.
 *
 * ws keeps writing its own frames (pings, pongs, close frames, anything it compresses) straight
 * to the same socket, so raw bytes are only ever queued while ws's sender is idle: a frame ws is
 * still compressing or holding in its queue would otherwise be overtaken by ours. Each write is
 * whole frames, so the two writers can only interleave at frame boundaries.
 */
import type { Socket } from 'node:net';
import type { ZlibOptions } from 'node:zlib';
import type { WebSocket } from 'ws';
import type { DeflateTerms } from './frame-encoding';

/** The default of zlib and of RFC 7692 when `server_max_window_bits` is not negotiated. */
const DEFAULT_WINDOW_BITS = 15;
/** ws's Sender state when it is neither compressing nor reading a Blob. */
const SENDER_IDLE = 0;

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

/** A socket ws has handed over, as far as raw writes need it. */
export class RawWire {
  private constructor(
    readonly socket: Socket,
    private readonly sender: { _state: number; _queue: unknown[] },
    readonly deflate: DeflateTerms | undefined,
  ) {
    this.variant = variantOf(deflate);
  }

  /**
   * Names the wire form this socket needs: sockets with equal variants take the same bytes for
   * any frame, so a turn's broadcasts are put together once per variant (turn-log.ts).
   */
  readonly variant: string;

  /** Undefined when the socket does not look like ws 8's: the caller then uses `ws.send`. */
  static of(ws: WebSocket): RawWire | undefined {
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
    return new RawWire(socket, sender as { _state: number; _queue: unknown[] }, deflate);
  }

  /** True when nothing ws has accepted is still waiting to reach the socket. */
  get senderIdle(): boolean {
    return this.sender._state === SENDER_IDLE && this.sender._queue.length === 0;
  }

  get writable(): boolean {
    return !this.socket.destroyed && this.socket.writable;
  }

  /** Writes whole frames in one go (one writev for several). */
  write(parts: readonly Buffer[]): void {
    if (parts.length === 1) {
      this.socket.write(parts[0]!);
      return;
    }
    this.socket.cork();
    for (const part of parts) this.socket.write(part);
    this.socket.uncork();
  }
}

function variantOf(deflate: DeflateTerms | undefined): string {
  if (!deflate) return 'plain';
  // zlib's other options are the host's, the same for every socket.
  const takeover = deflate.noContextTakeover ? 'shared' : 'own';
  return `deflate:${deflate.threshold}:${deflate.windowBits}:${takeover}`;
}

/** Something holding bytes for the next flush. */
export interface Flushable {
  flushQueued(): void;
  /** A flush threw: the target cannot be trusted to write any more. */
  abandon(error: unknown): void;
}

const due: Flushable[] = [];
let flushTimer: NodeJS.Immediate | undefined;

/** Flushes `target` at the next setImmediate; call once per target per turn. */
export function flushSoon(target: Flushable): void {
  due.push(target);
  reserveFlush();
}

/**
 * Queues this turn's flush now, even with nothing to write yet, so that it runs after every
 * setImmediate queued before it. Called right after a store append: when the store's commit
 * (queued just before) is durable at once, what the commit's callbacks broadcast then goes out in
 * the same turn instead of the next.
 */
export function reserveFlush(): void {
  flushTimer ??= setImmediate(flushDue);
}

function flushDue(): void {
  flushTimer = undefined;
  // Bounded: targets queued by a flush itself (none today) wait for the next turn.
  const count = due.length;
  for (let index = 0; index < count; index++) {
    const target = due[index]!;
    try {
      target.flushQueued();
    } catch (error) {
      target.abandon(error);
    }
  }
  due.splice(0, count);
  if (due.length > 0) flushTimer ??= setImmediate(flushDue);
}
