/**
 * The append path of a shared room alone (docs/scale-out.md, "Capacity model"): appends per second
 * and their latency through the APPEND script, one conversation, N appends in flight, on a fresh
 * local redis-server per setting. Run (TOTAL appends per setting, default 20,000):
 *   node bench/build.js && node dist/bench/scale-out-appends.js [TOTAL]
 */
import type { EntryDraft } from '../main/host/entry-log';
import { RedisLink } from '../main/host/scale-out/redis-link';
import { SharedRoom } from '../main/host/scale-out/shared-room';
import { TestRedis } from '../test/support/redis-server';

const TOTAL = Number(process.argv[2] ?? 20_000);

async function measure(appendfsync: 'always' | 'everysec', inFlight: number): Promise<string> {
  const redis = await TestRedis.start({ appendfsync });
  const link = new RedisLink({
    url: redis.url,
    commandTimeoutMs: 5000,
    maxReconnectDelayMs: 1000,
    onError: () => {},
  });
  await link.connect();
  const options = { hostId: 'h_bench', streamLength: 100_000, sayIdTtlSeconds: 3600 };
  const room = await SharedRoom.open(
    link,
    'bench',
    'Bench',
    () => 'bench',
    options,
    () => {},
  );
  let next = 0;
  const latencies: number[] = [];
  const started = performance.now();
  const worker = async (index: number) => {
    const from = { id: `u_${index}`, name: `writer${index}` };
    while (next < TOTAL) {
      const draft: EntryDraft = { kind: 'text', id: `m${next++}`, from, text: 'x'.repeat(100) };
      const sent = performance.now();
      await room.append('general', draft);
      latencies.push(performance.now() - sent);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, (_, index) => worker(index)));
  const seconds = (performance.now() - started) / 1000;
  await link.close();
  await redis.stop();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.floor(q * (latencies.length - 1))]!.toFixed(2);
  const rate = Math.round(TOTAL / seconds);
  return `appendfsync ${appendfsync}, ${inFlight} in flight: ${rate} appends/s, p50 ${at(0.5)} ms, p99 ${at(0.99)} ms`;
}

for (const appendfsync of ['always', 'everysec'] as const) {
  for (const inFlight of [1, 50]) console.log(await measure(appendfsync, inFlight));
}
