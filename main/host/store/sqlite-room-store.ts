/**
 * The RoomStore over an open parley.db: the conversations and the in-flight window in memory,
 * the exactly-once check, reads through the durable view, and the rules of every call. How
 * queued writes reach the disk is sqlite-commits.ts.
 */
import type Database from 'libsql';
import * as v from 'valibot';
import { peerV2Schema } from '../../../protocol/wire/entries';
import type { Entry, PeerV2, SearchHit, TextEntry } from '../../../protocol/wire/entries';
import { peerSchema } from '../../../protocol/wire/frames';
import type { Peer, RoomInfo } from '../../../protocol/wire/frames';
import { ConversationBook } from './conversation-book';
import type { FileBook } from './file-book';
import type { RoomStore, SearchScope, StoredConversation } from './room-store';
import { SayIdIndex, type SayIdIndexOptions } from './say-id-index';
import { SqliteFileBook } from './sqlite-file-book';
import { matchSnippet } from './search-match';
import type { SearchQuery } from './search-query';
import { GroupCommits, type CommitInfo, type Durability } from './sqlite-commits';
import { inTransaction } from './sqlite-connection';
import { StoreError, toStoreError } from './sqlite-errors';
import type { DirectoryLock } from './sqlite-lock';
import type { LogStatements } from './sqlite-log-statements';
import { appendsOf, type ConversationWrite, type PendingBatch } from './sqlite-pending';
import type { SearchStatements } from './sqlite-search';
import type { SearchIndexer } from './sqlite-search-indexer';
import type { SideStatements } from './sqlite-side-statements';
import { checkEntry } from './stored-entry';
import type { WalCheckpointer } from './wal-checkpointer';
import type { WalSync } from './wal-sync';

const stringSchema = v.string();
const seqSchema = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const pageArgumentsSchema = v.object({
  conv: v.string(),
  beforeSeq: v.number(),
  limit: v.number(),
});
const searchArgumentsSchema = v.object({
  query: v.pipe(
    v.array(v.object({ text: v.string(), prefix: v.boolean() })),
    v.minLength(1, 'a search needs a term'),
  ),
  scope: v.object({ reader: v.string(), conv: v.optional(v.string()) }),
  limit: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
});
const directSchema = v.object({ id: v.string(), members: v.tuple([peerV2Schema, peerV2Schema]) });

/** What an open store holds; dropped on close so libsql can really close the connection. */
export interface Connection {
  db: Database.Database;
  log: LogStatements;
  side: SideStatements;
  search: SearchStatements;
  /** Indexes committed texts for search in batches (sqlite-search-indexer.ts). */
  index: SearchIndexer;
  lock: DirectoryLock;
  wal: WalSync;
  /** Folds the log into the file off the event loop (wal-checkpointer.ts). */
  checkpointer: WalCheckpointer;
}

export interface StoreParts extends Connection {
  file: string;
  room: RoomInfo;
  onCommit: (commit: CommitInfo) => void;
  durability: Durability;
  sayIds: Partial<SayIdIndexOptions>;
}

export class SqliteRoomStore implements RoomStore {
  readonly #file: string;
  /**
   * libsql closes a connection only once its prepared statements are garbage, so the store lets
   * go of them at close; a host that keeps the closed store object around then holds no file.
   */
  #connection: Connection | undefined;
  #room: RoomInfo;
  #book: ConversationBook;
  readonly #durable = new Map<string, number>();
  readonly #sayIds: SayIdIndex;
  readonly #commits: GroupCommits;
  #fileBook: FileBook | undefined;
  /** Set as soon as close() is called, so nothing (not even an onCommit callback) queues more. */
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(parts: StoreParts) {
    const { file, room, onCommit, durability, sayIds, ...connection } = parts;
    this.#connection = connection;
    this.#file = file;
    this.#room = Object.freeze({ ...room });
    this.#book = this.#loadBook();
    for (const { id, lastSeq } of this.#book.list()) this.#durable.set(id, lastSeq);
    this.#sayIds = new SayIdIndex(
      {
        idsOf: (peerId, limit) =>
          this.#read('look up an id', ({ log }) => log.sayIdsOf(peerId, limit)),
        locate: (peerId, sayId) =>
          this.#read('look up an id', ({ log }) => log.locateSayId(peerId, sayId)),
      },
      sayIds,
    );
    this.#commits = new GroupCommits({
      file,
      live: () => this.#live(),
      onCommit,
      durability,
      rolledBack: (batch) => this.#rolledBack(batch),
      madeDurable: (appends) => {
        for (const { entry } of appends) {
          this.#durable.set(entry.conv, entry.seq);
          this.#sayIds.durable(entry.from.id, entry.id);
        }
        if (appends.some(({ entry }) => entry.kind === 'delete')) this.#purgeLogSoon();
      },
    });
  }

  get room(): RoomInfo {
    return this.#room;
  }

  renameRoom(name: string): void {
    this.#check(stringSchema, name, 'room name');
    if (this.#closed) throw this.#closedError('rename the room');
    this.#read('rename the room', ({ side }) => side.renameRoom(name));
    this.#room = Object.freeze({ id: this.#room.id, name });
    // Committed without a sync of its own: the next one carries it to disk.
    this.#commits.committedAside(0);
  }

  conversations(): StoredConversation[] {
    return this.#book.list();
  }

  ensureDirect(id: string, members: readonly [PeerV2, PeerV2]): void {
    const parsed = this.#check(directSchema, { id, members }, 'direct conversation');
    if (this.#closed) throw this.#closedError('open a direct conversation');
    const refusal = this.#book.directRefusal(id, parsed.members);
    if (refusal) throw this.#invalid(refusal);
    const created = Date.now();
    if (!this.#book.addDirect(id, parsed.members, created)) return;
    this.#commits.pending.op({ kind: 'direct', id, members: parsed.members, created });
    for (const member of parsed.members) {
      if (!this.knownPeer(member.id)) this.#commits.pending.identity(member, Date.now());
    }
    this.#commits.schedule();
  }

  renameChannel(conv: string, name: string): void {
    this.#check(stringSchema, conv, 'conversation id');
    this.#check(stringSchema, name, 'channel name');
    if (this.#closed) throw this.#closedError('rename a channel');
    const refusal = this.#book.renameRefusal(conv, name);
    if (refusal) throw this.#invalid(refusal);
    this.#book.rename(conv, name);
    this.#commits.pending.op({ kind: 'rename', conv, name });
    this.#commits.schedule();
  }

  lastSeq(conv: string): number {
    return this.#book.lastSeq(conv);
  }

  lastDurableSeq(conv: string): number {
    return this.#durable.get(conv) ?? 0;
  }

  append(entry: Entry): Promise<void> {
    if (this.#closed) return Promise.reject(this.#closedError('append'));
    if (this.#commits.failure) return Promise.reject(this.#commits.failure);
    const checked = checkEntry(entry);
    if (!checked.ok) return Promise.reject(this.#invalid(checked.problem));
    const stored = checked.entry;
    let refusal = this.#book.refusal(stored);
    if (!refusal) {
      let existing: { conv: string; seq: number } | undefined;
      try {
        existing = this.#sayIds.find(stored.from.id, stored.id);
      } catch (error) {
        return Promise.reject(toStoreError(error, this.#file, 'look up an id'));
      }
      // Storing it would break UNIQUE (peer_id, say_id) and fail every append of the commit.
      if (existing) refusal = `id ${stored.id} is already ${existing.conv} seq ${existing.seq}`;
    }
    if (refusal) return Promise.reject(this.#invalid(refusal));
    this.#book.apply(stored);
    this.#sayIds.added(stored.from.id, stored.id, { conv: stored.conv, seq: stored.seq });
    const done = new Promise<void>((resolve, reject) => {
      this.#commits.pending.op({ kind: 'append', entry: stored, resolve, reject });
    });
    this.#commits.schedule();
    return done;
  }

  findBySayId(peerId: string, sayId: string): { conv: string; seq: number } | undefined {
    this.#check(stringSchema, peerId, 'peer id');
    this.#check(stringSchema, sayId, 'id');
    if (this.#closed) return undefined;
    return this.#sayIds.find(peerId, sayId);
  }

  page(conv: string, beforeSeq: number, limit: number): Entry[] {
    this.#check(pageArgumentsSchema, { conv, beforeSeq, limit }, 'page arguments');
    if (this.#closed) return [];
    // The table may hold committed rows not yet durable; clamping also keeps Infinity out.
    const before = Math.min(Math.floor(beforeSeq), this.lastDurableSeq(conv) + 1);
    const count = Math.min(Math.floor(limit), before - 1);
    if (!(count > 0)) return [];
    const entries = this.#read('read history', ({ log }) => log.page(conv, before, count));
    return this.#commits.view.apply(entries);
  }

  textEntry(conv: string, seq: number): TextEntry | undefined {
    this.#check(stringSchema, conv, 'conversation id');
    this.#check(seqSchema, seq, 'seq');
    if (this.#closed || seq > this.lastDurableSeq(conv)) return undefined;
    return (
      this.#commits.view.textEntry(conv, seq) ??
      this.#read('read history', ({ log }) => log.textEntry(conv, seq))
    );
  }

  search(query: SearchQuery, scope: SearchScope, limit: number): SearchHit[] {
    this.#check(searchArgumentsSchema, { query, scope, limit }, 'search arguments');
    if (this.#closed) return [];
    return this.#read('search', ({ search, index }) => {
      // Every text committed so far is in the index before it is read.
      index.indexNow();
      const hits: SearchHit[] = [];
      for (const hit of search.hits(query, scope, limit)) {
        // The file may hold commits not yet durable: their entries and effects are not shown.
        if (hit.seq > this.lastDurableSeq(hit.conv)) continue;
        const durable = this.#commits.view.textEntry(hit.conv, hit.seq);
        if (durable) {
          // The index has the text a pending edit gave it; the durable text decides.
          const snippet = durable.deleted ? undefined : matchSnippet(durable.text, query);
          if (snippet === undefined) continue;
          hits.push({ ...hit, snippet });
        } else {
          hits.push(hit);
        }
        if (hits.length === limit) break;
      }
      return hits;
    });
  }

  readMarkers(peerId: string): Record<string, number> {
    this.#check(stringSchema, peerId, 'peer id');
    if (this.#closed) return {};
    const markers = this.#read('read markers', ({ side }) => side.readMarkers(peerId));
    for (const [conv, seq] of this.#commits.pending.readsOf(peerId) ?? []) {
      markers[conv] = Math.max(markers[conv] ?? 0, seq);
    }
    return markers;
  }

  saveRead(peerId: string, conv: string, seq: number): void {
    this.#check(stringSchema, peerId, 'peer id');
    this.#check(stringSchema, conv, 'conversation id');
    this.#check(seqSchema, seq, 'read marker');
    if (this.#closed) throw this.#closedError('save a read marker');
    this.#commits.pending.read(peerId, conv, seq);
    this.#commits.schedule();
  }

  rememberPeer(peer: Peer): void {
    const { id, name } = this.#check(peerSchema, peer, 'peer');
    if (this.#closed) throw this.#closedError('remember a peer');
    this.#commits.pending.identity({ id, name }, Date.now());
    this.#commits.schedule();
  }

  knownPeer(peerId: string): Peer | undefined {
    this.#check(stringSchema, peerId, 'peer id');
    if (this.#closed) return undefined;
    return (
      this.#commits.pending.identityOf(peerId) ??
      this.#read('read a name', ({ side }) => side.identity(peerId))
    );
  }

  saveSession(tokenHash: string, peer: PeerV2): void {
    this.#check(stringSchema, tokenHash, 'token hash');
    const { id, name, ephemeral } = this.#check(peerV2Schema, peer, 'peer');
    if (this.#closed) throw this.#closedError('save a session');
    const saved: PeerV2 = ephemeral ? { id, name, ephemeral } : { id, name };
    this.#commits.pending.session({ kind: 'save', tokenHash, peer: saved, at: Date.now() });
    this.#commits.schedule();
  }

  findSession(tokenHash: string): PeerV2 | undefined {
    this.#check(stringSchema, tokenHash, 'token hash');
    if (this.#closed) return undefined;
    const queued = this.#commits.pending.sessionOf(tokenHash);
    const peer =
      queued?.kind === 'save'
        ? { ...queued.peer }
        : this.#read('find a session', ({ side }) => side.session(tokenHash));
    if (peer) {
      // Using a session keeps it from being pruned; a queued save already counts as a use.
      const at = Date.now();
      this.#commits.pending.session(
        queued?.kind === 'save' ? { ...queued, at } : { kind: 'touch', tokenHash, at },
      );
      this.#commits.schedule();
    }
    return peer;
  }

  pruneSessions(before: number): number {
    this.#check(v.number(), before, 'time');
    if (this.#closed) throw this.#closedError('prune sessions');
    const { db, side } = this.#live();
    // Queued uses count: they are written first, in the same transaction as the prune.
    const sessions = this.#commits.pending.takeSessions();
    let pruned: number;
    try {
      pruned = inTransaction(db, () => {
        for (const write of sessions) side.writeSession(write);
        return side.pruneSessions(before);
      });
    } catch (cause) {
      this.#commits.pending.restoreSessions(sessions);
      throw toStoreError(cause, this.#file, 'prune sessions');
    }
    this.#commits.committedAside(sessions.length + pruned);
    return pruned;
  }

  fileBook(): FileBook {
    // Its writes ride on the next sync, like the room's name.
    this.#fileBook ??= new SqliteFileBook(
      () => this.#live().db,
      this.#file,
      () => this.#commits.committedAside(1),
    );
    return this.#fileBook;
  }

  close(): Promise<void> {
    if (!this.#closing) {
      this.#closed = true;
      this.#closing = this.#shutDown();
    }
    return this.#closing;
  }

  async #shutDown(): Promise<void> {
    const { db, lock, wal, checkpointer } = this.#live();
    try {
      await this.#commits.settle();
      // Its connection closes first, so this one is the last and cuts the log below.
      await checkpointer.close();
      try {
        // The file at rest has every text indexed (the next open would do it otherwise).
        this.#live().index.indexNow();
      } catch {
        // Indexed at the next open instead.
      }
      await wal.close().catch(() => {});
      try {
        // Folds the log into parley.db so the directory is one self-contained file at rest.
        db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
      } catch {
        // Nothing is lost: the log stays and is replayed at the next open.
      }
    } finally {
      this.#connection = undefined;
      db.close();
      lock.release();
    }
  }

  /** The conversations as the file has them, each with the lastSeq of its stored log. */
  #loadBook(): ConversationBook {
    return this.#read('read the conversations', ({ side, log }) => {
      const conversations = side.conversations();
      for (const conversation of conversations) conversation.lastSeq = log.maxSeq(conversation.id);
      return new ConversationBook(conversations);
    });
  }

  /**
   * After a failed commit the file holds what the last good commit left: the conversations
   * return to it (their lastSeq too, so numbering resumes after the last committed entry and a
   * log keeps growing by exactly one), the refused ids are free again, and the other writes
   * (conversation changes that still make sense included) are queued again.
   */
  #rolledBack(batch: PendingBatch): void {
    for (const { entry } of appendsOf(batch.ops)) this.#sayIds.failed(entry.from.id, entry.id);
    this.#book = this.#loadBook();
    const retried: ConversationWrite[] = [];
    for (const op of batch.ops) {
      if (op.kind === 'direct') {
        if (this.#book.addDirect(op.id, op.members, op.created)) retried.push(op);
      } else if (op.kind === 'rename' && !this.#book.renameRefusal(op.conv, op.name)) {
        this.#book.rename(op.conv, op.name);
        retried.push(op);
      }
    }
    // Not retried at once: on a full disk that would spin. They ride along with the next commit.
    this.#commits.pending.restore(batch, retried);
  }

  /**
   * The log is reused in place, so a commit's sync never writes a new file size; its tail keeps
   * old frames, a deleted text among them. Once a delete is durable the log is folded into
   * parley.db (where secure_delete zeroed the text) and cut to nothing.
   */
  #purgeLogSoon(): void {
    this.#connection?.checkpointer.truncateSoon();
  }

  #live(): Connection {
    if (!this.#connection) throw this.#closedError('use the store');
    return this.#connection;
  }

  #read<T>(doing: string, query: (connection: Connection) => T): T {
    const connection = this.#live();
    try {
      return query(connection);
    } catch (error) {
      throw toStoreError(error, this.#file, doing);
    }
  }

  #check<T extends v.GenericSchema>(schema: T, value: unknown, what: string): v.InferOutput<T> {
    const parsed = v.safeParse(schema, value);
    if (!parsed.success) throw this.#invalid(`bad ${what}: ${v.summarize(parsed.issues)}`);
    return parsed.output;
  }

  #invalid(detail: string): StoreError {
    return new StoreError('invalid', this.#file, `${this.#file}: ${detail}`);
  }

  #closedError(doing: string): StoreError {
    const file = this.#file;
    return new StoreError('closed', file, `cannot ${doing}: the history in ${file} is closed`);
  }
}
