/**
 * The RoomStore a host of a shared room runs on: its own store (SQLite, or memory) as a replica of
 * the room in Redis. Reads are local (history, catchups, text entries, sessions, markers, names),
 * so they stay as fast as on one host. Writes go to Redis, which is the truth: entries through the
 * shared log (shared-log.ts), everything else through an outbox of idempotent scripts that keeps
 * their order and retries while Redis is away; each also lands in the replica at once, so this
 * host reads its own writes, and again (harmlessly) when its event comes back through the stream
 * (follower.ts), which is how the other hosts learn of it.
 */
import type { Entry, PeerV2, SearchHit, TextEntry } from '../../../protocol/wire/entries';
import type { Peer, RoomInfo } from '../../../protocol/wire/frames';
import { nameKey } from '../../../protocol/wire/text';
import type { FileBook } from '../store/file-book';
import type { RoomStore, SearchScope, StoredConversation } from '../store/room-store';
import type { SearchQuery } from '../store/search-query';
import { StoreError } from '../store/sqlite-errors';
import type { Durability } from '../store/sqlite-store';
import type { Outbox } from './outbox';
import { UnavailableError } from './redis-link';
import type { SharedRoom } from './shared-room';

const WHERE = 'the shared room';

/**
 * How a host's SQLite replica resolves appends: at the commit, its log synced after. Redis holds
 * every entry durably before any host reads it, and a host that lost the last commits in a power
 * cut reads them again from Redis when it starts (snapshot.ts).
 */
export const REPLICA_DURABILITY: Durability = 'committed';

export class ReplicaStore implements RoomStore {
  /** Called when Redis refused a rename this host already showed (another host took the name). */
  renameRefused: (conv: string) => void = () => {};
  /** Sessions whose admission saved them in Redis: the hello's own save need not again. */
  readonly admitted = new Set<string>();

  constructor(
    /** The host's own store: written by this class and by the follower only. */
    readonly cache: RoomStore,
    private readonly shared: SharedRoom,
    private readonly outbox: Outbox,
  ) {}

  get room(): RoomInfo {
    return this.cache.room;
  }

  renameRoom(name: string): void {
    this.cache.renameRoom(name);
    this.outbox.push(() => this.shared.renameRoom(name));
  }

  conversations(): StoredConversation[] {
    return this.cache.conversations();
  }

  ensureDirect(id: string, members: readonly [PeerV2, PeerV2]): void {
    this.#available('open a direct conversation');
    const exists = this.cache.conversations().some((conversation) => conversation.id === id);
    this.cache.ensureDirect(id, members);
    if (exists) return;
    const [a, b] = members;
    const record = {
      id,
      kind: 'direct' as const,
      members: [
        { id: a.id, name: a.name },
        { id: b.id, name: b.name },
      ] as [PeerV2, PeerV2],
      created: Date.now(),
    };
    this.outbox.push(() => this.shared.openDirect(record));
  }

  /** The replica is renamed when the rename comes back through the stream (Redis decides). */
  renameChannel(conv: string, name: string): void {
    this.#available('rename a channel');
    const refusal = this.cache.conversations().find((c) => c.id === conv);
    if (!refusal || refusal.kind !== 'channel' || conv === 'general') {
      throw new StoreError('invalid', WHERE, `${WHERE}: no channel ${conv} to rename`);
    }
    this.outbox.push(async () => {
      if (!(await this.shared.renameChannel(conv, name, nameKey(name)))) this.renameRefused(conv);
    });
  }

  lastSeq(conv: string): number {
    return this.cache.lastSeq(conv);
  }

  lastDurableSeq(conv: string): number {
    return this.cache.lastDurableSeq(conv);
  }

  /** Entries reach the replica from the stream only (follower.ts), numbered by Redis. */
  append(entry: Entry): Promise<void> {
    return Promise.reject(
      new StoreError('invalid', WHERE, `${WHERE}: ${entry.conv} is appended to through Redis`),
    );
  }

  findBySayId(peerId: string, sayId: string): { conv: string; seq: number } | undefined {
    return this.cache.findBySayId(peerId, sayId);
  }

  page(conv: string, beforeSeq: number, limit: number): Entry[] {
    return this.cache.page(conv, beforeSeq, limit);
  }

  textEntry(conv: string, seq: number): TextEntry | undefined {
    return this.cache.textEntry(conv, seq);
  }

  /** Searched in this host's copy, which follows every conversation of the room. */
  search(query: SearchQuery, scope: SearchScope, limit: number): SearchHit[] {
    return this.cache.search(query, scope, limit);
  }

  /**
   * This host's own: uploads finished here, the files stored under `--files`, and its own file
   * secret. Files therefore work per host for now (docs/scale-out.md says what that means).
   */
  fileBook(): FileBook {
    return this.cache.fileBook();
  }

  readMarkers(peerId: string): Record<string, number> {
    return this.cache.readMarkers(peerId);
  }

  saveRead(peerId: string, conv: string, seq: number): void {
    this.cache.saveRead(peerId, conv, seq);
    this.outbox.push(() => this.shared.raiseRead(peerId, conv, seq));
  }

  rememberPeer(peer: Peer): void {
    const known = this.cache.knownPeer(peer.id);
    this.cache.rememberPeer(peer);
    if (known?.name !== peer.name) {
      this.outbox.push(() => this.shared.rememberPeer(peer.id, peer.name));
    }
  }

  knownPeer(peerId: string): Peer | undefined {
    return this.cache.knownPeer(peerId);
  }

  saveSession(tokenHash: string, peer: PeerV2): void {
    this.cache.saveSession(tokenHash, peer);
    // Its admission (presence.ts) saved it in Redis already, with the same peer.
    if (this.admitted.delete(tokenHash)) return;
    const record = { peer, used: Date.now() };
    this.outbox.push(() => this.shared.saveSession(tokenHash, record));
  }

  findSession(tokenHash: string): PeerV2 | undefined {
    return this.cache.findSession(tokenHash);
  }

  /** Prunes the replica's copy; Redis keeps the room's sessions (docs/scale-out.md). */
  pruneSessions(before: number): number {
    return this.cache.pruneSessions(before);
  }

  close(): Promise<void> {
    return this.cache.close();
  }

  #available(doing: string): void {
    if (!this.shared.isReady) {
      throw new UnavailableError(`cannot ${doing}: Redis is not reachable`);
    }
  }
}
