/**
 * A broadcast group: the channels that take one wire form of broadcasts (parley.v1 or plain),
 * and the frames broadcast to them since its last flush (its turn).
 *
 * A broadcast only appends to the turn's log: no call per recipient. At the flush the log is
 * put together once per wire variant (no deflate, each deflate setting) into one Buffer, and
 * every member with nothing else to say gets that same Buffer in one `socket.write`. A member
 * with frames of its own (acks, errors, history, a welcome), one that joined mid-turn or one a
 * broadcast skipped (typing is not sent to the typist) merges its frames with the log in the
 * order the host produced them (Channel.serveTurn).
 *
 * A message is flushed at the end of its event-loop turn. Ephemeral broadcasts (presence,
 * typing) may wait a few milliseconds for others, so that a join storm costs one write per
 * member per flush rather than one per join.
 */
import type { OutboundFrame } from './frame-encoding';
import type { Wire } from './wire';
import { flushSoon, type Flushable } from './write-batch';

/**
 * A turn's log as its members read it: the broadcasts of this turn so far, in the order the host
 * made them. The log starts from 0 again after each flush (turn-cursor.ts keeps a member's place).
 */
export interface TurnLogView {
  readonly length: number;
  /** True when the log is written at the end of this event-loop turn. */
  readonly flushesThisTurn: boolean;
  frameAt(index: number): OutboundFrame;
  /** False for the one member a broadcast skips (typing is not sent to the typist). */
  isFor(index: number, member: TurnMember): boolean;
}

/** What a group asks of its members (Channel). */
export interface TurnMember {
  /** Called on `add`: broadcasts from now on are for this member. */
  attach(log: TurnLogView): void;
  /** Called on `delete`: what was broadcast so far still goes out, in order. */
  detach(): void;
  /**
   * The group's flush: writes this turn to the member. True when it is now over its backlog
   * limit; the group drops it (`fail`) once every member was served.
   */
  serveTurn(turn: SharedTurn, skipsSelf: boolean): boolean;
  fail(code: 'too_slow'): void;
  /** Its write threw: it cannot be trusted to write any more. */
  abandon(): void;
}

export interface BroadcastGroupOptions {
  /**
   * How long an ephemeral broadcast may wait for others to share its flush, per member: a
   * flush costs one write per member, so its share of the host's time stays bounded in a join
   * storm, while a small room (under 1 ms) is flushed at the end of the turn.
   */
  ephemeralDelayMsPerMember: number;
  ephemeralMaxDelayMs: number;
}

export const BROADCAST_GROUP_DEFAULTS: Readonly<BroadcastGroupOptions> = Object.freeze({
  ephemeralDelayMsPerMember: 0.012,
  ephemeralMaxDelayMs: 100,
});

/** `now`: flush at the end of this event-loop turn. `ephemeral`: may wait a little (see above). */
export type Urgency = 'now' | 'ephemeral';

/** A turn's broadcasts in one variant's wire form; frame i is bytes [offsets[i], offsets[i+1]). */
export interface SharedBytes {
  readonly buffer: Buffer;
  readonly offsets: readonly number[];
}

let sharedBuffers = 0;

/** How many shared turn buffers the host has put together since it started (for tests). */
export function sharedBufferCount(): number {
  return sharedBuffers;
}

/** One flush's log, put together lazily once per wire variant. */
export class SharedTurn {
  /** Null: some frame of the turn cannot be framed ahead for that variant (only ws can send it). */
  private readonly variants = new Map<string, SharedBytes | null>();

  constructor(private readonly frames: readonly OutboundFrame[]) {}

  bytesFor(wire: Wire): SharedBytes | undefined {
    let shared = this.variants.get(wire.variant);
    if (shared === undefined) {
      shared = concatenate(this.frames, wire);
      this.variants.set(wire.variant, shared);
    }
    return shared ?? undefined;
  }
}

function concatenate(frames: readonly OutboundFrame[], wire: Wire): SharedBytes | null {
  const parts: Buffer[] = [];
  const offsets = [0];
  let length = 0;
  for (const frame of frames) {
    const framed = frame.framedFor(wire.deflate);
    if (!framed) return null;
    for (const part of framed) {
      parts.push(part);
      length += part.length;
    }
    offsets.push(length);
  }
  sharedBuffers++;
  const buffer = parts.length === 1 ? parts[0]! : Buffer.concat(parts, length);
  return { buffer, offsets };
}

export class BroadcastGroup implements Flushable, TurnLogView, Iterable<TurnMember> {
  private readonly members = new Set<TurnMember>();
  /** This turn's broadcasts, in the order the host made them. */
  private readonly frames: OutboundFrame[] = [];
  /** For each of `frames`, the one member it is not for, if any. */
  private readonly excepts: (TurnMember | undefined)[] = [];
  /** Members some frame of this turn skips: they cannot take the shared bytes. */
  private readonly excluded = new Set<TurnMember>();
  private flushDue = false;
  private ephemeralTimer: NodeJS.Timeout | undefined;
  private flushing = false;
  /** Broadcasts made while a flush is writing (none today): they open the next turn. */
  private readonly deferred: [OutboundFrame, TurnMember | undefined, Urgency][] = [];
  private readonly options: BroadcastGroupOptions;

  constructor(options: Partial<BroadcastGroupOptions> = {}) {
    this.options = { ...BROADCAST_GROUP_DEFAULTS, ...options };
  }

  get size(): number {
    return this.members.size;
  }

  has(member: TurnMember): boolean {
    return this.members.has(member);
  }

  [Symbol.iterator](): IterableIterator<TurnMember> {
    return this.members.values();
  }

  /** `member` receives every broadcast made from now on. */
  add(member: TurnMember): void {
    if (this.members.has(member)) return;
    this.members.add(member);
    member.attach(this);
  }

  /** `member` receives what was broadcast until now (if it is still open), and nothing more. */
  delete(member: TurnMember): boolean {
    if (!this.members.delete(member)) return false;
    member.detach();
    return true;
  }

  get length(): number {
    return this.frames.length;
  }

  get flushesThisTurn(): boolean {
    return this.flushDue;
  }

  frameAt(index: number): OutboundFrame {
    return this.frames[index]!;
  }

  isFor(index: number, member: TurnMember): boolean {
    return this.excepts[index] !== member;
  }

  /** Appends `frame` to the turn's log for every member but `except`. */
  broadcast(frame: OutboundFrame, except?: TurnMember, urgency: Urgency = 'now'): void {
    if (this.members.size === 0) return;
    if (this.flushing) {
      this.deferred.push([frame, except, urgency]);
      return;
    }
    this.frames.push(frame);
    this.excepts.push(except);
    if (except) this.excluded.add(except);
    if (urgency === 'now') this.flushThisTurn();
    else this.flushShortly();
  }

  private flushThisTurn(): void {
    if (this.flushDue) return;
    clearTimeout(this.ephemeralTimer);
    this.ephemeralTimer = undefined;
    this.flushDue = true;
    flushSoon(this);
  }

  private flushShortly(): void {
    if (this.flushDue || this.ephemeralTimer) return;
    const { ephemeralDelayMsPerMember, ephemeralMaxDelayMs } = this.options;
    const delay = Math.min(ephemeralMaxDelayMs, this.members.size * ephemeralDelayMsPerMember);
    if (delay < 1) {
      this.flushThisTurn();
      return;
    }
    this.ephemeralTimer = setTimeout(() => {
      this.ephemeralTimer = undefined;
      this.flushThisTurn();
    }, delay);
  }

  /**
   * Writes the turn to every member, then starts the next turn. A member found too slow, or whose
   * write threw, is dropped only once every member was served: dropping one broadcasts `left`,
   * which must open the next turn rather than change the log being written.
   */
  flushQueued(): void {
    this.flushDue = false;
    if (this.frames.length === 0) return;
    const turn = new SharedTurn(this.frames);
    const anyExcluded = this.excluded.size > 0;
    const tooSlow: TurnMember[] = [];
    const broken: TurnMember[] = [];
    this.flushing = true;
    try {
      for (const member of this.members) {
        try {
          if (member.serveTurn(turn, anyExcluded && this.excluded.has(member))) {
            tooSlow.push(member);
          }
        } catch {
          broken.push(member);
        }
      }
    } finally {
      this.endTurn();
    }
    for (const member of tooSlow) member.fail('too_slow');
    for (const member of broken) member.abandon();
    for (const [frame, except, urgency] of this.deferred.splice(0)) {
      this.broadcast(frame, except, urgency);
    }
  }

  /** The flush itself threw: that turn is lost for everyone, the group carries on. */
  abandon(): void {
    this.endTurn();
  }

  private endTurn(): void {
    clearTimeout(this.ephemeralTimer);
    this.ephemeralTimer = undefined;
    this.frames.length = 0;
    this.excepts.length = 0;
    this.excluded.clear();
    this.flushing = false;
  }
}
