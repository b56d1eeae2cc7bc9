/**
 * The room's conversations as the host works with them: `general`, the channels and the direct
 * conversations, who may read and post where, and how far each log is numbered (`lastSeq`) and
 * shown (`shownSeq`). Started from the store's conversations and then kept in step with what the
 * host appends, at the moment it appends (as the store's own view is): a member may post from the
 * moment its `joined_channel` entry is appended.
 *
 * Entries of a conversation go to its audience (audience.ts), the live parley.v2 connections of
 * its members, which follows what is shown: a member's connections enter it once its membership
 * is broadcast (the catchup it then gets holds everything before).
 */
import type { ConversationKind } from '../../protocol/wire/entries';
import { GENERAL } from '../../protocol/wire/identity';
import { nameKey } from '../../protocol/wire/text';
import { Audience } from './audience';
import type { RoomStore, StoredConversation } from './store/room-store';

export class Conversation {
  readonly id: string;
  readonly kind: ConversationKind;
  name: string | undefined;
  topic: string | undefined;
  readonly creator: string | undefined;
  /** Peer ids: a channel's members, a direct conversation's two; empty for `general`. */
  readonly members: Set<string>;
  /** Highest seq appended. */
  lastSeq: number;
  /** Highest seq broadcast: what clients are shown (welcomes, catchups, history) ends here. */
  shownSeq: number;
  /** Live parley.v2 connections its entries go to (unused for `general`: everyone). */
  readonly audience = new Audience();

  constructor(stored: StoredConversation, shownSeq: number) {
    this.id = stored.id;
    this.kind = stored.kind;
    this.name = stored.name;
    this.topic = stored.topic;
    this.creator = stored.creator;
    this.members = new Set(stored.members);
    this.lastSeq = stored.lastSeq;
    this.shownSeq = shownSeq;
  }

  get isGeneral(): boolean {
    return this.id === GENERAL;
  }

  get isDirect(): boolean {
    return this.kind === 'direct';
  }

  /** Whether `personId` may read it (history, read markers, typing): channels are open to all. */
  readableBy(personId: string): boolean {
    return !this.isDirect || this.members.has(personId);
  }

  /** Whether `personId` takes part: gets its entries and may post. */
  hasMember(personId: string): boolean {
    return this.isGeneral || this.members.has(personId);
  }
}

export class Conversations {
  private readonly byId = new Map<string, Conversation>();
  /** Channel nameKeys (`general` included) to channel ids. */
  private readonly channelNames = new Map<string, string>();
  /** Person id -> the channels and direct conversations it is a member of. */
  private readonly memberships = new Map<string, Set<Conversation>>();
  readonly general: Conversation;

  constructor(store: RoomStore) {
    for (const stored of store.conversations()) {
      this.add(new Conversation(stored, store.lastDurableSeq(stored.id)));
    }
    let general = this.byId.get(GENERAL);
    if (!general) {
      general = new Conversation(
        { id: GENERAL, kind: 'channel', members: [], lastSeq: 0, created: 0 },
        0,
      );
      this.add(general);
    }
    this.general = general;
  }

  get(id: string): Conversation | undefined {
    return this.byId.get(id);
  }

  /** The channel holding `name` (by nameKey), if any. */
  channelNamed(name: string): Conversation | undefined {
    const id = this.channelNames.get(nameKey(name));
    return id === undefined ? undefined : this.byId.get(id);
  }

  /** Every channel, `general` included, in creation order. */
  *channels(): IterableIterator<Conversation> {
    for (const conversation of this.byId.values()) {
      if (!conversation.isDirect) yield conversation;
    }
  }

  /** How many channels there are besides `general`. */
  get channelCount(): number {
    return this.channelNames.size - 1;
  }

  /** The channels and direct conversations `personId` is a member of (not `general`). */
  memberOf(personId: string): ReadonlySet<Conversation> {
    return this.memberships.get(personId) ?? EMPTY;
  }

  add(conversation: Conversation): void {
    this.byId.set(conversation.id, conversation);
    if (!conversation.isDirect && conversation.name !== undefined) {
      this.channelNames.set(nameKey(conversation.name), conversation.id);
    }
    for (const member of conversation.members) this.index(member, conversation);
  }

  addMember(conversation: Conversation, personId: string): void {
    conversation.members.add(personId);
    this.index(personId, conversation);
  }

  removeMember(conversation: Conversation, personId: string): void {
    conversation.members.delete(personId);
    const joined = this.memberships.get(personId);
    joined?.delete(conversation);
    if (joined?.size === 0) this.memberships.delete(personId);
  }

  rename(channel: Conversation, name: string): void {
    if (channel.name !== undefined) this.channelNames.delete(nameKey(channel.name));
    channel.name = name;
    this.channelNames.set(nameKey(name), channel.id);
  }

  private index(personId: string, conversation: Conversation): void {
    let joined = this.memberships.get(personId);
    if (!joined) this.memberships.set(personId, (joined = new Set()));
    joined.add(conversation);
  }
}

const EMPTY: ReadonlySet<Conversation> = new Set();
