/**
 * A MessageStore that lives in memory (the default when the host is given no store).
 * It keeps the full contract, including its timing: an append becomes durable one event-loop
 * turn later, together with every other append of that turn, so host code tested against it
 * meets the same in-flight window as with a disk store.
 */
import type { ChatMessage, Peer, RoomInfo } from '../../../protocol/wire/frames';
import { createRoomId } from '../tokens';
import type { MessageStore } from './message-store';

interface PendingCommit {
  lastSeq: number;
  resolvers: (() => void)[];
  done: Promise<void>;
}

class MemoryStore implements MessageStore {
  private roomInfo: RoomInfo;
  /** Every appended message; seq n lives at index n - 1. */
  private readonly messages: ChatMessage[] = [];
  private durableSeq = 0;
  /** peer id -> say id -> seq, for every appended message (durable or in flight). */
  private readonly sayIds = new Map<string, Map<string, number>>();
  private readonly sessions = new Map<string, Peer>();
  private pending: PendingCommit | undefined;
  private closed = false;

  constructor(roomName: string) {
    this.roomInfo = Object.freeze({ id: createRoomId(), name: roomName });
  }

  get room(): RoomInfo {
    return this.roomInfo;
  }

  get lastSeq(): number {
    return this.messages.length;
  }

  get lastDurableSeq(): number {
    return this.durableSeq;
  }

  append(message: ChatMessage): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the message store is closed'));
    const expected = this.messages.length + 1;
    if (message.seq !== expected) {
      return Promise.reject(new RangeError(`append expected seq ${expected}, got ${message.seq}`));
    }
    const stored = Object.freeze({ ...message, from: Object.freeze({ ...message.from }) });
    this.messages.push(stored);
    let ids = this.sayIds.get(stored.from.id);
    if (!ids) this.sayIds.set(stored.from.id, (ids = new Map()));
    ids.set(stored.id, stored.seq);
    return this.joinCommit(stored.seq);
  }

  findSeqBySayId(peerId: string, sayId: string): number | undefined {
    return this.sayIds.get(peerId)?.get(sayId);
  }

  page(beforeSeq: number, limit: number): ChatMessage[] {
    const last = Math.min(Math.floor(beforeSeq) - 1, this.durableSeq);
    const count = Math.min(Math.floor(limit), last);
    if (!(count > 0)) return [];
    return this.messages.slice(last - count, last);
  }

  saveSession(tokenHash: string, peer: Peer): void {
    this.sessions.set(tokenHash, Object.freeze({ id: peer.id, name: peer.name }));
  }

  findSession(tokenHash: string): Peer | undefined {
    const peer = this.sessions.get(tokenHash);
    return peer && { id: peer.id, name: peer.name };
  }

  renameRoom(name: string): void {
    this.roomInfo = Object.freeze({ id: this.roomInfo.id, name });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.pending?.done;
  }

  /** Appends of one turn share one commit, resolved in append order on the next turn. */
  private joinCommit(seq: number): Promise<void> {
    let commit = this.pending;
    if (!commit) {
      let release!: () => void;
      const done = new Promise<void>((resolve) => (release = resolve));
      const created: PendingCommit = { lastSeq: seq, resolvers: [], done };
      commit = this.pending = created;
      setImmediate(() => {
        this.pending = undefined;
        this.durableSeq = created.lastSeq;
        for (const resolve of created.resolvers) resolve();
        release();
      });
    }
    commit.lastSeq = seq;
    const target = commit;
    return new Promise<void>((resolve) => target.resolvers.push(resolve));
  }
}

export function createMemoryStore(roomName: string): MessageStore {
  return new MemoryStore(roomName);
}
