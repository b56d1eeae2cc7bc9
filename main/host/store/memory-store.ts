/**
 * A RoomStore that lives in memory (the default when the host is given no store).
 * It keeps the full contract, including its timing: an append becomes durable one event-loop
 * turn later, together with every other append of that turn, and only then shows in `page` or
 * changes the state of the entry it targets, so host code tested against it meets the same
 * in-flight window as with a disk store.
 */
import type { Peer, RoomInfo } from '../../../protocol/wire/frames';
import type { Entry, PeerV2, SearchHit, TextEntry } from '../../../protocol/wire/entries';
import { createRoomId } from '../tokens';
import { ConversationBook } from './conversation-book';
import { MemoryFileBook, type FileBook } from './file-book';
import { MemoryLogs } from './memory-log';
import type { RoomStore, SearchScope, StoredConversation } from './room-store';
import { matchSnippet } from './search-match';
import type { SearchQuery } from './search-query';
import { StoreError } from './sqlite-errors';
import { checkEntry } from './stored-entry';

/** What StoreErrors of this store name instead of a file. */
const WHERE = 'the memory store';

interface PendingCommit {
  entries: Entry[];
  resolvers: (() => void)[];
  done: Promise<void>;
}

const peerCopy = (peer: PeerV2): PeerV2 =>
  peer.ephemeral
    ? { id: peer.id, name: peer.name, ephemeral: true }
    : { id: peer.id, name: peer.name };

class MemoryStore implements RoomStore {
  #room: RoomInfo;
  readonly #book = ConversationBook.fresh(Date.now());
  readonly #logs = new MemoryLogs();
  /** peer id -> client-chosen id -> where, for every appended entry (durable or in flight). */
  readonly #sayIds = new Map<string, Map<string, { conv: string; seq: number }>>();
  readonly #reads = new Map<string, Map<string, number>>();
  readonly #names = new Map<string, string>();
  readonly #sessions = new Map<string, { peer: PeerV2; used: number }>();
  #pending: PendingCommit | undefined;
  #closed = false;
  #fileBook: FileBook | undefined;

  constructor(roomName: string, roomId: string) {
    this.#room = Object.freeze({ id: roomId, name: roomName });
  }

  get room(): RoomInfo {
    return this.#room;
  }

  renameRoom(name: string): void {
    this.#open('rename the room');
    this.#room = Object.freeze({ id: this.#room.id, name });
  }

  conversations(): StoredConversation[] {
    return this.#book.list();
  }

  ensureDirect(id: string, members: readonly [PeerV2, PeerV2]): void {
    this.#open('open a direct conversation');
    const refusal = this.#book.directRefusal(id, members);
    if (refusal) throw invalid(refusal);
    this.#book.addDirect(id, members, Date.now());
    for (const member of members) {
      if (!this.#names.has(member.id)) this.#names.set(member.id, member.name);
    }
  }

  renameChannel(conv: string, name: string): void {
    this.#open('rename a channel');
    const refusal = this.#book.renameRefusal(conv, name);
    if (refusal) throw invalid(refusal);
    this.#book.rename(conv, name);
  }

  lastSeq(conv: string): number {
    return this.#book.lastSeq(conv);
  }

  lastDurableSeq(conv: string): number {
    return this.#logs.lastDurableSeq(conv);
  }

  append(entry: Entry): Promise<void> {
    if (this.#closed) return Promise.reject(closed('append'));
    const checked = checkEntry(entry);
    if (!checked.ok) return Promise.reject(invalid(checked.problem));
    const stored = checked.entry;
    const refusal = this.#book.refusal(stored) ?? this.#duplicate(stored);
    if (refusal) return Promise.reject(invalid(refusal));
    this.#book.apply(stored);
    this.#logs.append(stored);
    let ids = this.#sayIds.get(stored.from.id);
    if (!ids) this.#sayIds.set(stored.from.id, (ids = new Map()));
    ids.set(stored.id, { conv: stored.conv, seq: stored.seq });
    return this.#joinCommit(stored);
  }

  findBySayId(peerId: string, sayId: string): { conv: string; seq: number } | undefined {
    const found = this.#sayIds.get(peerId)?.get(sayId);
    return found && { ...found };
  }

  page(conv: string, beforeSeq: number, limit: number): Entry[] {
    return this.#logs.page(conv, beforeSeq, limit);
  }

  textEntry(conv: string, seq: number): TextEntry | undefined {
    return this.#logs.textEntry(conv, seq);
  }

  search(query: SearchQuery, scope: SearchScope, limit: number): SearchHit[] {
    const hits: SearchHit[] = [];
    if (!(limit >= 1)) return hits;
    for (const entry of this.#logs.textsNewestFirst()) {
      if (entry.deleted || (scope.conv !== undefined && entry.conv !== scope.conv)) continue;
      if (!this.#book.readableBy(entry.conv, scope.reader)) continue;
      const snippet = matchSnippet(entry.text, query);
      if (snippet === undefined) continue;
      const { conv, seq, from, ts } = entry;
      hits.push({ conv, seq, from, ts, snippet });
      if (hits.length >= limit) break;
    }
    return hits;
  }

  readMarkers(peerId: string): Record<string, number> {
    return Object.fromEntries(this.#reads.get(peerId) ?? []);
  }

  saveRead(peerId: string, conv: string, seq: number): void {
    this.#open('save a read marker');
    if (!Number.isSafeInteger(seq) || seq < 0) throw invalid(`bad read marker ${seq}`);
    let markers = this.#reads.get(peerId);
    if (!markers) this.#reads.set(peerId, (markers = new Map()));
    markers.set(conv, Math.max(markers.get(conv) ?? 0, seq));
  }

  rememberPeer(peer: Peer): void {
    this.#open('remember a peer');
    this.#names.set(peer.id, peer.name);
  }

  knownPeer(peerId: string): Peer | undefined {
    const name = this.#names.get(peerId);
    return name === undefined ? undefined : { id: peerId, name };
  }

  saveSession(tokenHash: string, peer: PeerV2): void {
    this.#open('save a session');
    this.#sessions.set(tokenHash, { peer: peerCopy(peer), used: Date.now() });
  }

  findSession(tokenHash: string): PeerV2 | undefined {
    const session = this.#sessions.get(tokenHash);
    if (!session) return undefined;
    session.used = Date.now();
    return peerCopy(session.peer);
  }

  pruneSessions(before: number): number {
    this.#open('prune sessions');
    let pruned = 0;
    for (const [hash, { used }] of this.#sessions) {
      if (used < before && this.#sessions.delete(hash)) pruned++;
    }
    return pruned;
  }

  fileBook(): FileBook {
    return (this.#fileBook ??= new MemoryFileBook(this));
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#pending?.done;
  }

  #duplicate(entry: Entry): string | undefined {
    const found = this.findBySayId(entry.from.id, entry.id);
    return found && `id ${entry.id} is already ${found.conv} seq ${found.seq}`;
  }

  #open(doing: string): void {
    if (this.#closed) throw closed(doing);
  }

  /** Appends of one turn share one commit, made durable in append order on the next turn. */
  #joinCommit(entry: Entry): Promise<void> {
    let commit = this.#pending;
    if (!commit) {
      let release!: () => void;
      const done = new Promise<void>((resolve) => (release = resolve));
      const created: PendingCommit = { entries: [], resolvers: [], done };
      commit = this.#pending = created;
      setImmediate(() => {
        this.#pending = undefined;
        for (const { conv } of created.entries) this.#logs.commit(conv);
        for (const resolve of created.resolvers) resolve();
        release();
      });
    }
    commit.entries.push(entry);
    const target = commit;
    return new Promise<void>((resolve) => target.resolvers.push(resolve));
  }
}

function invalid(detail: string): StoreError {
  return new StoreError('invalid', WHERE, `${WHERE}: ${detail}`);
}

function closed(doing: string): StoreError {
  return new StoreError('closed', WHERE, `cannot ${doing}: ${WHERE} is closed`);
}

/** `roomId`: a replica's, of a room several hosts share; a new random one otherwise. */
export function createMemoryStore(roomName: string, roomId: string = createRoomId()): RoomStore {
  return new MemoryStore(roomName, roomId);
}
