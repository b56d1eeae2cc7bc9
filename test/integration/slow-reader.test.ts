/**
 * A client that never reads: once the host's unsent backlog for it passes maxBacklogBytes it is
 * dropped with `too_slow` / 4008, the host's memory stays bounded although far more than the
 * limit keeps flowing, and everyone else keeps getting messages as promptly as before.
 */
import { describe, expect, it } from 'vitest';
import { readRssKiB } from '../../bench/proc/linux-proc';
import { useCliTestFile } from './helpers/cli-test-file';
import { startCliHost } from './helpers/cli-process';
import { ChatClient } from './helpers/chat-client';
import { RawClient } from './helpers/raw-client';
import { withTimeout } from '../support/wait';

const dirs = useCliTestFile('slow-reader');

const BACKLOG_LIMIT = 256 * 1024;
const TEXT_LENGTH = 60_000;
/**
 * 800 × 60 KB ≈ 48 MB to every reader: ten times what the kernel buffers of a socket that never
 * read hold (see where `slow` joins).
 */
const LOAD_MESSAGES = 800;
/** Before the stall: enough for the host's memory to reach its working size. */
const WARM_UP_MESSAGES = 300;
/**
 * The host's young generation, fixed at the size V8 grows it to under this load (two 16 MiB
 * semi-spaces on 64-bit). Left to itself V8 doubles it step by step while traffic is heavy, and
 * the last doubling, 16 MiB of resident memory, came after the warm-up in some runs: it was then
 * counted as growth the stalled client caused. Fixed from the start, it is part of the working
 * size the warm-up measures, and what grows afterwards is what the stall costs.
 */
const HOST_NODE_FLAGS = ['--min-semi-space-size=16', '--max-semi-space-size=16'];
/** The loader waits for the readers every this many messages, so only the stalled one lags. */
const CHUNK = 20;
const PROBES = 5;
const FLAGS = [
  ...['--max-backlog-bytes', String(BACKLOG_LIMIT)],
  ...['--max-text-length', String(TEXT_LENGTH)],
  ...['--rate-burst', '100000', '--rate-per-second', '100000'],
];
/** No compression: the byte counts above are what crosses the wire. */
const SOCKETS = { perMessageDeflate: false } as const;
const MiB = 1024 * 1024;

function bulkText(n: number): string {
  // Unique per message, so a duplicate could not hide.
  const unit = `${n.toString(36)}-${'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(3)}-`;
  return unit.repeat(Math.ceil(TEXT_LENGTH / unit.length)).slice(0, TEXT_LENGTH);
}

interface Reader {
  reached(seq: number, ms: number): Promise<void>;
}

/**
 * Posts `count` bulk messages in chunks, each chunk once every reader has the one before.
 * Returns how long each chunk took to reach every reader.
 */
async function pushLoad(loader: ChatClient, readers: Reader[], count: number): Promise<number[]> {
  const chunkMs: number[] = [];
  for (let sent = 0; sent < count; sent += CHUNK) {
    const startedAt = performance.now();
    const seq = loader.lastSeq + CHUNK;
    for (let n = 0; n < CHUNK; n++) loader.send(bulkText(loader.posted.length));
    await Promise.all(readers.map((reader) => reader.reached(seq, 20_000)));
    chunkMs.push(performance.now() - startedAt);
  }
  return chunkMs;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

/** The host's resident memory (VmRSS), sampled while a phase runs; keeps the peak. */
class PeakSampler {
  #peakKiB = 0;
  readonly #timer: NodeJS.Timeout;

  constructor(pid: number) {
    const sample = () => (this.#peakKiB = Math.max(this.#peakKiB, readRssKiB(pid) ?? 0));
    sample();
    this.#timer = setInterval(sample, 25);
  }

  /** The peak since the last call, and starts a new phase. */
  takePeak(): number {
    const peak = this.#peakKiB;
    this.#peakKiB = 0;
    return peak;
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

/** Sends probes one at a time; returns the median ms from send to every reader having it. */
async function probeLatency(prober: ChatClient, readers: ChatClient[], label: string) {
  const latencies: number[] = [];
  for (let n = 1; n <= PROBES; n++) {
    const sentAt = performance.now();
    prober.send(`${label} probe ${n}`);
    const seq = prober.lastSeq + 1;
    await Promise.all(readers.map((reader) => reader.reached(seq, 10_000)));
    latencies.push(performance.now() - sentAt);
  }
  return median(latencies);
}

describe('a client that never reads', () => {
  it('is dropped with 4008 while the host stays small and the others stay prompt', async () => {
    const host = await startCliHost({
      dataDir: await dirs.make(),
      flags: FLAGS,
      nodeFlags: HOST_NODE_FLAGS,
    });
    const readers = ['reader-1', 'reader-2'].map(
      (name) => new ChatClient({ url: host.url, name, socketOptions: SOCKETS }),
    );
    const loader = new ChatClient({ url: host.url, name: 'loader', socketOptions: SOCKETS });
    const prober = new ChatClient({ url: host.url, name: 'prober', socketOptions: SOCKETS });
    await Promise.all([...readers, loader, prober].map((client) => client.connect()));
    const everyone = [...readers, loader, prober];

    const before = await probeLatency(prober, everyone, 'before');
    // Warm-up with everyone reading, so the host's heap and caches reach their working size and
    // what grows afterwards is what the stalled client costs.
    const rss = new PeakSampler(host.pid);
    let warmPeakKiB: number;
    let stalledPeakKiB: number;
    let slow: RawClient;
    let resumed: Promise<void>;
    let warmChunkMs: number[];
    let stalledChunkMs: number[];
    try {
      warmChunkMs = await pushLoad(loader, everyone, WARM_UP_MESSAGES);
      warmPeakKiB = rss.takePeak();

      // Joins only now, and stops reading at once: the kernel grows the receive buffer of a
      // socket that reads fast (up to tcp_rmem's maximum, 32 MiB on some machines), and one that
      // had read the warm-up would have held most of the load itself, without the host noticing.
      ({ client: slow } = await RawClient.join(host.url, 'slow', undefined, SOCKETS));
      slow.socket.pause();
      // The host prints presence: the moment it gives up on `slow` shows on its stdout.
      resumed = host.process.waitForOutput(/\* slow left/, 60_000).then(() => slow.socket.resume());
      stalledChunkMs = await pushLoad(loader, everyone, LOAD_MESSAGES);
      stalledPeakKiB = rss.takePeak();
    } finally {
      rss.stop();
    }
    await withTimeout(resumed, 5000, 'the host to drop the slow client');

    // Once it reads again it finds the host's explanation at the end of what was queued.
    const closed = await slow.waitClosed(10_000);
    expect(closed.code).toBe(4008);
    expect(slow.received('error').at(-1)?.code).toBe('too_slow');
    expect(slow.invalid).toEqual([]);
    // It got no further than the backlog: far less than what the others received.
    const slowLast = slow.received('message').at(-1)?.seq ?? 0;
    expect(slowLast).toBeLessThan(WARM_UP_MESSAGES + LOAD_MESSAGES / 2);
    for (const client of everyone) {
      expect(client.departures.map(({ name }) => name)).toEqual(['slow']);
      expect(client.endedBy).toBeUndefined();
      expect(client.session.state).toBe('open');
    }

    // ~48 MB went to every reader after the stall; an undropped backlog would have kept nearly
    // all of it in the host. Growth stays a fraction of that.
    const growthMiB = (stalledPeakKiB - warmPeakKiB) / 1024;
    expect(growthMiB).toBeLessThan((LOAD_MESSAGES * TEXT_LENGTH) / MiB / 2);

    // The others stay prompt, in order of magnitude (a shared 2-core machine is noisy): the last
    // chunks of bulk traffic reach every reader about as fast as chunks did before the stall, and
    // so do small messages.
    expect(median(stalledChunkMs.slice(-5))).toBeLessThan(10 * median(warmChunkMs) + 250);
    const after = await probeLatency(prober, everyone, 'after');
    expect(after).toBeLessThan(10 * before + 250);
  }, 90_000);
});
