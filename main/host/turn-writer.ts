/**
 * Writes one channel's frames of a turn, in order: as raw framed bytes (one corked write at the
 * end) while the wire is ready for them, through ws from the first frame only ws can send
 * (compression with context takeover) or once ws has frames of its own pending.
 */
import type { OutboundFrame } from './frame-encoding';
import type { AudienceMask, SharedTurn, TurnLogView, TurnMember } from './turn-log';
import type { Wire } from './wire';

/** Broadcasts [from, to) of a turn's log, as one member takes them. */
export interface LogSlice {
  readonly log: TurnLogView;
  readonly member: TurnMember;
  readonly from: number;
  readonly to: number;
  /** The turn whose shared bytes hold them; undefined when some broadcast skips the member. */
  readonly shared: SharedTurn | undefined;
  /** The audiences of the turn the member is in (which of the shared bytes are its own). */
  readonly mask: AudienceMask;
}

export class TurnWriter {
  private readonly parts: Buffer[] = [];
  private raw: boolean;

  constructor(private readonly wire: Wire) {
    this.raw = wire.rawReady;
  }

  frame(frame: OutboundFrame): void {
    const framed = this.raw ? frame.framedFor(this.wire.deflate) : undefined;
    if (framed) {
      for (const part of framed) this.parts.push(part);
      return;
    }
    this.finish();
    this.wire.send(frame.payload);
    // ws writes an uncompressed frame at once; a compressed one keeps its sender busy for a while.
    this.raw = this.wire.rawReady;
  }

  /** The slice's broadcasts for its member: one piece of the shared bytes when it can take them. */
  broadcasts(slice: LogSlice): void {
    const { log, member, from, to, shared, mask } = slice;
    const bytes = this.raw && shared ? shared.bytesFor(this.wire, mask) : undefined;
    if (bytes) {
      this.parts.push(bytes.buffer.subarray(bytes.offsets[from], bytes.offsets[to]));
      return;
    }
    for (let index = from; index < to; index++) {
      if (log.isFor(index, member)) this.frame(log.frameAt(index));
    }
  }

  /** Writes the raw bytes gathered so far. */
  finish(): void {
    if (this.parts.length === 0) return;
    try {
      this.wire.writeAll(this.parts);
    } finally {
      this.parts.length = 0;
    }
  }
}
