/** Opens the history `parley host` runs on: SQLite in a data directory, or memory with --memory. */
import { join, resolve } from 'node:path';
import * as v from 'valibot';
import { hostOptionDefault } from '../host/host-options';
import { REPLICA_DURABILITY } from '../host/scale-out/replica-store';
import { createMemoryStore } from '../host/store/memory-store';
import type { RoomInfo } from '../../protocol/wire/frames';
import type { RoomStore } from '../host/store/room-store';
import { DATABASE_FILE_NAME, openSqliteStore } from '../host/store/sqlite-store';
import { defaultDataDir } from './data-dir';
import type { HostArgs } from './host-flags';
import { CliProblem } from './usage-error';

export interface OpenedHistory {
  store: RoomStore;
  /** One line for the banner: where the history lives. */
  description: string;
}

const messageSchema = v.object({ message: v.string() });
/** The SQLite store's errors already name their file; others get it added. */
const fileErrorSchema = v.object({ message: v.string(), file: v.string() });

export async function openHistory(
  args: Pick<HostArgs, 'memory' | 'data' | 'room'>,
  env: Record<string, string | undefined>,
): Promise<OpenedHistory> {
  const roomName = args.room ?? hostOptionDefault('roomName');
  if (args.memory) {
    return {
      store: createMemoryStore(roomName),
      description: 'History is kept in memory only (--memory): it is gone when the host stops.',
    };
  }
  const dir = resolve(args.data ?? defaultDataDir(env));
  const file = join(dir, DATABASE_FILE_NAME);
  let store: RoomStore;
  try {
    store = await openSqliteStore(dir, roomName);
  } catch (error) {
    throw new CliProblem(describeOpenFailure(error, file));
  }
  // An explicit --room renames an existing room; its id, and so every client's resume, stays.
  if (args.room !== undefined && store.room.name !== args.room) store.renameRoom(args.room);
  return { store, description: `History is saved in ${file}` };
}

/**
 * With --redis the history lives in Redis; the host keeps its own copy (SQLite in the data
 * directory, or memory with --memory), opened once the room's id is known.
 */
export function sharedHistory(
  args: Pick<HostArgs, 'memory' | 'data' | 'redis'>,
  env: Record<string, string | undefined>,
): { openReplica: (room: RoomInfo) => Promise<RoomStore>; description: string } {
  const redis = redactedUrl(args.redis ?? '');
  if (args.memory) {
    return {
      openReplica: (room) => Promise.resolve(createMemoryStore(room.name, room.id)),
      description: `History is kept in Redis (${redis}), with a copy in memory.`,
    };
  }
  const dir = resolve(args.data ?? defaultDataDir(env));
  const file = join(dir, DATABASE_FILE_NAME);
  return {
    openReplica: async (room) => {
      try {
        return await openSqliteStore(dir, room.name, {
          roomId: room.id,
          durability: REPLICA_DURABILITY,
        });
      } catch (error) {
        throw new CliProblem(describeOpenFailure(error, file));
      }
    },
    description: `History is kept in Redis (${redis}), with a copy in ${file}`,
  };
}

/** A Redis URL without its password, for printing. */
function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

function describeOpenFailure(error: unknown, file: string): string {
  const named = v.safeParse(fileErrorSchema, error);
  if (named.success && named.output.message.includes(named.output.file)) {
    return `cannot open the history: ${named.output.message}`;
  }
  const plain = v.safeParse(messageSchema, error);
  return `cannot open the history in ${file}: ${plain.success ? plain.output.message : String(error)}`;
}
