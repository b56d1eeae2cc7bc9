/**
 * Several hosts, one room (docs/scale-out.md): `openScaleOut` joins this host to a room kept in
 * Redis and returns what `startHost` runs it with: the replica store and the room's scale-out
 * parts (the shared log, presence, the follower, typing across hosts).
 */
import { randomBytes } from 'node:crypto';
import * as v from 'valibot';
import type { PeerV2 } from '../../../protocol/wire/entries';
import { peerV2Schema } from '../../../protocol/wire/entries';
import type { RoomInfo } from '../../../protocol/wire/frames';
import type { Conversation } from '../conversations';
import type { RoomLog } from '../entry-log';
import type { Person } from '../people';
import type { Room, RoomHooks, RoomScaleOut } from '../room';
import type { RoomStore } from '../store/room-store';
import { createRoomId } from '../tokens';
import { pairs } from './events';
import { Follower } from './follower';
import { Outbox } from './outbox';
import { Presence, PRESENCE_DEFAULTS, type PresenceOptions } from './presence';
import { describe, REDIS_LINK_DEFAULTS, RedisLink } from './redis-link';
import { ROOM_ID_RULE } from './keys';
import { ReplicaStore } from './replica-store';
import { SharedLog } from './shared-log';
import { SHARED_ROOM_DEFAULTS, SharedRoom } from './shared-room';

export { UnavailableError } from './redis-link';

export interface ScaleOutOptions {
  /** `redis://HOST:PORT/DB` (or `rediss://` with TLS). */
  url: string;
  /** The room to serve; without one, the Redis's default room (the first host creates it). */
  roomId?: string;
  /** The name of a room this call creates. */
  roomName: string;
  /** Opens this host's own store, its replica of the room (it must hold the room's id). */
  openReplica: (room: RoomInfo) => Promise<RoomStore>;
  /** Leases and how often they are checked (tests shorten them). */
  presence?: Partial<PresenceOptions>;
  commandTimeoutMs?: number;
  /** Events the stream keeps (approximately). */
  streamLength?: number;
  sayIdTtlSeconds?: number;
  /** Where the host says what went wrong (default: console.error, repeats held back). */
  log?: (line: string) => void;
}

/** What `startHost` takes as its `scaleOut` option (and its store). */
export interface ScaleOutRoom extends RoomScaleOut {
  readonly store: RoomStore;
  readonly hostId: string;
  readonly room: RoomInfo;
  /** What Redis keeps across a crash of its own, in a sentence, and a warning when not enough. */
  persistence(): Promise<PersistenceReport>;
}

export interface PersistenceReport {
  line: string;
  /** Set when an acknowledged entry could be lost if Redis crashed. */
  warning?: string;
}

const typingSchema = v.object({ h: v.string(), c: v.string(), p: peerV2Schema });

export async function openScaleOut(options: ScaleOutOptions): Promise<ScaleOutRoom> {
  if (options.roomId !== undefined && !ROOM_ID_RULE.test(options.roomId)) {
    throw new Error('a room id is 1 to 64 letters, digits, "_" or "-"');
  }
  const log = options.log ?? quietLog();
  const problem = (why: string) => log(`parley host (scale-out): ${why}`);
  const link = new RedisLink({
    url: options.url,
    commandTimeoutMs: options.commandTimeoutMs ?? REDIS_LINK_DEFAULTS.commandTimeoutMs,
    maxReconnectDelayMs: REDIS_LINK_DEFAULTS.maxReconnectDelayMs,
    onError: (error) => problem(`Redis: ${error.message}`),
  });
  await link.connect();
  let replica: RoomStore | undefined;
  try {
    const hostId = `h_${randomBytes(9).toString('base64url')}`;
    const shared = await SharedRoom.open(
      link,
      options.roomId,
      options.roomName,
      createRoomId,
      {
        hostId,
        streamLength: options.streamLength ?? SHARED_ROOM_DEFAULTS.streamLength,
        sayIdTtlSeconds: options.sayIdTtlSeconds ?? SHARED_ROOM_DEFAULTS.sayIdTtlSeconds,
      },
      problem,
    );
    replica = await options.openReplica(shared.room);
    if (replica.room.id !== shared.room.id) {
      throw new Error(
        `this host's data folder holds room ${replica.room.id}, not ${shared.room.id} of Redis: ` +
          'give the host a folder of its own for this room',
      );
    }
    return new ScaleOut(
      link,
      shared,
      replica,
      { ...PRESENCE_DEFAULTS, ...options.presence },
      problem,
    );
  } catch (error) {
    await replica?.close().catch(() => undefined);
    await link.close();
    throw error;
  }
}

class ScaleOut implements ScaleOutRoom {
  readonly store: ReplicaStore;
  readonly admission: Presence;
  readonly #outbox: Outbox;
  #follower: Follower | undefined;
  #log: SharedLog | undefined;
  #room: Room | undefined;

  constructor(
    private readonly link: RedisLink,
    private readonly shared: SharedRoom,
    cache: RoomStore,
    presence: PresenceOptions,
    private readonly problem: (why: string) => void,
  ) {
    this.#outbox = new Outbox(() => link.isReady, problem);
    this.store = new ReplicaStore(cache, shared, this.#outbox);
    this.admission = new Presence(shared, this.store, this.#outbox, presence, problem);
  }

  get hostId(): string {
    return this.shared.hostId;
  }

  get room(): RoomInfo {
    return this.shared.room;
  }

  createLog(room: Room, hooks: Pick<RoomHooks, 'failed'>): RoomLog {
    this.#room = room;
    const log = new SharedLog(
      this.shared,
      this.store,
      (id) => room.conversations.get(id),
      this.problem,
    );
    this.#log = log;
    this.#follower = new Follower(
      this.shared,
      this.link,
      this.store.cache,
      room,
      log,
      this.problem,
      (error) => hooks.failed(error),
    );
    const follower = this.#follower;
    this.store.renameRefused = (conv) => follower.renamed(conv);
    this.admission.attach(room);
    return log;
  }

  /** Catches up with the room, then follows it; call before the host accepts connections. */
  async start(): Promise<void> {
    const follower = this.#follower;
    const room = this.#room;
    if (!follower || !room) throw new Error('the room was not created with this scale-out');
    await this.admission.start();
    await follower.catchUp();
    await follower.applied();
    await this.link.pubsub.SSUBSCRIBE(this.shared.keys.typing, (message) =>
      this.#typingElsewhere(room, message),
    );
    follower.start();
    // Back after an outage: what waited is sent, and the lease renewed at once.
    this.link.commands.on('ready', () => {
      void this.#outbox.pump();
      void this.admission.check();
    });
  }

  departed(person: Person): void {
    this.admission.departed(person);
  }

  typing(conversation: Conversation, peer: PeerV2): void {
    if (!this.shared.isReady) return;
    this.shared.publishTyping(conversation.id, peer).catch(() => {
      // Typing is ephemeral: one that does not reach the other hosts is not worth a retry.
    });
  }

  async persistence(): Promise<PersistenceReport> {
    return describePersistence(this.link);
  }

  /** Leaves the room cleanly: this host's people get `left` at once, nothing waits unsent. */
  async close(): Promise<void> {
    await this.#follower?.stop();
    await this.admission.stop(true);
    await this.#log?.settled();
    await this.#outbox.flush();
    this.#outbox.close();
    await this.link.close();
  }

  #typingElsewhere(room: Room, message: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      return;
    }
    if (!v.is(typingSchema, parsed) || parsed.h === this.shared.hostId) return;
    const conversation = room.conversations.get(parsed.c);
    if (conversation) room.typingElsewhere(parsed.p, conversation);
  }
}

async function describePersistence(link: RedisLink): Promise<PersistenceReport> {
  let config: Map<string, string>;
  try {
    config = pairs(await link.command(['CONFIG', 'GET', 'append*']));
  } catch (error) {
    return {
      line: `Could not read Redis's persistence settings (${describe(error)}).`,
      warning:
        'warning: make sure Redis runs with appendonly yes and appendfsync always, or a Redis crash can lose acknowledged messages.',
    };
  }
  const aof = config.get('appendonly') === 'yes';
  const fsync = config.get('appendfsync') ?? 'unknown';
  if (aof && fsync === 'always') {
    return {
      line: 'Redis writes every acknowledged message to its append-only file before answering (appendonly yes, appendfsync always).',
    };
  }
  if (aof) {
    return {
      line: `Redis keeps an append-only file, synced ${fsync === 'everysec' ? 'once a second' : 'when the system decides'} (appendfsync ${fsync}).`,
      warning: `warning: a Redis crash can lose the last acknowledged messages (appendfsync ${fsync}); set appendfsync always to keep every one.`,
    };
  }
  return {
    line: 'Redis runs without its append-only file (appendonly no).',
    warning:
      'warning: a Redis crash loses acknowledged messages (everything since its last snapshot, if any); set appendonly yes and appendfsync always.',
  };
}

/** console.error, but the same line at most once every 10 s (Redis down means many errors). */
function quietLog(): (line: string) => void {
  const last = new Map<string, number>();
  return (line) => {
    const now = Date.now();
    if (now - (last.get(line) ?? -Infinity) < 10_000) return;
    if (last.size > 100) last.clear();
    last.set(line, now);
    console.error(line);
  };
}
