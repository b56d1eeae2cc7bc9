/**
 * One room in Redis, as a host asks it things: each method is one script (scripts.ts) or one
 * read, with its answer checked. Nothing here knows about connections; the replica
 * (replica-store.ts), the shared log (shared-log.ts), presence (presence.ts) and the follower
 * (follower.ts) use it.
 */
import * as v from 'valibot';
import { peerV2Schema, type PeerV2 } from '../../../protocol/wire/entries';
import type { RoomInfo } from '../../../protocol/wire/frames';
import { GENERAL } from '../../../protocol/wire/identity';
import type { EntryDraft } from '../entry-log';
import {
  conversationRecordSchema,
  pairs,
  parseJson,
  sessionRecordSchema,
  type ConversationRecord,
  type SessionRecord,
} from './events';
import { DEFAULT_ROOM_KEY, roomKeys, type RoomKeys } from './keys';
import { UnavailableError, type RedisLink, type Reply } from './redis-link';
import * as scripts from './scripts';

export interface SharedRoomOptions {
  /** This host's id in the room (leases, presence, which events are its own). */
  hostId: string;
  /** Events the stream keeps (approximately); a host that fell further behind resynchronises. */
  streamLength: number;
  /** How long Redis remembers a (peer, id) it stored, for retries through other hosts (s). */
  sayIdTtlSeconds: number;
}

export const SHARED_ROOM_DEFAULTS = {
  streamLength: 100_000,
  sayIdTtlSeconds: 7 * 24 * 3600,
} as const;

export type AppendResult =
  | { kind: 'ok'; seq: number; ts: number }
  | { kind: 'dup'; conv: string; seq: number }
  | { kind: 'taken' }
  | { kind: 'invalid'; why: string };

export type ArriveResult = { kind: 'ok'; reads: Map<string, number> } | { kind: 'taken' };

export interface Snapshot {
  lastEventId: string;
  room: RoomInfo;
  conversations: ConversationRecord[];
  seqs: Map<string, number>;
  people: { peer: PeerV2; hosts: string[] }[];
  known: Map<string, string>;
}

const presentSchema = v.object({
  peer: peerV2Schema,
  key: v.string(),
  hosts: v.union([v.record(v.string(), v.number()), v.array(v.unknown())]),
});

export class SharedRoom {
  readonly keys: RoomKeys;

  constructor(
    readonly link: RedisLink,
    readonly room: RoomInfo,
    private readonly options: SharedRoomOptions,
    private readonly problem: (why: string) => void,
  ) {
    this.keys = roomKeys(room.id);
  }

  get hostId(): string {
    return this.options.hostId;
  }

  /**
   * The room `roomId` (or the Redis's default room when undefined), created named `roomName`
   * unless it exists.
   */
  static async open(
    link: RedisLink,
    roomId: string | undefined,
    roomName: string,
    createRoomId: () => string,
    options: SharedRoomOptions,
    problem: (why: string) => void,
  ): Promise<SharedRoom> {
    let id = roomId;
    if (id === undefined) {
      // SET NX: the first host to start decides the default room, every later one reads it.
      await link.command(['SET', DEFAULT_ROOM_KEY, createRoomId(), 'NX']);
      const stored = await link.command(['GET', DEFAULT_ROOM_KEY]);
      if (typeof stored !== 'string') throw new UnavailableError('Redis lost the default room id');
      id = stored;
    }
    const keys = roomKeys(id);
    const general: ConversationRecord = {
      id: GENERAL,
      kind: 'channel',
      name: GENERAL,
      key: GENERAL,
      created: Date.now(),
    };
    const reply = await link.run(
      scripts.CREATE_ROOM,
      [keys.events, keys.lastEvent, keys.room, keys.conversations, keys.channelNames, keys.seqs],
      [
        options.hostId,
        String(options.streamLength),
        id,
        roomName,
        String(Date.now()),
        JSON.stringify(general),
      ],
    );
    return new SharedRoom(link, { id: String(reply[1]), name: String(reply[2]) }, options, problem);
  }

  get isReady(): boolean {
    return this.link.isReady;
  }

  private run(script: scripts.ScriptSource, keys: string[], args: string[]): Promise<Reply[]> {
    const { keys: k, options } = this;
    return this.link.run(
      script,
      [k.events, k.lastEvent, ...keys],
      [options.hostId, String(options.streamLength), ...args],
    );
  }

  async append(
    conv: string,
    draft: EntryDraft,
    channel?: { record: ConversationRecord; nameKey: string },
  ): Promise<AppendResult> {
    const k = this.keys;
    const target = 'target' in draft ? String(draft.target) : '';
    const reply = await this.run(
      scripts.APPEND,
      [
        k.conversations,
        k.seqs,
        k.log(conv),
        k.sayId(draft.from.id, draft.id),
        k.channelNames,
        k.edits(conv),
      ],
      [
        conv,
        JSON.stringify(draft),
        String(this.options.sayIdTtlSeconds),
        channel ? JSON.stringify(channel.record) : '',
        channel?.nameKey ?? '',
        draft.kind,
        target,
      ],
    );
    switch (reply[0]) {
      case 'ok':
        return { kind: 'ok', seq: Number(reply[1]), ts: Number(reply[2]) };
      case 'dup': {
        const [where, seq] = String(reply[1]).split(' ');
        return { kind: 'dup', conv: where ?? '', seq: Number(seq) };
      }
      case 'taken':
        return { kind: 'taken' };
      default:
        return { kind: 'invalid', why: String(reply[1]) };
    }
  }

  async openDirect(record: ConversationRecord & { members: [PeerV2, PeerV2] }): Promise<void> {
    const k = this.keys;
    const [a, b] = record.members;
    await this.run(
      scripts.OPEN_DIRECT,
      [k.conversations, k.known],
      [record.id, JSON.stringify(record), a.id, a.name, b.id, b.name],
    );
  }

  /** False when another channel holds the name now. */
  async renameChannel(conv: string, name: string, nameKey: string): Promise<boolean> {
    const k = this.keys;
    const reply = await this.run(
      scripts.RENAME_CHANNEL,
      [k.conversations, k.channelNames],
      [conv, name, nameKey],
    );
    if (reply[0] === 'invalid') this.problem(`renaming ${conv}: ${String(reply[1])}`);
    return reply[0] === 'ok';
  }

  async renameRoom(name: string): Promise<void> {
    await this.run(scripts.RENAME_ROOM, [this.keys.room], [name]);
  }

  async arrive(
    peer: PeerV2,
    nameKey: string,
    session: { tokenHash: string; record: SessionRecord } | undefined,
  ): Promise<ArriveResult> {
    const k = this.keys;
    const reply = await this.run(
      scripts.ARRIVE,
      [k.people, k.names, k.hostPeers(this.hostId), k.sessions, k.reads(peer.id)],
      [
        JSON.stringify(peer),
        peer.id,
        nameKey,
        session?.tokenHash ?? '',
        session ? JSON.stringify(session.record) : '',
      ],
    );
    if (reply[0] === 'taken') return { kind: 'taken' };
    const reads = new Map<string, number>();
    for (const [conv, seq] of pairs(reply.slice(1))) reads.set(conv, Number(seq));
    return { kind: 'ok', reads };
  }

  async depart(peerId: string): Promise<void> {
    const k = this.keys;
    await this.run(scripts.DEPART, [k.people, k.names, k.hostPeers(this.hostId)], [peerId]);
  }

  /** True when the lease was still held (false: it had run out, and the host was reaped). */
  async renewLease(leaseMs: number): Promise<boolean> {
    const k = this.keys;
    const reply = await this.link.run(
      scripts.RENEW_LEASE,
      [k.events, k.lastEvent, k.lease(this.hostId), k.hosts],
      [this.hostId, String(this.options.streamLength), String(leaseMs)],
    );
    return Number(reply[1]) === 1;
  }

  /** Takes the peers of every host whose lease ran out out of the room; returns how many left. */
  async reapDeadHosts(): Promise<number> {
    const hosts = await this.link.command(['SMEMBERS', this.keys.hosts]);
    let gone = 0;
    for (const host of Array.isArray(hosts) ? hosts.map(String) : []) {
      if (host === this.hostId) continue;
      gone += await this.reap(host);
    }
    return gone;
  }

  /** Takes a host's peers out of the room once its lease is gone (this host's own, on close). */
  async reap(host: string): Promise<number> {
    const k = this.keys;
    const reply = await this.run(
      scripts.REAP,
      [k.people, k.names, k.hostPeers(host), k.lease(host), k.hosts],
      [host],
    );
    return reply[0] === 'ok' ? Number(reply[1]) : 0;
  }

  async dropLease(): Promise<void> {
    await this.link.command(['DEL', this.keys.lease(this.hostId)]);
  }

  async saveSession(tokenHash: string, record: SessionRecord): Promise<void> {
    await this.run(scripts.SAVE_SESSION, [this.keys.sessions], [tokenHash, JSON.stringify(record)]);
  }

  async findSession(tokenHash: string): Promise<SessionRecord | undefined> {
    const raw = await this.link.command(['HGET', this.keys.sessions, tokenHash]);
    if (typeof raw !== 'string') return undefined;
    return parseJson(sessionRecordSchema, raw, (why) => this.problem(`session: ${why}`));
  }

  async raiseRead(peerId: string, conv: string, seq: number): Promise<void> {
    await this.run(scripts.RAISE_READ, [this.keys.reads(peerId)], [peerId, conv, String(seq)]);
  }

  async rememberPeer(peerId: string, name: string): Promise<void> {
    await this.run(scripts.REMEMBER_PEER, [this.keys.known], [peerId, name]);
  }

  /** Entries from..to (inclusive) of a conversation's log, in seq order (missing ones skipped). */
  async entries(conv: string, from: number, to: number): Promise<string[]> {
    if (to < from) return [];
    const fields = Array.from({ length: to - from + 1 }, (_, index) => String(from + index));
    const reply = await this.link.command(['HMGET', this.keys.log(conv), ...fields]);
    return Array.isArray(reply)
      ? reply.filter((item): item is string => typeof item === 'string')
      : [];
  }

  async snapshot(): Promise<Snapshot> {
    const k = this.keys;
    const reply = await this.link.run(
      scripts.SNAPSHOT,
      [k.events, k.lastEvent, k.room, k.conversations, k.seqs, k.people, k.known],
      [],
    );
    const room = pairs(reply[1] ?? []);
    const conversations: ConversationRecord[] = [];
    for (const [id, raw] of pairs(reply[2] ?? [])) {
      const record = parseJson(conversationRecordSchema, raw, (why) =>
        this.problem(`conversation ${id}: ${why}`),
      );
      if (record) conversations.push(record);
    }
    conversations.sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : 1));
    const seqs = new Map<string, number>();
    for (const [conv, seq] of pairs(reply[3] ?? [])) seqs.set(conv, Number(seq));
    const people: Snapshot['people'] = [];
    for (const [id, raw] of pairs(reply[4] ?? [])) {
      const present = parseJson(presentSchema, raw, (why) => this.problem(`person ${id}: ${why}`));
      if (present) {
        const hosts = Array.isArray(present.hosts) ? [] : Object.keys(present.hosts);
        people.push({ peer: present.peer, hosts });
      }
    }
    return {
      lastEventId: String(reply[0]),
      room: { id: room.get('id') ?? this.room.id, name: room.get('name') ?? this.room.name },
      conversations,
      seqs,
      people,
      known: pairs(reply[5] ?? []),
    };
  }

  /** Tells the other hosts someone is typing (ephemeral: sharded pub/sub, not the stream). */
  async publishTyping(conv: string, peer: PeerV2): Promise<void> {
    const message = JSON.stringify({ h: this.hostId, c: conv, p: peer });
    await this.link.command(['SPUBLISH', this.keys.typing, message]);
  }
}
