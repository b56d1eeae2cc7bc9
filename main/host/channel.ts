/**
 * One client socket as the host writes to it: every send goes through here so the backlog rule
 * (PROTOCOL.md `too_slow`) is checked after each one, and every close is bounded in time.
 */
import type { WebSocket } from 'ws';
import {
  ERROR_SENTENCES,
  FATAL_ERROR_CLOSE,
  type ErrorCode,
  type FatalErrorCode,
} from '../../protocol/codes';

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

export class Channel {
  private open = true;
  private terminateTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly socket: WebSocket,
    private readonly options: ChannelOptions,
  ) {
    socket.once('close', () => {
      clearTimeout(this.terminateTimer);
      this.stopTalking();
    });
  }

  /** False once the host has started closing this socket (or it closed by itself). */
  get isOpen(): boolean {
    return this.open;
  }

  /** Sends one text frame; drops the client with `too_slow` when its backlog passes the limit. */
  send(data: Buffer | string): void {
    // A socket the peer is closing would only count the bytes as backlog.
    if (!this.open || this.socket.readyState !== OPEN) return;
    this.socket.send(data, TEXT_FRAME);
    if (this.socket.bufferedAmount > this.options.maxBacklogBytes) this.fail('too_slow');
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
    this.socket.send(this.options.formatError(code, message, ref), TEXT_FRAME);
    this.close(FATAL_ERROR_CLOSE[code], code);
  }

  /** An error line or frame, then an arbitrary close code (plain mode's 1008 for a bad name). */
  failWith(code: ErrorCode, closeCode: number, message: string = ERROR_SENTENCES[code]): void {
    if (!this.open) return;
    this.socket.send(this.options.formatError(code, message), TEXT_FRAME);
    this.close(closeCode, code);
  }

  /** Starts the closing handshake; a peer that does not answer within the grace is destroyed. */
  close(code: number, reason = ''): void {
    if (!this.open) return;
    this.stopTalking();
    try {
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
    this.stopTalking();
    this.socket.terminate();
  }

  private stopTalking(): void {
    if (!this.open) return;
    this.open = false;
    this.options.onClosing?.();
  }
}
