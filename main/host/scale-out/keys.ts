/**
 * Where a shared room lives in Redis. Every key and channel of one room carries the same hash tag,
 * `{parley:ROOM_ID}`, so every script touches one slot and runs unchanged on Redis Cluster (a
 * room lives on one shard; rooms spread over the shards). Why one slot per room rather than one
 * per conversation: docs/scale-out.md, "Why one slot per room".
 */

export interface RoomKeys {
  /** The hash tag and prefix of every key: `{parley:ROOM_ID}:`. */
  readonly prefix: string;
  /** Hash: id, name, created. */
  readonly room: string;
  /** Hash: conversation id -> its record (JSON): kind, name, creator, members (direct), created. */
  readonly conversations: string;
  /** Hash: channel nameKey -> channel id (`general` included): names are unique room-wide. */
  readonly channelNames: string;
  /** Hash: conversation id -> lastSeq. */
  readonly seqs: string;
  /** Stream of every change (entries, presence, sessions, ...): what hosts follow. */
  readonly events: string;
  /** The id of the newest event, which the next one names as its predecessor (gap check). */
  readonly lastEvent: string;
  /** Hash: peer id -> {peer, key, hosts}: who is present, on which hosts. */
  readonly people: string;
  /** Hash: nameKey -> peer id: who holds a name now (names are unique across hosts). */
  readonly names: string;
  /** Set of host ids that announced themselves (each with a lease). */
  readonly hosts: string;
  /** Hash: session token hash -> {peer, used}. */
  readonly sessions: string;
  /** Hash: identity peer id -> the name it last used. */
  readonly known: string;
  /** Sharded pub/sub channel for typing notices (ephemeral: not in the stream). */
  readonly typing: string;
  /** Hash: seq -> entry (JSON), one per conversation: the log itself. */
  log(conv: string): string;
  /** Hash: target seq -> the seqs of its edits, one per conversation (purged with the target). */
  edits(conv: string): string;
  /** The exactly-once record of (peer, client-chosen id): "conv seq", with a TTL. */
  sayId(peerId: string, sayId: string): string;
  /** Hash: conversation id -> read marker, one per identity. */
  reads(peerId: string): string;
  /** A host's lease: it exists while the host renews it. */
  lease(hostId: string): string;
  /** Set of the peers a host has sessions of (whom to take out when its lease runs out). */
  hostPeers(hostId: string): string;
}

export function roomKeys(roomId: string): RoomKeys {
  const prefix = `{parley:${roomId}}:`;
  return {
    prefix,
    room: `${prefix}room`,
    conversations: `${prefix}convs`,
    channelNames: `${prefix}chnames`,
    seqs: `${prefix}seq`,
    events: `${prefix}events`,
    lastEvent: `${prefix}events:last`,
    people: `${prefix}people`,
    names: `${prefix}names`,
    hosts: `${prefix}hosts`,
    sessions: `${prefix}sessions`,
    known: `${prefix}known`,
    typing: `${prefix}typing`,
    // Peer ids (u_…, p_…) and conversation ids never hold ':' or ' ': these keys cannot collide.
    log: (conv) => `${prefix}log:${conv}`,
    edits: (conv) => `${prefix}edits:${conv}`,
    sayId: (peerId, sayId) => `${prefix}id:${peerId}:${sayId}`,
    reads: (peerId) => `${prefix}reads:${peerId}`,
    lease: (hostId) => `${prefix}lease:${hostId}`,
    hostPeers: (hostId) => `${prefix}hostpeers:${hostId}`,
  };
}

/** A room id as `--room-id` takes it: it becomes part of every key. */
export const ROOM_ID_RULE = /^[A-Za-z0-9_-]{1,64}$/;

/** Where the room id of a Redis that serves one room by default is kept (`--room-id` omitted). */
export const DEFAULT_ROOM_KEY = 'parley:default-room';
