/**
 * The product: the Parley host with its durable SQLite store in a fresh temp directory, speaking
 * parley.v1. Every limit keeps its protocol default except the connection cap, which the hold
 * test must be allowed to exceed (the generator stays within the rate limit by itself).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startHost } from '../../main/host/server';
import type { Limits } from '../../protocol/wire/limits';
import { createMemoryStore } from '../../main/host/store/memory-store';
import { openSqliteStore } from '../../main/host/store/sqlite-store';
import { LOOPBACK, type RunningServer, type ServerStartOptions } from './loopback';

const ROOM_NAME = 'Bench';

/**
 * For the durable-ack measurement (bench/acks.ts): one sender posts as fast as acks come back,
 * far past the protocol's 5 messages a second, so the rate limit is lifted. Nothing else changes.
 */
const UNLIMITED_RATE: Partial<Limits> = { ratePerSecond: 1_000_000, rateBurst: 1_000_000 };

/** The host with the in-memory store: the ack path without a disk, the baseline of a commit. */
export async function startParleyMemoryAckServer(
  options: ServerStartOptions,
): Promise<RunningServer> {
  const store = createMemoryStore(ROOM_NAME);
  const host = await startHost({
    port: 0,
    host: LOOPBACK,
    roomName: ROOM_NAME,
    store,
    limits: { maxConnections: options.maxConnections, ...UNLIMITED_RATE },
  });
  return {
    port: host.port,
    async close() {
      await host.close();
      await store.close();
    },
  };
}

/** The SQLite host of the main table, with the rate limit lifted (see UNLIMITED_RATE). */
export function startParleyAckServer(options: ServerStartOptions): Promise<RunningServer> {
  return startParleyServer(options, UNLIMITED_RATE);
}

export async function startParleyServer(
  options: ServerStartOptions,
  limits: Partial<Limits> = {},
): Promise<RunningServer> {
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
      limits: { ...limits, maxConnections: options.maxConnections },
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
