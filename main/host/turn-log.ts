/**
 * A broadcast group: the channels that take one wire form of broadcasts (parley.v1, plain or
 * parley.v2), and the frames broadcast to them since its last flush (its turn).
 *
 * A broadcast only appends to the turn's log: no call per recipient. At the flush the log is
 * put together once per wire variant (no deflate, each deflate setting) into one Buffer, and
 * every member with nothing else to say gets that same Buffer in one `socket.write`. A member
 * with frames of its own (acks, errors, history, a welcome), one that joined mid-turn or one a
 * broadcast skipped (typing is not sent to the typist) merges its frames with the log in the
 * order the host produced them (Channel.serveTurn).
 *
 * A broadcast may be for an audience only (the members of one conversation, parley.v2): the
 * members of the same audiences this turn share one Buffer put together for them (the turn's
 * frames for that set of audiences), so a client in many conversations still gets one write, and
 * a thousand clients in the same conversations still share the bytes. An audience may only change
 * for a member that owes nothing of the turn so far (Audience settles it first), so whether a
 * frame is for a member is the same at the flush as when it was broadcast.
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
  /**
   * False for the members a broadcast skips: the typist (typing is not sent to the typist), and
   * whoever is not in its audience.
   */
  isFor(index: number, member: TurnMember): boolean;
}

/** The members a broadcast is for (a conversation's connections): fixed while they owe it. */
export interface TurnAudience {
  has(member: TurnMember): boolean;
}

/** Members a broadcast skips: one (the typist's channel) or several (all of one peer's). */
export type TurnExcept = TurnMember | ReadonlySet<TurnMember>;

/**
 * Which of a turn's audiences a member is in, as bits (bit i: the i-th audience of the turn).
 * Members with the same mask take the same frames, so they share the same bytes.
 */
export type AudienceMask = number;

/** Distinct audiences of one turn that get a bit of the mask; more are served frame by frame. */
export const MAX_MASKED_AUDIENCES = 30;
/** The mask of a member for whom some audience of the turn has no bit: no shared bytes. */
export const UNMASKED = -1;

/** What a group asks of its members (Channel). */
export interface TurnMember {
  /** Called on `add`: broadcasts from now on are for this member. */
  attach(log: TurnLogView): void;
  /** Called on `delete`: what was broadcast so far still goes out, in order. */
  detach(): void;
  /**
   * The group's flush: writes this turn to the member. `skipsSelf`: some broadcast of the turn
   * skips it by name; `mask`: the audiences of the turn it is in. True when it is now over its
   * backlog limit; the group drops it (`fail`) once every member was served.
   */
  serveTurn(turn: SharedTurn, skipsSelf: boolean, mask: AudienceMask): boolean;
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

/**
 * One flush's log, put together lazily once per wire variant and audience mask. The offsets of a
 * mask's bytes still count every frame of the log (those not for the mask take no bytes), so a
 * member can take any slice [from, to) of the log from them.
 */
export class SharedTurn {
  /** Null: some frame of the turn cannot be framed ahead for that variant (only ws can send it). */
  private readonly variants = new Map<string, SharedBytes | null>();

  constructor(
    private readonly frames: readonly OutboundFrame[],
    /** For each frame, the bit of its audience (0: for every member of the group). */
    private readonly audienceBits: readonly number[] = [],
  ) {}

  bytesFor(wire: Wire, mask: AudienceMask = 0): SharedBytes | undefined {
    if (mask === UNMASKED) return undefined;
    const key = mask === 0 ? wire.variant : `${wire.variant}/${mask}`;
    let shared = this.variants.get(key);
    if (shared === undefined) {
      shared = this.concatenate(wire, mask);
      this.variants.set(key, shared);
    }
    return shared ?? undefined;
  }

  private concatenate(wire: Wire, mask: AudienceMask): SharedBytes | null {
    const parts: Buffer[] = [];
    const offsets = [0];
    let length = 0;
    for (const [index, frame] of this.frames.entries()) {
      const bit = this.audienceBits[index] ?? 0;
      // An audience without a bit (UNMASKED) is one no member served from here is in.
      if (bit === 0 || (bit > 0 && (bit & mask) !== 0)) {
        const framed = frame.framedFor(wire.deflate);
        if (!framed) return null;
        for (const part of framed) {
          parts.push(part);
          length += part.length;
        }
      }
      offsets.push(length);
    }
    sharedBuffers++;
    const buffer = parts.length === 1 ? parts[0]! : Buffer.concat(parts, length);
    return { buffer, offsets };
  }
}

export class BroadcastGroup implements Flushable, TurnLogView, Iterable<TurnMember> {
  private readonly members = new Set<TurnMember>();
  /** This turn's broadcasts, in the order the host made them. */
  private readonly frames: OutboundFrame[] = [];
  /** For each of `frames`, the members it is not for, if any. */
  private readonly excepts: (TurnExcept | undefined)[] = [];
  /** For each of `frames`, the audience it is for (undefined: every member). */
  private readonly audiences: (TurnAudience | undefined)[] = [];
  /** For each of `frames`, the bit of its audience in AudienceMask (0: every member). */
  private readonly audienceBits: number[] = [];
  /** This turn's audiences and their bits; UNMASKED marks one past MAX_MASKED_AUDIENCES. */
  private readonly audienceBitOf = new Map<TurnAudience, number>();
  /** Members some frame of this turn skips: they cannot take the shared bytes. */
  private readonly excluded = new Set<TurnMember>();
  private flushDue = false;
  private ephemeralTimer: NodeJS.Timeout | undefined;
  private flushing = false;
  /** Broadcasts made while a flush is writing (none today): they open the next turn. */
  private readonly deferred: [
    OutboundFrame,
    TurnExcept | undefined,
    Urgency,
    TurnAudience | undefined,
  ][] = [];
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
    const except = this.excepts[index];
    if (
      except !== undefined &&
      (except === member || (except instanceof Set && except.has(member)))
    ) {
      return false;
    }
    const audience = this.audiences[index];
    return audience === undefined || audience.has(member);
  }

  /**
   * Appends `frame` to the turn's log for every member but `except`; with `audience`, only for
   * the members in it.
   */
  broadcast(
    frame: OutboundFrame,
    except?: TurnExcept,
    urgency: Urgency = 'now',
    audience?: TurnAudience,
  ): void {
    if (this.members.size === 0) return;
    if (this.flushing) {
      this.deferred.push([frame, except, urgency, audience]);
      return;
    }
    this.frames.push(frame);
    this.excepts.push(except);
    this.audiences.push(audience);
    this.audienceBits.push(audience ? this.bitOf(audience) : 0);
    if (except instanceof Set) for (const member of except) this.excluded.add(member);
    else if (except) this.excluded.add(except as TurnMember);
    if (urgency === 'now') this.flushThisTurn();
    else this.flushShortly();
  }

  private bitOf(audience: TurnAudience): number {
    let bit = this.audienceBitOf.get(audience);
    if (bit === undefined) {
      const count = this.audienceBitOf.size;
      bit = count < MAX_MASKED_AUDIENCES ? 2 ** count : UNMASKED;
      this.audienceBitOf.set(audience, bit);
    }
    return bit;
  }

  /** The audiences of this turn `member` is in; UNMASKED when one of them has no bit. */
  private maskOf(member: TurnMember): AudienceMask {
    let mask = 0;
    for (const [audience, bit] of this.audienceBitOf) {
      if (!audience.has(member)) continue;
      if (bit === UNMASKED) return UNMASKED;
      mask |= bit;
    }
    return mask;
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
    const masked = this.audienceBitOf.size > 0;
    const turn = new SharedTurn(this.frames, masked ? this.audienceBits : undefined);
    const anyExcluded = this.excluded.size > 0;
    const tooSlow: TurnMember[] = [];
    const broken: TurnMember[] = [];
    this.flushing = true;
    try {
      for (const member of this.members) {
        try {
          const skipsSelf = anyExcluded && this.excluded.has(member);
          if (member.serveTurn(turn, skipsSelf, masked ? this.maskOf(member) : 0)) {
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
    for (const [frame, except, urgency, audience] of this.deferred.splice(0)) {
      this.broadcast(frame, except, urgency, audience);
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
    this.audiences.length = 0;
    this.audienceBits.length = 0;
    this.audienceBitOf.clear();
    this.excluded.clear();
    this.flushing = false;
  }
}
