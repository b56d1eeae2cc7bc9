/**
 * The product: the Parley host with its durable SQLite store in a fresh temp directory, speaking
 * parley.v1. Every limit keeps its protocol default except the connection cap, which the hold
 * test must be allowed to exceed (the generator stays within the rate limit by itself).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startHost } from '../../main/host/server';
import { openSqliteStore } from '../../main/host/store/sqlite-store';
import { LOOPBACK, type RunningServer, type ServerStartOptions } from './loopback';

const ROOM_NAME = 'Bench';

export async function startParleyServer(options: ServerStartOptions): Promise<RunningServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'parley-bench-'));
  const removeDataDir = () => rm(dataDir, { recursive: true, force: true });
  const store = await openSqliteStore(dataDir, ROOM_NAME).catch(async (error: unknown) => {
    await removeDataDir();
    throw error;
  });
  try {
    const host = await startHost({
      port: 0,
      host: LOOPBACK,
      roomName: ROOM_NAME,
      store,
      limits: { maxConnections: options.maxConnections },
    });
    return {
      port: host.port,
      async close() {
        await host.close();
        await store.close();
        await removeDataDir();
      },
    };
  } catch (error) {
    await store.close().catch(() => undefined);
    await removeDataDir();
    throw error;
  }
}
