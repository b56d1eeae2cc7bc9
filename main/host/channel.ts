/**
 * One client socket as the host writes to it: every send goes through here so the backlog rule
 * (docs/protocol.md `too_slow`) is checked when bytes are handed to the socket, and every close is
 * bounded in time.
 *
 * A channel in a broadcast group (turn-log.ts) receives the group's broadcasts through the
 * group's turn log; frames of its own (acks, errors, history, the welcome) are queued here with
 * their place in that log, and the turn's flush writes both merged in the order the host sent
 * them. When ws is busy with a frame of its own the channel hands its frames to ws instead,
 * after what it holds, so the client sees every frame in the order the host sent it.
 */
import type { WebSocket } from 'ws';
import {
  ERROR_SENTENCES,
  FATAL_ERROR_CLOSE,
  type ErrorCode,
  type FatalErrorCode,
} from '../../protocol/wire/codes';
import { OutboundFrame } from './frame-encoding';
import { TurnCursor } from './turn-cursor';
import type { AudienceMask, SharedTurn, TurnLogView, TurnMember } from './turn-log';
import { TurnWriter } from './turn-writer';
import { wireOf, type Wire } from './wire';
import { flushSoon, type Flushable } from './write-batch';

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

export class Channel implements Flushable, TurnMember {
  private open = true;
  private terminateTimer: NodeJS.Timeout | undefined;
  private readonly wire: Wire;
  /** This turn's frames of its own, in send order; reused to spare an array per turn. */
  private readonly ownFrames: OutboundFrame[] = [];
  /** For each of `ownFrames`, how long the group's log was when it was sent. */
  private readonly ownPositions: number[] = [];
  private ownBytes = 0;
  private flushDue = false;
  /** Its place in the broadcast group's turn log, while it is in one. */
  private readonly cursor = new TurnCursor(this);

  constructor(
    readonly socket: WebSocket,
    private readonly options: ChannelOptions,
  ) {
    this.wire = wireOf(socket);
    socket.once('close', () => {
      clearTimeout(this.terminateTimer);
      this.dropTurn();
      this.stopTalking();
    });
  }

  /** False once the host has started closing this socket (or it closed by itself). */
  get isOpen(): boolean {
    return this.open;
  }

  /** Bytes sent but not yet taken by the kernel, including its own frames waiting for the flush. */
  get backlogBytes(): number {
    return this.socket.bufferedAmount + this.ownBytes;
  }

  /**
   * True while the unsent backlog is over half the limit: the host then stops reading from the
   * client (inbound-queue.ts), so that answers to its own requests cannot pile up for a client
   * that does not read them. Half, because one read's answers (a history page is capped at half
   * the limit) must still fit below the limit.
   */
  get backlogged(): boolean {
    return this.open && this.backlogBytes > this.options.maxBacklogBytes / 2;
  }

  /** Calls back once what is written to the socket so far has gone to the kernel. */
  whenDrained(callback: () => void): void {
    this.wire.whenDrained(callback);
  }

  /** Sends one text frame; drops the client with `too_slow` when its backlog passes the limit. */
  send(data: OutboundFrame | Buffer | string): void {
    // A socket the peer is closing would only count the bytes as backlog.
    if (!this.open || this.socket.readyState !== OPEN) return;
    this.transmit(data);
    if (this.backlogBytes <= this.options.maxBacklogBytes) return;
    // A burst of one turn is not a slow client: let the kernel take what it can, then judge by
    // what is really left unsent.
    this.drain();
    if (this.socket.bufferedAmount > this.options.maxBacklogBytes) this.fail('too_slow');
  }

  /** Write-batch's flush of this channel's own frames. */
  flushQueued(): void {
    this.flushDue = false;
    // The group's flush, due this turn too, writes them with the broadcasts, sharing their bytes.
    // Broadcasts still waiting to be coalesced (presence) go now, ahead of the frames of its own.
    if (this.cursor.groupFlushOwes) return;
    this.drain();
    if (this.isTooSlow()) this.fail('too_slow');
  }

  attach(log: TurnLogView): void {
    this.cursor.follow(log);
  }

  detach(): void {
    if (!this.cursor.following) return;
    this.drain();
    this.cursor.unfollow();
  }

  /**
   * Writes now what the turn so far owes the client (broadcasts and its own frames, in order), so
   * that a change of the broadcasts it is in the audience of counts from this point of the log.
   */
  settle(): void {
    if (this.cursor.owesBefore(this.cursor.end)) this.drain();
  }

  /** The group's flush: the shared bytes in one write when the channel has nothing else to say. */
  serveTurn(turn: SharedTurn, skipsSelf: boolean, mask: AudienceMask): boolean {
    try {
      if (!this.open) {
        this.dropTurn();
        return false;
      }
      const wire = this.wire;
      const shared =
        !skipsSelf &&
        this.cursor.atTurnStart &&
        this.ownFrames.length === 0 &&
        wire.rawReady &&
        wire.writable &&
        this.socket.readyState === OPEN
          ? turn.bytesFor(wire, mask)
          : undefined;
      if (shared) {
        if (shared.buffer.length > 0) wire.write(shared.buffer);
      } else {
        this.drain(skipsSelf ? undefined : turn, mask);
      }
      return this.isTooSlow();
    } finally {
      this.cursor.turnEnded();
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

  /** An error frame, then its paired close code (docs/protocol.md, errors that close). */
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
    // Leaving the room detaches the channel from its group, which writes what it still owed.
    this.stopTalking();
    try {
      // ws writes the close frame at once: what this turn holds must go first.
      this.drain();
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
    // First, so that nothing more is written while the room lets go of this channel.
    this.socket.terminate();
    this.dropTurn();
    this.stopTalking();
  }

  private isTooSlow(): boolean {
    return this.open && this.socket.bufferedAmount > this.options.maxBacklogBytes;
  }

  /**
   * Queues the frame for the turn's flush, or hands it to ws (after what this turn holds) when
   * ws has frames pending or only ws can send it.
   */
  private transmit(data: OutboundFrame | Buffer | string): void {
    const frame = data instanceof OutboundFrame ? data : new OutboundFrame(data);
    // Framed now (once per frame, whoever asks first): a frame only ws can send goes at once.
    if (!(this.wire.rawReady && frame.framedFor(this.wire.deflate))) {
      this.drain();
      this.wire.send(frame.payload);
      return;
    }
    this.ownFrames.push(frame);
    this.ownPositions.push(this.cursor.end);
    this.ownBytes += frame.byteLength;
    if (!this.flushDue) {
      this.flushDue = true;
      flushSoon(this);
    }
  }

  /**
   * Writes everything this turn holds for the client now: the group's broadcasts it has not had
   * yet and its own frames, merged in send order. A socket that ws is closing gets nothing more.
   * `shared`: the turn being flushed, when the channel may take slices of its shared bytes (those
   * of `mask`, the audiences of the turn it is in).
   */
  private drain(shared?: SharedTurn, mask: AudienceMask = 0): void {
    const cursor = this.cursor;
    const end = cursor.end;
    const own = this.ownFrames;
    if (own.length === 0 && !cursor.owesBefore(end)) return;
    if (this.socket.readyState !== OPEN || !this.wire.writable) {
      this.dropTurn();
      return;
    }
    const writer = new TurnWriter(this.wire);
    try {
      for (let index = 0; index < own.length; index++) {
        cursor.writeUntil(Math.min(this.ownPositions[index]!, end), writer, shared, mask);
        writer.frame(own[index]!);
      }
      cursor.writeUntil(end, writer, shared, mask);
      writer.finish();
    } finally {
      this.dropTurn();
    }
  }

  /** Forgets this turn's frames: written, or never to be. */
  private dropTurn(): void {
    this.ownFrames.length = 0;
    this.ownPositions.length = 0;
    this.ownBytes = 0;
    this.cursor.skipToEnd();
  }

  private stopTalking(): void {
    if (!this.open) return;
    this.open = false;
    this.options.onClosing?.();
  }
}
