/**
 * Where a room lives (protocol v2): its conversations, each with its own sequenced log, who is a
 * member of which channel, read markers per identity, the names identities last used, and resume
 * tokens. The host numbers entries itself (seq = lastSeq(conv) + 1, in order per conversation)
 * and relies on the store for durability, the exactly-once memory of client-chosen ids, and
 * everything a restart must find again.
 *
 * Contract:
 * - `append` takes each conversation's entries strictly in seq order and resolves only once the
 *   entry is durable (for a disk store: committed and synced). Appends made in the same turn may
 *   share one commit. A rejected append means the entry is NOT stored: the host must not ack or
 *   broadcast it. Appends resolve in the order they were made, across conversations.
 * - An entry's effects are stored atomically with it (see `append`).
 * - Reads (`page`, `lastDurableSeq`) see only durable entries, so nothing is ever shown that a
 *   crash could take back and renumber.
 * - `findBySayId` sees every appended entry, durable or in flight, so a retry racing its original
 *   is still recognised as a duplicate. Ids are unique per peer across all conversations.
 * - Everything else (`ensureDirect`, `saveRead`, `rememberPeer`, sessions) is written with the next
 *   commit without a sync of its own; a crash may take back the last of these, never an entry.
 */
import type { Peer, RoomInfo } from '../../../protocol/wire/frames';
import type { ConversationKind, Entry, PeerV2, TextEntry } from '../../../protocol/wire/entries';

/** A conversation as the store keeps it. */
export interface StoredConversation {
  id: string;
  kind: ConversationKind;
  /** Channels: the name (unique case-insensitively by nameKey in the room). */
  name?: string;
  topic?: string;
  /** Channels: the peer id of the creator (none for `general`). */
  creator?: string;
  /**
   * Peer ids of the members: a channel's joined members, a direct conversation's two peers.
   * Empty for `general`, which everyone is a member of.
   */
  members: string[];
  /** Highest seq appended (in flight included); 0 for an empty log. */
  lastSeq: number;
  created: number;
}

export interface RoomStore {
  /** The room's identity: the id is created on first open and never changes afterwards. */
  readonly room: RoomInfo;
  /** Renames the room, keeping its id. */
  renameRoom(name: string): void;

  /** Every conversation: `general` (always there), the channels and the direct conversations. */
  conversations(): StoredConversation[];
  /** Creates the direct conversation `id` of two identities unless it exists. */
  ensureDirect(id: string, members: readonly [PeerV2, PeerV2]): void;

  /** Highest seq handed to `append` for `conv` (0 for an empty or unknown log). */
  lastSeq(conv: string): number;
  /** Highest durable seq of `conv`. */
  lastDurableSeq(conv: string): number;
  /**
   * Appends one entry (entry.seq must be lastSeq(entry.conv) + 1) with its effects, atomically:
   * - `system` `channel_created`: creates channel `entry.conv` (name, topic, creator = from),
   *   with `from` as its first member; `joined_channel` / `left_channel`: membership of `from`;
   *   `topic`: the channel's topic.
   * - `edit`: the target text entry's current text and `edited` (nothing if it is deleted).
   * - `delete`: the target's text and files are purged (not hidden) and it is marked deleted,
   *   its reactions dropped.
   * - `reaction`: adds or removes (from.id, emoji) on the target.
   */
  append(entry: Entry): Promise<void>;
  /** Where the entry a peer added with this client-chosen id is, in flight or durable. */
  findBySayId(peerId: string, sayId: string): { conv: string; seq: number } | undefined;
  /**
   * Durable entries of `conv` with seq < beforeSeq, the newest `limit` of them, oldest first;
   * text entries in their current state (latest text, edited, deleted, reactions).
   */
  page(conv: string, beforeSeq: number, limit: number): Entry[];
  /** One durable text entry in its current state, for the rules of edit, delete, react, replyTo. */
  textEntry(conv: string, seq: number): TextEntry | undefined;

  /** The newest seq each conversation was marked read up to by this identity. */
  readMarkers(peerId: string): Record<string, number>;
  /** Raises a read marker (never lowers it). */
  saveRead(peerId: string, conv: string, seq: number): void;

  /** Remembers the name an identity last used, so its direct conversations can name it offline. */
  rememberPeer(peer: Peer): void;
  /** An identity this room has seen, with the name it last used. */
  knownPeer(peerId: string): Peer | undefined;

  /** Remember a resume token (stored as a hash by the caller) and the peer it belongs to. */
  saveSession(tokenHash: string, peer: PeerV2): void;
  findSession(tokenHash: string): PeerV2 | undefined;
  /** Forgets sessions not used since `before` (ms since the epoch); returns how many. */
  pruneSessions(before: number): number;

  /** Flushes pending appends and releases resources. Idempotent. */
  close(): Promise<void>;
}

/** Opens (or creates) a store for a room; `roomName` names a room created by this call. */
export type RoomStoreFactory = (roomName: string) => Promise<RoomStore>;
