/**
 * Writes one channel's frames of a turn, in order: as raw framed bytes (one corked write at the
 * end) while the wire is ready for them, through ws from the first frame only ws can send
 * (compression with context takeover) or once ws has frames of its own pending.
 */
import type { OutboundFrame } from './frame-encoding';
import type { AudienceMask, SharedTurn, TurnLogView, TurnMember } from './turn-log';
import type { Wire } from './wire';

/** Parts at least this long are written as they are (shared turn bytes are never copied). */
const SMALL_PART_BYTES = 16 * 1024;
/** Runs of smaller parts are copied together into buffers of about this size. */
const RUN_BYTES = 64 * 1024;

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
      this.wire.writeAll(coalesced(this.parts));
    } finally {
      this.parts.length = 0;
    }
  }
}

/**
 * The parts with each run of small ones copied into one buffer. Until the kernel takes a write,
 * Node keeps an object per buffer written (its queue entry and the Buffer, about 150 bytes of
 * heap): a client that sends pings and does not read would otherwise hold the host's heap at ten
 * times the backlog limit, which counts the pongs' 17 bytes each.
 */
function coalesced(parts: readonly Buffer[]): readonly Buffer[] {
  if (parts.length < 2) return parts;
  const result: Buffer[] = [];
  let start = 0;
  let runBytes = 0;
  const endRun = (end: number) => {
    if (end - start === 1) result.push(parts[start]!);
    else if (end > start) result.push(Buffer.concat(parts.slice(start, end), runBytes));
    runBytes = 0;
  };
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index]!;
    if (part.length >= SMALL_PART_BYTES) {
      endRun(index);
      result.push(part);
      start = index + 1;
      continue;
    }
    runBytes += part.length;
    if (runBytes >= RUN_BYTES) {
      endRun(index + 1);
      start = index + 1;
    }
  }
  endRun(parts.length);
  return result;
}
