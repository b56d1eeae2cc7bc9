/**
 * One client socket as the host writes to it: every send goes through here so the backlog rule
 * (PROTOCOL.md `too_slow`) is checked after each one, and every close is bounded in time.
 *
 * Text frames are queued as ready-made bytes and written once per event-loop turn (write-batch);
 * when ws is busy with a frame of its own the channel hands its sends to ws instead, after its
 * queue, so the client sees every frame in the order the host sent it.
 */
import type { WebSocket } from 'ws';
import {
  ERROR_SENTENCES,
  FATAL_ERROR_CLOSE,
  type ErrorCode,
  type FatalErrorCode,
} from '../../protocol/codes';
import { OutboundFrame } from './frame-encoding';
import { flushSoon, RawWire, type Flushable } from './write-batch';

/** ws copies its options per send anyway; sharing this object avoids one more per recipient. */
const TEXT_FRAME = { binary: false } as const;

const OPEN = 1;

/** A socket that does not finish its closing handshake within this time is destroyed. */
export const CLOSE_GRACE_MS = 1000;

/** How an error reaches the client: a JSON `error` frame (parley.v1) or a text line (plain). */
export type ErrorFormatter = (code: ErrorCode, message: string, ref?: string) => string;

export const formatV1Error: ErrorFormatter = (code, message, ref) =>
  JSON.stringify({ type: 'error', code, message, ref });

export const formatPlainError: ErrorFormatter = (code, message) => `* error ${code}: ${message}`;

export interface ChannelOptions {
  maxBacklogBytes: number;
  formatError: ErrorFormatter;
  /** Called once, as soon as the host stops talking to this socket (before it has closed). */
  onClosing?: () => void;
}

export class Channel implements Flushable {
  private open = true;
  private terminateTimer: NodeJS.Timeout | undefined;
  private readonly wire: RawWire | undefined;
  /** Whole frames for the next flush, in send order; reused to spare an array per turn. */
  private readonly queued: Buffer[] = [];
  private queuedBytes = 0;
  private flushDue = false;

  constructor(
    readonly socket: WebSocket,
    private readonly options: ChannelOptions,
  ) {
    this.wire = RawWire.of(socket);
    socket.once('close', () => {
      clearTimeout(this.terminateTimer);
      this.dropQueued();
      this.stopTalking();
    });
  }

  /** False once the host has started closing this socket (or it closed by itself). */
  get isOpen(): boolean {
    return this.open;
  }

  /** Bytes sent but not yet taken by the kernel, including those waiting for this turn's flush. */
  get backlogBytes(): number {
    return this.socket.bufferedAmount + this.queuedBytes;
  }

  /** Sends one text frame; drops the client with `too_slow` when its backlog passes the limit. */
  send(data: OutboundFrame | Buffer | string): void {
    // A socket the peer is closing would only count the bytes as backlog.
    if (!this.open || this.socket.readyState !== OPEN) return;
    this.transmit(data);
    if (this.backlogBytes <= this.options.maxBacklogBytes) return;
    // A burst of one turn is not a slow client: let the kernel take what it can, then judge by
    // what is really left unsent, as before batching.
    this.flushQueued();
    if (this.socket.bufferedAmount > this.options.maxBacklogBytes) this.fail('too_slow');
  }

  /** Writes what this turn queued; runs from write-batch's flush and before every close. */
  flushQueued(): void {
    this.flushDue = false;
    if (this.queued.length === 0) return;
    const wire = this.wire;
    // ws closing (the peer's close frame, a protocol error) ends what the host may send.
    if (!wire || this.socket.readyState !== OPEN || !wire.writable) {
      this.dropQueued();
      return;
    }
    try {
      wire.write(this.queued);
    } finally {
      this.dropQueued();
    }
  }

  abandon(): void {
    this.terminate();
  }

  sendJson(frame: object): void {
    this.send(JSON.stringify(frame));
  }

  /** An error that keeps the connection open. */
  sendError(code: ErrorCode, message: string = ERROR_SENTENCES[code], ref?: string): void {
    this.send(this.options.formatError(code, message, ref));
  }

  /** An error frame, then its paired close code (PROTOCOL.md, errors that close). */
  fail(code: FatalErrorCode, message: string = ERROR_SENTENCES[code], ref?: string): void {
    if (!this.open) return;
    this.transmit(this.options.formatError(code, message, ref));
    this.close(FATAL_ERROR_CLOSE[code], code);
  }

  /** An error line or frame, then an arbitrary close code (plain mode's 1008 for a bad name). */
  failWith(code: ErrorCode, closeCode: number, message: string = ERROR_SENTENCES[code]): void {
    if (!this.open) return;
    this.transmit(this.options.formatError(code, message));
    this.close(closeCode, code);
  }

  /** Starts the closing handshake; a peer that does not answer within the grace is destroyed. */
  close(code: number, reason = ''): void {
    if (!this.open) return;
    this.stopTalking();
    try {
      // ws writes the close frame at once: what this turn queued must go first.
      this.flushQueued();
      this.socket.close(code, reason);
    } catch {
      this.socket.terminate();
      return;
    }
    this.terminateTimer = setTimeout(() => this.socket.terminate(), CLOSE_GRACE_MS);
    this.terminateTimer.unref();
  }

  /** Destroys the socket without a close frame (a dead peer would never read one). */
  terminate(): void {
    this.dropQueued();
    this.stopTalking();
    this.socket.terminate();
  }

  /** Queues the frame's shared bytes, or hands it to ws when ws has frames of its own pending. */
  private transmit(data: OutboundFrame | Buffer | string): void {
    const frame = data instanceof OutboundFrame ? data : new OutboundFrame(data);
    const wire = this.wire;
    const parts = wire?.senderIdle ? frame.wire(wire.deflate) : undefined;
    if (!parts) {
      this.flushQueued();
      this.socket.send(frame.payload, TEXT_FRAME);
      return;
    }
    for (const part of parts) {
      this.queued.push(part);
      this.queuedBytes += part.length;
    }
    if (!this.flushDue) {
      this.flushDue = true;
      flushSoon(this);
    }
  }

  private dropQueued(): void {
    this.queued.length = 0;
    this.queuedBytes = 0;
  }

  private stopTalking(): void {
    if (!this.open) return;
    this.open = false;
    this.options.onClosing?.();
  }
}
