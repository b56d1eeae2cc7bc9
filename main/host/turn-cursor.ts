/**
 * A member's place in its group's turn log (turn-log.ts): which of this turn's broadcasts it has
 * had. The one place that knows how a member reads the log: the log starts from 0 again after
 * each flush, a member that joins mid-turn takes only what is broadcast after it joined, and a
 * frame of the member's own goes out after the broadcasts made before it and before the rest.
 */
import type { AudienceMask, SharedTurn, TurnLogView, TurnMember } from './turn-log';
import type { TurnWriter } from './turn-writer';

export class TurnCursor {
  private log: TurnLogView | undefined;
  /** The broadcasts before this index are written, or were never for this member. */
  private next = 0;

  constructor(private readonly member: TurnMember) {}

  /** Broadcasts from now on are for the member. */
  follow(log: TurnLogView): void {
    this.log = log;
    this.next = log.length;
  }

  unfollow(): void {
    this.log = undefined;
    this.next = 0;
  }

  get following(): boolean {
    return this.log !== undefined;
  }

  /** Where the log ends now: a frame of the member's own sent now goes after all of it. */
  get end(): number {
    return this.log ? this.log.length : 0;
  }

  /**
   * True when the member has had none of this turn's broadcasts on its own and followed the log
   * before the turn began: the turn's shared bytes are exactly what it is owed.
   */
  get atTurnStart(): boolean {
    return this.next === 0;
  }

  /** True when broadcasts before `end` are still owed to the member. */
  owesBefore(end: number): boolean {
    return this.next < end;
  }

  /** True when the group's flush, due this turn, will write broadcasts the member has not had. */
  get groupFlushOwes(): boolean {
    return this.log !== undefined && this.log.flushesThisTurn && this.next < this.log.length;
  }

  /**
   * Hands the broadcasts owed to the member before `until` to `writer`. `shared`: the turn whose
   * bytes they may be sliced from, undefined when some broadcast of the turn skips the member;
   * `mask`: the audiences of that turn the member is in.
   */
  writeUntil(
    until: number,
    writer: TurnWriter,
    shared: SharedTurn | undefined,
    mask: AudienceMask,
  ): void {
    if (this.next >= until) return;
    const from = this.next;
    writer.broadcasts({ log: this.log!, member: this.member, from, to: until, shared, mask });
    this.next = until;
  }

  /** Everything broadcast so far is written, or never will be. */
  skipToEnd(): void {
    this.next = this.end;
  }

  /** The group's flush ended the turn: its log starts from 0 again. */
  turnEnded(): void {
    this.next = 0;
  }
}
