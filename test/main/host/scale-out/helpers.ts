/**
 * Several hosts of one room on a real Redis: each test gets a fresh redis-server (its own port and
 * folder) and hosts on 127.0.0.1 that share it, all stopped after the test.
 */
import { startHost } from '../../../../main/host/server';
import type { HostOptions, ParleyHost } from '../../../../main/host/types';
import { TestRedis, type RedisServerOptions } from '../../../support/redis-server';
import { onCleanup, tempDir } from '../helpers/host';

/** Short leases: a dead host is noticed within about a second in tests. */
export const TEST_TUNING = { leaseMs: 800, checkEveryMs: 200, commandTimeoutMs: 1000 } as const;

export async function testRedis(options: RedisServerOptions = {}): Promise<TestRedis> {
  const redis = await TestRedis.start(options);
  onCleanup(() => redis.stop());
  return redis;
}

/** A host of the room in `redis` (the Redis's default room unless options say otherwise). */
export async function sharedHost(redis: TestRedis, options: HostOptions = {}): Promise<ParleyHost> {
  const host = await startHost({
    port: 0,
    host: '127.0.0.1',
    staticDir: await tempDir(),
    redis: redis.url,
    scaleOutTuning: TEST_TUNING,
    ...options,
  });
  onCleanup(() => host.close());
  return host;
}
