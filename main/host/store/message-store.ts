import type { ChatMessage, Peer, RoomInfo } from '../../../protocol/wire/frames';

/**
 * Where a room's history lives. The host numbers messages itself (seq = lastSeq + 1, in order)
 * and relies on the store for durability, the exactly-once memory of `say` ids, and resume tokens.
 *
 * Contract:
 * - `append` takes messages strictly in seq order and resolves only once the message is durable
 *   (for a disk store: committed and synced). Appends made in the same turn may share one commit.
 *   A rejected append means the message is NOT stored: the host must not ack or broadcast it.
 * - Appends resolve in the order they were made.
 * - Reads (`page`, `lastDurableSeq`) see only durable messages, so nothing is ever shown that a
 *   crash could take back and renumber.
 * - `findSeqBySayId` sees every appended message, durable or in flight, so a retry racing its
 *   original is still recognised as a duplicate.
 */
export interface MessageStore {
  /** The room's identity: the id is created on first open and never changes afterwards. */
  readonly room: RoomInfo;
  /** Highest seq handed to `append` so far (0 for an empty room). */
  readonly lastSeq: number;
  /** Highest seq that is durable. */
  readonly lastDurableSeq: number;
  append(message: ChatMessage): Promise<void>;
  findSeqBySayId(peerId: string, sayId: string): number | undefined;
  /** Durable messages with seq < beforeSeq, the newest `limit` of them, oldest first. */
  page(beforeSeq: number, limit: number): ChatMessage[];
  /** Remember a resume token (stored as a hash by the caller) and the peer it belongs to. */
  saveSession(tokenHash: string, peer: Peer): void;
  findSession(tokenHash: string): Peer | undefined;
  /** Renames the room, keeping its id. */
  renameRoom(name: string): void;
  /** Flushes pending appends and releases resources. Idempotent. */
  close(): Promise<void>;
}

/** Opens (or creates) a store for a room; `roomName` names a room created by this call. */
export type MessageStoreFactory = (roomName: string) => Promise<MessageStore>;
