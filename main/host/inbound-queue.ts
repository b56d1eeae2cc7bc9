/**
 * A connection's inbound frames in arrival order, with a way to hold them while the host finishes
 * an earlier one asynchronously (a password check the auth throttle delays). While held, the
 * socket is paused, so a client cannot pile up more than what already arrived; frames that did
 * arrive wait here and are handed over in order on release, after the answer to the earlier one.
 *
 * Backpressure: while the client's unsent backlog is high (its channel says `backlogged`, e.g. a
 * client that sends requests and never reads the answers), the socket is paused too, until what
 * was written has drained. The rest of a read already in hand is still handled: at most 64 KiB.
 */
import type { RawData, WebSocket } from 'ws';

/** What the queue hands frames to: the connection itself, so no closures per connection. */
export interface InboundHandler {
  handleFrame(data: RawData, isBinary: boolean): void;
  /** Called once when more than MAX_HELD_FRAMES arrived while held. */
  inboundFlooded(): void;
  /** The connection's outbound side: reading stops while it is backlogged. */
  readonly channel?: OutboundBacklog;
}

export interface OutboundBacklog {
  readonly backlogged: boolean;
  whenDrained(callback: () => void): void;
}

interface WaitingFrame {
  data: RawData;
  isBinary: boolean;
}

/** Frames kept while held before the connection is given up as a flood. */
export const MAX_HELD_FRAMES = 1000;

export class InboundQueue {
  private held = false;
  /** Paused because the client's backlog is high; resumed once it drained. */
  private backpressured = false;
  private draining = false;
  private flooded = false;
  /** Created when a frame first has to wait: most connections never hold one. */
  private waiting: WaitingFrame[] | undefined;

  constructor(
    private readonly socket: WebSocket,
    private readonly handler: InboundHandler,
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
    if (!this.backpressured) this.socket.resume();
    this.drain();
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (this.flooded) return;
    if (!this.held && !this.waiting?.length) {
      this.handler.handleFrame(data, isBinary);
      this.checkBacklog();
      return;
    }
    const waiting = (this.waiting ??= []);
    if (waiting.length >= MAX_HELD_FRAMES) {
      this.flooded = true;
      this.waiting = undefined;
      this.handler.inboundFlooded();
      return;
    }
    waiting.push({ data, isBinary });
  }

  /** Pauses reading while the client's backlog is high, until it has drained. */
  private checkBacklog(): void {
    const channel = this.handler.channel;
    if (this.backpressured || !channel?.backlogged) return;
    this.backpressured = true;
    this.socket.pause();
    const recheck = () => {
      if (channel.backlogged) {
        channel.whenDrained(recheck);
        return;
      }
      this.backpressured = false;
      if (!this.held) this.socket.resume();
    };
    channel.whenDrained(recheck);
  }

  /** Hands over waiting frames until one of them holds the queue again. */
  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      while (!this.held && this.waiting) {
        const next = this.waiting.shift();
        if (!next) break;
        this.handler.handleFrame(next.data, next.isBinary);
        this.checkBacklog();
      }
      // Emptied: let the array go rather than keep it for a connection that may idle for hours.
      if (this.waiting?.length === 0) this.waiting = undefined;
    } finally {
      this.draining = false;
    }
  }
}
