/**
 * Writes one channel's frames of a turn, in order: as raw framed bytes (one corked write at the
 * end) while ws's sender is idle, through `ws.send` from the first frame only ws can send
 * (compression with context takeover) or once ws has frames of its own pending.
 */
import type { WebSocket } from 'ws';
import type { OutboundFrame } from './frame-encoding';
import type { SharedTurn } from './turn-log';
import type { RawWire } from './write-batch';

/** ws copies its options per send anyway; sharing this object avoids one more per frame. */
export const TEXT_FRAME = { binary: false } as const;

export class TurnWriter {
  private readonly parts: Buffer[] = [];
  private raw: boolean;

  constructor(
    private readonly socket: WebSocket,
    private readonly wire: RawWire | undefined,
  ) {
    this.raw = wire?.senderIdle ?? false;
  }

  frame(frame: OutboundFrame): void {
    const framed = this.raw ? frame.wire(this.wire!.deflate) : undefined;
    if (framed) {
      for (const part of framed) this.parts.push(part);
      return;
    }
    this.finish();
    this.socket.send(frame.payload, TEXT_FRAME);
    // ws writes an uncompressed frame at once; a compressed one keeps its sender busy for a while.
    this.raw = this.wire?.senderIdle ?? false;
  }

  /**
   * Frames [from, to) of a group's log, skipping those whose except is `self`. Without skips the
   * turn's shared bytes are taken as one slice instead of frame by frame.
   */
  broadcasts(
    log: { readonly frames: readonly OutboundFrame[]; readonly excepts: readonly unknown[] },
    from: number,
    to: number,
    self: unknown,
    turn: SharedTurn | undefined,
    skipsSelf: boolean,
  ): void {
    const shared = this.raw && turn && !skipsSelf ? turn.bytesFor(this.wire!) : undefined;
    if (shared) {
      this.parts.push(shared.buffer.subarray(shared.offsets[from], shared.offsets[to]));
      return;
    }
    for (let index = from; index < to; index++) {
      if (log.excepts[index] !== self) this.frame(log.frames[index]!);
    }
  }

  /** Writes the raw bytes gathered so far. */
  finish(): void {
    if (this.parts.length === 0) return;
    try {
      this.wire!.write(this.parts);
    } finally {
      this.parts.length = 0;
    }
  }
}
