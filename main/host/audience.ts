/**
 * The connections a conversation's entries go to (parley.v2): the live connections of its
 * members. A broadcast group (turn-log.ts) asks it, at its flush, which members a broadcast made
 * earlier in the turn is for; so a connection's membership may only change once the connection
 * owes nothing of the turn so far, which `add` and `delete` see to (Channel.settle) before
 * changing anything.
 */
import type { Channel } from './channel';
import type { TurnAudience, TurnMember } from './turn-log';

export class Audience implements TurnAudience, Iterable<Channel> {
  private readonly channels = new Set<Channel>();

  get size(): number {
    return this.channels.size;
  }

  has(member: TurnMember): boolean {
    return this.channels.has(member as Channel);
  }

  /** Entries broadcast from now on go to `channel` too. */
  add(channel: Channel): void {
    if (this.channels.has(channel)) return;
    channel.settle();
    this.channels.add(channel);
  }

  /** Entries broadcast from now on no longer go to `channel`; those before still do. */
  delete(channel: Channel): void {
    if (!this.channels.has(channel)) return;
    channel.settle();
    this.channels.delete(channel);
  }

  [Symbol.iterator](): IterableIterator<Channel> {
    return this.channels.values();
  }
}
