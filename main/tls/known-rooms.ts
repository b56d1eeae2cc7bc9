/**
 * Trust on first use, like SSH's known_hosts: the first fingerprint seen for a room id is
 * remembered, later connections must present the same one. A changed fingerprint means either a
 * new certificate on the host or someone in the middle; callers refuse it and show
 * identityChangedWarning until the user has compared fingerprints aloud and chosen to forget.
 *
 * The host chooses the room id, so a room id alone would let a new certificate in under a new id.
 * Each room also keeps the addresses (host:port) it was reached at, as known_hosts does: the room
 * last seen at an address answers for it (atAddress), and forgetting the room frees them.
 *
 * The file is re-read on every call (the app and a terminal client may share it) and replaced
 * atomically on every change, so a crash never leaves it half-written.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as v from 'valibot';
import { fingerprintSchema, readableFingerprint } from '../../protocol/client/fingerprint';
import { errorCode, writeFileAtomic } from '../fs/atomic-file';

export type TrustVerdict = 'new' | 'match' | 'changed';

export interface KnownRoom {
  id: string;
  fingerprint256: string;
  /** Epoch ms of the first and of the latest remember(). */
  firstSeen: number;
  lastSeen: number;
  /** Its name when last seen, for warnings. */
  name?: string;
  /** Where it was reached (`host:port`, see addressOf in room-trust.ts); each address once in the file. */
  addresses?: string[];
}

/** What remember() may learn besides the fingerprint. */
export interface RoomSighting {
  /** Where the room was reached; it now answers for this address, no other room does. */
  address?: string;
  name?: string;
}

export interface KnownRoomsOptions {
  /** Rooms kept; the least recently remembered is dropped beyond this. Default 1000. */
  maxRooms?: number;
  /** Clock, for tests. Default Date.now. */
  now?: () => number;
}

export interface KnownRooms {
  readonly file: string;
  check(roomId: string, fingerprint: string): Promise<TrustVerdict>;
  /** The remembered room, if any. */
  get(roomId: string): Promise<KnownRoom | undefined>;
  /** The room last seen at `address`, if any. */
  atAddress(address: string): Promise<KnownRoom | undefined>;
  /** Whether some room was seen with this certificate. */
  knowsFingerprint(fingerprint: string): Promise<boolean>;
  /**
   * Remembers (or replaces) the room's fingerprint and refreshes lastSeen; keeps its addresses
   * and name, adds what `seen` tells.
   */
  remember(roomId: string, fingerprint: string, seen?: RoomSighting): Promise<void>;
  /**
   * Forgets the room and its addresses, so the next connection counts as a first use. Resolves
   * false if unknown.
   */
  forget(roomId: string): Promise<boolean>;
}

export type KnownRoomsErrorCode = 'corrupt';

export class KnownRoomsError extends Error {
  override readonly name = 'KnownRoomsError';

  constructor(
    readonly code: KnownRoomsErrorCode,
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}

export const roomIdSchema = v.pipe(
  v.string(),
  v.minLength(1, 'room id is empty'),
  v.maxLength(256, 'room id is longer than 256 characters'),
);

const knownRoomSchema = v.object({
  id: roomIdSchema,
  fingerprint256: fingerprintSchema,
  firstSeen: v.pipe(v.number(), v.safeInteger()),
  lastSeen: v.pipe(v.number(), v.safeInteger()),
  // The file is JSON: a field is there or not, never undefined.
  name: v.exactOptional(v.pipe(v.string(), v.maxLength(256))),
  addresses: v.exactOptional(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(300)))),
});
const sightingSchema = v.object({
  address: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(300))),
  name: v.optional(v.pipe(v.string(), v.maxLength(256))),
});
/** Addresses kept per room: a laptop moving between networks gathers a few. */
const MAX_ADDRESSES_PER_ROOM = 16;
const fileSchema = v.object({ version: v.literal(1), rooms: v.array(knownRoomSchema) });

const optionsSchema = v.object({
  maxRooms: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 1000),
  now: v.optional(v.function(), () => Date.now),
});

export function openKnownRooms(file: string, options: KnownRoomsOptions = {}): KnownRooms {
  const { maxRooms, now } = parseOrThrow(optionsSchema, options, 'known rooms options');
  const clock = now as () => number;
  // Changes within this process run one after another, so none overwrites another's.
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(change: () => Promise<T>): Promise<T> => {
    const result = queue.then(change);
    queue = result.catch(() => undefined);
    return result;
  };

  const get = async (roomId: string) => {
    const id = parseOrThrow(roomIdSchema, roomId, 'room id');
    return (await readRooms(file)).get(id);
  };

  return {
    file,
    get,
    async atAddress(address) {
      for (const room of (await readRooms(file)).values()) {
        if (room.addresses?.includes(address)) return room;
      }
      return undefined;
    },
    async knowsFingerprint(fingerprint) {
      const presented = parseOrThrow(fingerprintSchema, fingerprint, 'fingerprint');
      for (const room of (await readRooms(file)).values()) {
        if (room.fingerprint256 === presented) return true;
      }
      return false;
    },
    async check(roomId, fingerprint) {
      const presented = parseOrThrow(fingerprintSchema, fingerprint, 'fingerprint');
      const known = await get(roomId);
      if (!known) return 'new';
      return known.fingerprint256 === presented ? 'match' : 'changed';
    },
    async remember(roomId, fingerprint, seen = {}) {
      const id = parseOrThrow(roomIdSchema, roomId, 'room id');
      const fingerprint256 = parseOrThrow(fingerprintSchema, fingerprint, 'fingerprint');
      const { address, name } = parseOrThrow(sightingSchema, seen, 'sighting');
      return serialized(async () => {
        const rooms = await readRooms(file);
        const at = clock();
        const previous = rooms.get(id);
        const firstSeen = previous?.fingerprint256 === fingerprint256 ? previous.firstSeen : at;
        let addresses = previous?.addresses ?? [];
        if (address !== undefined) {
          // One room answers for an address: the one seen there last.
          for (const other of rooms.values()) {
            if (other.id !== id && other.addresses?.includes(address)) {
              other.addresses = other.addresses.filter((known) => known !== address);
            }
          }
          addresses = [...addresses.filter((known) => known !== address), address];
          addresses = addresses.slice(-MAX_ADDRESSES_PER_ROOM);
        }
        const room: KnownRoom = { id, fingerprint256, firstSeen, lastSeen: at };
        const shownName = name ?? previous?.name;
        if (shownName !== undefined) room.name = shownName;
        if (addresses.length > 0) room.addresses = addresses;
        rooms.delete(id);
        rooms.set(id, room);
        await writeRooms(file, newest(rooms, maxRooms));
      });
    },
    async forget(roomId) {
      const id = parseOrThrow(roomIdSchema, roomId, 'room id');
      return serialized(async () => {
        const rooms = await readRooms(file);
        if (!rooms.delete(id)) return false;
        await writeRooms(file, rooms);
        return true;
      });
    },
  };
}

export interface ChangedIdentity {
  /** The known room: the one to forget. */
  roomId: string;
  /** The room's display name, when known. */
  roomName?: string;
  known: string;
  presented: string;
  /** How this program lets the user forget the room, e.g. "run `parley forget-room ID`". */
  howToForget?: string;
  /**
   * Set when the address, not the room id, is what is known: the room seen at `address` before
   * was `roomId`, and another certificate now answers there as room `presentedRoom`.
   */
  address?: string;
  presentedRoom?: { id: string; name: string };
}

/** The refusal shown when check() says 'changed', in the spirit of SSH's host-key warning. */
export function identityChangedWarning(change: ChangedIdentity): string {
  const room = change.roomName ? `"${change.roomName}" (${change.roomId})` : change.roomId;
  const forget = change.howToForget ?? 'forget this room in Parley';
  const { address, presentedRoom } = change;
  const what =
    address !== undefined && presentedRoom !== undefined
      ? [
          `WARNING: the identity of the room at ${address} has changed, so Parley did not connect.`,
          `It was room ${room}; another certificate now answers there, as room "${presentedRoom.name}" (${presentedRoom.id}).`,
        ]
      : [`WARNING: the identity of room ${room} has changed, so Parley did not connect.`];
  return [
    ...what,
    'Someone on this network may be intercepting the connection (a man-in-the-middle attack),',
    'or the host may have created a new certificate.',
    `Known fingerprint:     ${readableFingerprint(change.known).short}`,
    `Presented fingerprint: ${readableFingerprint(change.presented).short}`,
    'Ask the host to read out the fingerprint shown in their app. Only if it matches the',
    `presented one, ${forget} and join again.`,
  ].join('\n');
}

async function readRooms(file: string): Promise<Map<string, KnownRoom>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return new Map();
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw corrupt(file, 'it is not JSON');
  }
  const parsed = v.safeParse(fileSchema, json);
  if (!parsed.success) throw corrupt(file, parsed.issues[0].message);
  return new Map(parsed.output.rooms.map((room) => [room.id, room]));
}

async function writeRooms(file: string, rooms: Map<string, KnownRoom>): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const content = { version: 1, rooms: [...rooms.values()] };
  await writeFileAtomic(file, `${JSON.stringify(content, null, 2)}\n`);
}

function newest(rooms: Map<string, KnownRoom>, maxRooms: number): Map<string, KnownRoom> {
  if (rooms.size <= maxRooms) return rooms;
  // Reversed first so that, among equal lastSeen, the most recently inserted is kept.
  const kept = [...rooms.values()]
    .reverse()
    .sort((a, b) => b.lastSeen - a.lastSeen)
    .slice(0, maxRooms);
  return new Map(kept.map((room) => [room.id, room]));
}

function corrupt(file: string, reason: string): KnownRoomsError {
  // Never start afresh silently: that would turn every 'changed' into a harmless-looking 'new'.
  return new KnownRoomsError(
    'corrupt',
    file,
    `${file} cannot be read (${reason}). Fix it, or delete it to forget every known room.`,
  );
}

function parseOrThrow<S extends v.GenericSchema>(
  schema: S,
  value: unknown,
  what: string,
): v.InferOutput<S> {
  const result = v.safeParse(schema, value);
  if (result.success) return result.output;
  throw new TypeError(`${what}: ${result.issues[0].message}`);
}
