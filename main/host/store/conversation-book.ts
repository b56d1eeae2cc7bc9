/**
 * The conversations of a room as both stores keep them in memory: which exist, their names and
 * topics, who belongs to which channel, and each log's lastSeq, all following every appended
 * entry at once (in flight included). It also holds the structural rules of `append`, so the
 * memory and SQLite stores refuse exactly the same entries.
 */
import type { Entry, PeerV2, SystemEntry } from '../../../protocol/wire/entries';
import { directConversationId, GENERAL } from '../../../protocol/wire/identity';
import { nameKey } from '../../../protocol/wire/text';
import type { StoredConversation } from './room-store';

const copy = (conversation: StoredConversation): StoredConversation => ({
  ...conversation,
  members: [...conversation.members],
});

/** The channel a `channel_created` entry creates: its creator is its first member. */
export function createdChannel(entry: SystemEntry): StoredConversation {
  const channel: StoredConversation = {
    id: entry.conv,
    kind: 'channel',
    name: entry.name ?? '',
    creator: entry.from.id,
    members: [entry.from.id],
    lastSeq: entry.seq,
    created: entry.ts,
  };
  if (entry.topic) channel.topic = entry.topic;
  return channel;
}

/** The direct conversation `id` of two peers. */
export function directConversation(
  id: string,
  members: readonly [PeerV2, PeerV2],
  created: number,
): StoredConversation {
  return { id, kind: 'direct', members: members.map((peer) => peer.id), lastSeq: 0, created };
}

export class ConversationBook {
  /** By id, in creation order. */
  readonly #conversations = new Map<string, StoredConversation>();
  /** Channel name keys to channel ids. */
  readonly #names = new Map<string, string>();

  /** A book holding `conversations` (which must include `general`), oldest first. */
  constructor(conversations: Iterable<StoredConversation>) {
    for (const conversation of conversations) this.#add(copy(conversation));
    if (!this.#conversations.has(GENERAL)) throw new Error('a room always has general');
  }

  /** The book of a new room: `general` alone, created at `created`. */
  static fresh(created: number): ConversationBook {
    return new ConversationBook([ConversationBook.general(created)]);
  }

  static general(created: number): StoredConversation {
    return { id: GENERAL, kind: 'channel', name: GENERAL, members: [], lastSeq: 0, created };
  }

  list(): StoredConversation[] {
    return [...this.#conversations.values()].map(copy);
  }

  has(id: string): boolean {
    return this.#conversations.has(id);
  }

  /** Whether `peerId` may read conversation `id`: any channel, or a direct one it is in. */
  readableBy(id: string, peerId: string): boolean {
    const conversation = this.#conversations.get(id);
    return (
      conversation !== undefined &&
      (conversation.kind !== 'direct' || conversation.members.includes(peerId))
    );
  }

  lastSeq(id: string): number {
    return this.#conversations.get(id)?.lastSeq ?? 0;
  }

  /** Why `entry` (already checked by checkEntry) cannot be appended now; undefined if it can. */
  refusal(entry: Entry): string | undefined {
    const conversation = this.#conversations.get(entry.conv);
    if (entry.kind === 'system' && entry.event === 'channel_created') {
      if (conversation) return `conversation ${entry.conv} already exists`;
      if (entry.seq !== 1) return `a channel starts at seq 1, not ${entry.seq}`;
      if (entry.name === undefined) return 'channel_created needs the channel name';
      return this.nameRefusal(entry.name, entry.conv);
    }
    if (!conversation) return `no conversation ${entry.conv}`;
    if (entry.seq !== conversation.lastSeq + 1) {
      return `expected seq ${conversation.lastSeq + 1} in ${entry.conv}, got ${entry.seq}`;
    }
    const membership =
      entry.kind === 'system' &&
      (entry.event === 'joined_channel' || entry.event === 'left_channel');
    if (membership && (conversation.kind !== 'channel' || conversation.id === GENERAL)) {
      return `${entry.event} only happens in a channel other than general`;
    }
    return undefined;
  }

  /** Why `name` cannot name channel `conv`; undefined if it can. */
  nameRefusal(name: string, conv: string): string | undefined {
    if (name.length === 0) return 'a channel needs a name';
    const holder = this.#names.get(nameKey(name));
    return holder !== undefined && holder !== conv ? `the name ${name} is taken` : undefined;
  }

  /** Applies an appended entry (refusal() said yes): lastSeq and its effects on conversations. */
  apply(entry: Entry): void {
    if (entry.kind === 'system' && entry.event === 'channel_created') {
      this.#add(createdChannel(entry));
      return;
    }
    const conversation = this.#conversations.get(entry.conv)!;
    conversation.lastSeq = entry.seq;
    if (entry.kind !== 'system') return;
    const { members } = conversation;
    if (entry.event === 'joined_channel' && !members.includes(entry.from.id)) {
      members.push(entry.from.id);
    } else if (entry.event === 'left_channel' && members.includes(entry.from.id)) {
      members.splice(members.indexOf(entry.from.id), 1);
    } else if (entry.event === 'topic') {
      if (entry.topic) conversation.topic = entry.topic;
      else delete conversation.topic;
    }
  }

  /** Why `id` cannot be the direct conversation of `members`; undefined if it can. */
  directRefusal(id: string, members: readonly [PeerV2, PeerV2]): string | undefined {
    const [a, b] = members;
    if (a.id === b.id) return 'a direct conversation needs two different peers';
    if (id !== directConversationId(a.id, b.id)) return `${id} is not the id of that pair`;
    const existing = this.#conversations.get(id);
    return existing && existing.kind !== 'direct'
      ? `${id} is not a direct conversation`
      : undefined;
  }

  /** Adds the direct conversation unless it exists (directRefusal() said yes); true if added. */
  addDirect(id: string, members: readonly [PeerV2, PeerV2], created: number): boolean {
    if (this.#conversations.has(id)) return false;
    this.#add(directConversation(id, members, created));
    return true;
  }

  /** Why channel `conv` cannot be renamed `name`; undefined if it can. */
  renameRefusal(conv: string, name: string): string | undefined {
    const conversation = this.#conversations.get(conv);
    if (!conversation || conversation.kind !== 'channel') return `no channel ${conv}`;
    if (conv === GENERAL) return 'general keeps its name';
    return this.nameRefusal(name, conv);
  }

  rename(conv: string, name: string): void {
    const conversation = this.#conversations.get(conv)!;
    this.#names.delete(nameKey(conversation.name!));
    conversation.name = name;
    this.#names.set(nameKey(name), conv);
  }

  #add(conversation: StoredConversation): void {
    this.#conversations.set(conversation.id, conversation);
    if (conversation.kind === 'channel' && conversation.name !== undefined) {
      this.#names.set(nameKey(conversation.name), conversation.id);
    }
  }
}
