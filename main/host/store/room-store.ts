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
 * - Reads (`page`, `textEntry`, `lastDurableSeq`, `search`) see only durable entries and only the
 *   effects of durable entries, so nothing is ever shown that a crash could take back and renumber.
 * - The conversations themselves (`conversations`, `lastSeq`) follow every appended entry at once,
 *   in flight included: a channel exists, and a member belongs, from the moment its entry is
 *   appended. If a commit fails they return to what the last good commit left.
 * - `append` refuses (StoreError 'invalid', nothing stored, nothing else in its commit harmed) an
 *   entry out of seq order, one of an unknown conversation, a `channel_created` of an existing id
 *   or a taken name, a membership entry outside a channel (or in `general`), a system entry whose
 *   `by` is not its `from` (same id, name and ephemeral flag), and a (peer id, id) already used.
 * - `findBySayId` sees every appended entry, durable or in flight, so a retry racing its original
 *   is still recognised as a duplicate. Ids are unique per peer across all conversations.
 * - Everything else (`ensureDirect`, `renameChannel`, `saveRead`, `rememberPeer`, sessions) is
 *   written with the next commit without a sync of its own; a crash may take back the last of
 *   these, never an entry (an entry's commit carries every such write made before it).
 */
import type { Peer, RoomInfo } from '../../../protocol/wire/frames';
import type {
  ConversationKind,
  Entry,
  PeerV2,
  SearchHit,
  TextEntry,
} from '../../../protocol/wire/entries';
import type { FileBook } from './file-book';
import type { SearchQuery } from './search-query';

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

/** Where a search looks. */
export interface SearchScope {
  /**
   * The peer id of the person asking: hits come only from what it may read (`general`, every
   * channel, and its own direct conversations).
   */
  reader: string;
  /** Only this conversation (still only if the reader may read it). */
  conv?: string;
}

export interface RoomStore {
  /** The room's identity: the id is created on first open and never changes afterwards. */
  readonly room: RoomInfo;
  /** Renames the room, keeping its id. */
  renameRoom(name: string): void;

  /**
   * Every conversation, in the order they were created (so `general` first): `general` (always
   * there, named `general`), the channels and the direct conversations. Fresh copies.
   */
  conversations(): StoredConversation[];
  /**
   * Creates the direct conversation `id` of two identities unless it exists (`id` must be
   * `directConversationId` of the two distinct peer ids) and remembers the names of members it
   * knows nothing about yet (`rememberPeer`'s names win).
   */
  ensureDirect(id: string, members: readonly [PeerV2, PeerV2]): void;
  /**
   * Renames a channel (not `general`); not a log entry. Throws StoreError 'invalid' for an
   * unknown conversation or a name another conversation holds (by nameKey).
   */
  renameChannel(conv: string, name: string): void;

  /** Highest seq handed to `append` for `conv` (0 for an empty or unknown log). */
  lastSeq(conv: string): number;
  /** Highest durable seq of `conv`. */
  lastDurableSeq(conv: string): number;
  /**
   * Appends one entry (entry.seq must be lastSeq(entry.conv) + 1) with its effects, atomically:
   * - `text`: stored with its text, replyTo and files (any `edited`, `deleted` or `reactions` it
   *   carries are ignored: they only ever come from later entries).
   * - `system` `channel_created` (seq 1 of a new conversation id): creates channel `entry.conv`
   *   (name, topic, creator = from, created = ts), with `from` as its first member;
   *   `joined_channel` / `left_channel`: membership of `from`; `topic`: the conversation's topic
   *   (an empty or absent topic clears it).
   * - `edit`: the target text entry's current text and `edited` = the edit's ts. An edit that
   *   changes nothing (the target is deleted, or not a text entry of this conversation) keeps no
   *   text either.
   * - `delete`: the target's text and files are purged (not hidden: also from the edits of it,
   *   and overwritten on disk) and it is marked deleted, its reactions dropped.
   * - `reaction`: adds (at the end) or removes (from.id, emoji) on a text entry that is not
   *   deleted.
   */
  append(entry: Entry): Promise<void>;
  /** Where the entry a peer added with this client-chosen id is, in flight or durable. */
  findBySayId(peerId: string, sayId: string): { conv: string; seq: number } | undefined;
  /**
   * Durable entries of `conv` with seq < beforeSeq, the newest `limit` of them, oldest first;
   * text entries in their current state (latest text, edited, deleted, reactions: emoji in the
   * order of their oldest current reaction, peers in the order they reacted).
   */
  page(conv: string, beforeSeq: number, limit: number): Entry[];
  /** One durable text entry in its current state, for the rules of edit, delete, react, replyTo. */
  textEntry(conv: string, seq: number): TextEntry | undefined;
  /**
   * The newest `limit` durable text entries in `scope` whose current text matches every term of
   * `query` (search-query.ts), newest first (the order they were appended in, which is `ts`
   * order), each with a snippet of about a dozen words around the matches, every match between
   * MATCH_START and MATCH_END. Deleted messages never match, and an edited one only by its
   * current text. A message whose edit is not durable yet is judged by its durable text.
   */
  search(query: SearchQuery, scope: SearchScope, limit: number): SearchHit[];

  /** The newest seq each conversation was marked read up to by this identity. */
  readMarkers(peerId: string): Record<string, number>;
  /** Raises a read marker (never lowers it). The caller clamps `seq` to the conversation. */
  saveRead(peerId: string, conv: string, seq: number): void;

  /** Remembers the name an identity last used, so its direct conversations can name it offline. */
  rememberPeer(peer: Peer): void;
  /** An identity this room has seen, with the name it last used. */
  knownPeer(peerId: string): Peer | undefined;

  /** Remember a resume token (stored as a hash by the caller) and the peer it belongs to. */
  saveSession(tokenHash: string, peer: PeerV2): void;
  /** The peer of a session; finding it counts as using it (see `pruneSessions`). */
  findSession(tokenHash: string): PeerV2 | undefined;
  /**
   * Forgets sessions neither saved nor found since `before` (ms since the epoch); returns how
   * many. The host calls it at start and daily (30 days of retention by default).
   */
  pruneSessions(before: number): number;

  /** What the room keeps about its files: secret, finished uploads, stored files (file-book.ts). */
  fileBook(): FileBook;

  /** Flushes pending appends and releases resources. Idempotent. */
  close(): Promise<void>;
}

/** Opens (or creates) a store for a room; `roomName` names a room created by this call. */
export type RoomStoreFactory = (roomName: string) => Promise<RoomStore>;
