/**
 * Child process entry: one Parley host of a room shared through Redis (argv[2] is the Redis URL),
 * its replica in SQLite in a fresh temp directory, like `parley host --redis URL --data DIR`.
 * Limits as in the one-host target (bench/targets/parley.ts): protocol defaults but the
 * connection cap.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPLICA_DURABILITY } from '../../main/host/scale-out/replica-store';
import { startHost } from '../../main/host/server';
import { openSqliteStore } from '../../main/host/store/sqlite-store';
import { runServerChild } from '../children/server-child';
import { LOOPBACK, type ServerStartOptions } from '../targets/loopback';

const [redisUrl = ''] = process.argv.slice(2);

async function startSharedParley(options: ServerStartOptions) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'parley-bench-shared-'));
  try {
    const host = await startHost({
      port: 0,
      host: LOOPBACK,
      roomName: 'Bench',
      redis: redisUrl,
      openReplica: (room) =>
        openSqliteStore(dataDir, room.name, { roomId: room.id, durability: REPLICA_DURABILITY }),
      limits: { maxConnections: options.maxConnections },
    });
    return {
      port: host.port,
      async close() {
        await host.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

runServerChild(startSharedParley);
