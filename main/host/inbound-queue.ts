/**
 * A connection's inbound frames in arrival order, with a way to hold them while the host finishes
 * an earlier one asynchronously (a password check the auth throttle delays). While held, the
 * socket is paused, so a client cannot pile up more than what already arrived; frames that did
 * arrive wait here and are handed over in order on release, after the answer to the earlier one.
 */
import type { RawData, WebSocket } from 'ws';

export type FrameHandler = (data: RawData, isBinary: boolean) => void;

/** Frames kept while held before the connection is given up as a flood. */
export const MAX_HELD_FRAMES = 1000;

export class InboundQueue {
  private held = false;
  private draining = false;
  private flooded = false;
  private readonly waiting: { data: RawData; isBinary: boolean }[] = [];

  constructor(
    private readonly socket: WebSocket,
    private readonly handle: FrameHandler,
    /** Called once when more than MAX_HELD_FRAMES arrived while held. */
    private readonly overflowed: () => void,
  ) {
    socket.on('message', (data, isBinary) => this.receive(data, isBinary));
  }

  get isHeld(): boolean {
    return this.held;
  }

  hold(): void {
    this.held = true;
    this.socket.pause();
  }

  release(): void {
    this.held = false;
    this.socket.resume();
    this.drain();
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (this.flooded) return;
    if (!this.held && this.waiting.length === 0) {
      this.handle(data, isBinary);
      return;
    }
    if (this.waiting.length >= MAX_HELD_FRAMES) {
      this.flooded = true;
      this.waiting.length = 0;
      this.overflowed();
      return;
    }
    this.waiting.push({ data, isBinary });
  }

  /** Hands over waiting frames until one of them holds the queue again. */
  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      while (!this.held) {
        const next = this.waiting.shift();
        if (!next) break;
        this.handle(next.data, next.isBinary);
      }
    } finally {
      this.draining = false;
    }
  }
}
