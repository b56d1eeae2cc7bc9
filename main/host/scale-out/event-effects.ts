/**
 * What each event of a shared room does on a host: the replica's part happens as the event is
 * read (in stream order, so a direct conversation exists before its first entry), the part people
 * see when the event reaches the head of the follower's queue (after the entries before it are
 * committed). The entry effects mirror what one host does when an entry is shown (entry-log.ts and
 * the `shown` callbacks of v2-posts.ts and v2-membership.ts), for entries made anywhere.
 */
import type { Entry, PeerV2 } from '../../../protocol/wire/entries';
import {
  announceConversation,
  hideConversation,
  raiseRead,
  showConversation,
} from '../conversation-view';
import { Conversation } from '../conversations';
import { broadcastEntry, encodeFrame } from '../fan-out';
import type { Room } from '../room';
import type { RoomStore } from '../store/room-store';
import { reserveFlush } from '../write-batch';
import type { RoomEvent } from './events';
import type { SharedLog } from './shared-log';

type Effect = (() => void) | undefined;

export class EventEffects {
  constructor(
    private readonly room: Room,
    private readonly cache: RoomStore,
    private readonly hostId: string,
    private readonly log: SharedLog,
  ) {}

  /**
   * Stores an entry in the replica, unless it holds it already (a catch-up overlapping the
   * stream). Throws when the entry would leave a hole in its conversation's log.
   */
  store(entry: Entry): { entry: Entry; committed: Promise<void> } | undefined {
    const last = this.cache.lastSeq(entry.conv);
    if (entry.seq <= last) return undefined;
    if (entry.seq !== last + 1) {
      throw new Error(`${entry.conv} would jump from seq ${last} to ${entry.seq}`);
    }
    // An id Redis forgot (its exactly-once record expires) and a client used again: the replica
    // keeps ids unique per peer, so the repeat is kept under an id of its own.
    const used = this.cache.findBySayId(entry.from.id, entry.id);
    const stored = used ? { ...entry, id: `${entry.id}#${entry.conv}:${entry.seq}` } : entry;
    const committed = this.cache.append(stored);
    // As for a host's own appends (entry-log.ts): when the commit resolves it at once, what the
    // follower then shows goes out in this turn, not after every other turn's work.
    reserveFlush();
    return { entry: stored, committed };
  }

  /** A stored entry reaches the people of this host: as one host shows its own (entry-log.ts). */
  show(entry: Entry): void {
    const { room } = this;
    let conversation = room.conversations.get(entry.conv);
    if (!conversation) {
      const stored = this.cache.conversations().find(({ id }) => id === entry.conv);
      if (!stored) throw new Error(`an entry of ${entry.conv}, which the replica does not hold`);
      conversation = new Conversation(stored, 0);
      room.conversations.add(conversation);
    }
    conversation.lastSeq = Math.max(conversation.lastSeq, entry.seq);
    if (entry.kind === 'system') {
      if (entry.event === 'joined_channel')
        room.conversations.addMember(conversation, entry.from.id);
      if (entry.event === 'left_channel') {
        room.conversations.removeMember(conversation, entry.from.id);
      }
      if (entry.event === 'topic') conversation.topic = entry.topic;
    }
    conversation.shownSeq = entry.seq;
    this.log.shown(entry);
    broadcastEntry(room.targets, entry, conversation);
    if (entry.kind === 'system') this.#shownSystem(entry.event, entry.from.id, conversation);
  }

  #shownSystem(event: string, by: string, conversation: Conversation): void {
    const { room } = this;
    const person = room.people.get(by);
    if (event === 'channel_created') {
      // Everyone learns of the channel; the creator's connections get its catchup along.
      announceConversation(room, conversation, person);
      if (person) showConversation(room, conversation, person);
    } else if (event === 'joined_channel') {
      if (person) showConversation(room, conversation, person);
    } else if (event === 'left_channel') {
      if (person) hideConversation(room, conversation, person);
    } else if (event === 'topic') {
      announceConversation(room, conversation);
    }
  }

  /** Any other event: its replica part now, what people see returned for its turn in order. */
  apply(event: Exclude<RoomEvent, { kind: 'e' }>): Effect {
    const { room, cache } = this;
    const own = event.host === this.hostId;
    switch (event.kind) {
      case 'd':
        return this.#direct(event.data.id, event.data.members);
      case 'rn': {
        const { conv, name } = event.data;
        cache.renameChannel(conv, name);
        return () => this.renamed(conv);
      }
      case 'room':
        cache.renameRoom(event.data.name);
        return undefined;
      case 'j':
        return () => room.arrivedElsewhere(event.data);
      case 'l':
        return () => room.leftEverywhere(event.data.id);
      case 'pr': {
        const { after } = event.data;
        return () => {
          const person = room.people.get(after.id);
          if (person && person.name !== after.name) room.rename(person, after.name);
        };
      }
      case 's': {
        const { k: tokenHash, s: record } = event.data;
        cache.saveSession(tokenHash, record.peer);
        if (own) return undefined;
        // Resumed on another host while its socket here is still open: that one is replaced.
        return () => room.people.sessionOf(tokenHash)?.member.channel.fail('replaced');
      }
      case 'r': {
        const { p: peerId, c: conv, s: seq } = event.data;
        cache.saveRead(peerId, conv, seq);
        if (own) return undefined;
        return () => this.#readElsewhere(peerId, conv, seq);
      }
      case 'n':
        cache.rememberPeer(event.data);
        return undefined;
    }
  }

  /** The channel's name in the replica is the room's: shown when this host's differs. */
  renamed(conv: string): void {
    const conversation = this.room.conversations.get(conv);
    const name = this.cache.conversations().find(({ id }) => id === conv)?.name;
    if (!conversation || name === undefined || conversation.name === name) return;
    this.room.conversations.rename(conversation, name);
    announceConversation(this.room, conversation);
  }

  #direct(id: string, pair: readonly [PeerV2, PeerV2] | undefined): Effect {
    if (!pair) return undefined;
    this.cache.ensureDirect(id, pair);
    const { room, cache } = this;
    return () => {
      if (room.conversations.get(id)) return;
      const stored = cache.conversations().find((conversation) => conversation.id === id);
      if (!stored) return;
      const direct = new Conversation(stored, 0);
      room.conversations.add(direct);
      for (const member of pair) {
        const person = room.people.get(member.id);
        if (person) showConversation(room, direct, person);
      }
    };
  }

  /** After a catch-up: whoever this host thinks present, but the room does not, has left. */
  leftUnlessPresent(present: ReadonlySet<string>): void {
    for (const person of [...this.room.people.all()]) {
      if (!present.has(person.id)) this.room.leftEverywhere(person.id);
    }
  }

  /** Another host's connection of this identity marked read: its connections here are told. */
  #readElsewhere(peerId: string, conv: string, seq: number): void {
    const person = this.room.people.get(peerId);
    // Markers not loaded yet are read from the store, which has this one, when they are.
    if (person?.reads === undefined || !raiseRead(this.room, person, conv, seq)) return;
    const echo = encodeFrame({ type: 'read', conv, seq });
    for (const member of person.members()) if (member.mode === 'v2') member.channel.send(echo);
  }
}
