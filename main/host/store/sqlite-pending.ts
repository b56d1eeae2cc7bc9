/**
 * What waits for the SQLite store's next commit: appends and conversation changes in the order
 * they were made (a rename may concern a channel created by an append just before it), and the
 * writes whose order does not matter, kept by key so the newest one wins: read markers, names,
 * sessions. Readers look here before they look in the file.
 */
import type { Entry, PeerV2 } from '../../../protocol/wire/entries';
import type { Peer } from '../../../protocol/wire/frames';
import type { StoreError } from './sqlite-errors';
import type { SessionWrite } from './sqlite-side-statements';

export interface PendingAppend {
  kind: 'append';
  entry: Entry;
  resolve: () => void;
  reject: (error: StoreError) => void;
}

export type ConversationWrite =
  | { kind: 'direct'; id: string; members: readonly [PeerV2, PeerV2]; created: number }
  | { kind: 'rename'; conv: string; name: string };

export type PendingOp = PendingAppend | ConversationWrite;

export interface PendingBatch {
  ops: PendingOp[];
  reads: { peerId: string; conv: string; seq: number }[];
  identities: { peer: Peer; at: number }[];
  sessions: SessionWrite[];
}

export const appendsOf = (ops: readonly PendingOp[]): PendingAppend[] =>
  ops.filter((op): op is PendingAppend => op.kind === 'append');

/** How many writes of a batch are not appends (for CommitInfo). */
export const sideWriteCount = (batch: PendingBatch): number =>
  batch.ops.length -
  appendsOf(batch.ops).length +
  batch.reads.length +
  batch.identities.length +
  batch.sessions.length;

export class PendingWrites {
  #ops: PendingOp[] = [];
  /** peer id -> conv -> the highest seq asked for. */
  readonly #reads = new Map<string, Map<string, number>>();
  readonly #identities = new Map<string, { peer: Peer; at: number }>();
  readonly #sessions = new Map<string, SessionWrite>();

  get empty(): boolean {
    return (
      this.#ops.length === 0 &&
      this.#reads.size === 0 &&
      this.#identities.size === 0 &&
      this.#sessions.size === 0
    );
  }

  op(op: PendingOp): void {
    this.#ops.push(op);
  }

  read(peerId: string, conv: string, seq: number): void {
    let markers = this.#reads.get(peerId);
    if (!markers) this.#reads.set(peerId, (markers = new Map()));
    markers.set(conv, Math.max(markers.get(conv) ?? 0, seq));
  }

  readsOf(peerId: string): ReadonlyMap<string, number> | undefined {
    return this.#reads.get(peerId);
  }

  identity(peer: Peer, at: number): void {
    this.#identities.set(peer.id, { peer: { id: peer.id, name: peer.name }, at });
  }

  identityOf(peerId: string): Peer | undefined {
    const queued = this.#identities.get(peerId);
    return queued && { ...queued.peer };
  }

  session(write: SessionWrite): void {
    this.#sessions.set(write.tokenHash, write);
  }

  sessionOf(tokenHash: string): SessionWrite | undefined {
    return this.#sessions.get(tokenHash);
  }

  /** Everything queued, oldest first; the queue is empty afterwards. */
  take(): PendingBatch {
    const batch: PendingBatch = {
      ops: this.#ops,
      reads: [...this.#reads].flatMap(([peerId, markers]) =>
        [...markers].map(([conv, seq]) => ({ peerId, conv, seq })),
      ),
      identities: [...this.#identities.values()],
      sessions: this.takeSessions(),
    };
    this.#ops = [];
    this.#reads.clear();
    this.#identities.clear();
    return batch;
  }

  takeSessions(): SessionWrite[] {
    const sessions = [...this.#sessions.values()];
    this.#sessions.clear();
    return sessions;
  }

  /**
   * Puts back the writes of a batch whose commit failed, under anything queued since, and the
   * conversation changes the caller still wants (appends are never retried: they were refused).
   */
  restore(batch: PendingBatch, conversationWrites: ConversationWrite[]): void {
    this.#ops.unshift(...conversationWrites);
    for (const { peerId, conv, seq } of batch.reads) this.read(peerId, conv, seq);
    for (const queued of batch.identities) {
      if (!this.#identities.has(queued.peer.id)) this.#identities.set(queued.peer.id, queued);
    }
    this.restoreSessions(batch.sessions);
  }

  restoreSessions(sessions: SessionWrite[]): void {
    for (const write of sessions) {
      if (!this.#sessions.has(write.tokenHash)) this.#sessions.set(write.tokenHash, write);
    }
  }
}
