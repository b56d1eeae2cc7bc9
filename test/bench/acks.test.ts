/**
 * `npm run bench:acks -- --smoke` end to end: the disk's fdatasync, the plain `ws` floors, then
 * the real host (memory store, then SQLite), each in a pinned child, acked by a client that keeps
 * one `say` in flight and by several. Asserts that every number was measured; never asserts speed.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const outdir = 'dist/bench-acks';
const RUN_TIMEOUT_MS = 90_000;

interface Latency {
  count: number;
  p50Ms: number;
  p99Ms: number;
}
interface AckRun {
  oneInFlightPerSecond: number;
  manySendersPerSecond: number;
  manySenders: Latency;
}

let dir: string;
let result: {
  fsync: Latency;
  plainWs: AckRun;
  plainWsFsync: AckRun;
  plainWsFsyncBusy: AckRun;
  busyMsPerSay: number;
  memory: AckRun;
  sqlite: AckRun;
  diskBoundPerSecond: number;
};
let output: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'parley-bench-acks-'));
  await run(process.execPath, ['bench/build.js', '--outdir', outdir], { cwd: repoRoot });
  const json = path.join(dir, 'acks.json');
  const finished = await run(process.execPath, [`${outdir}/acks.js`, '--smoke', '--json', json], {
    cwd: repoRoot,
    timeout: RUN_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  });
  output = finished.stdout;
  result = JSON.parse(await readFile(json, 'utf8')) as typeof result;
}, RUN_TIMEOUT_MS + 30_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run bench:acks -- --smoke', () => {
  it('measures the disk, and acks with one in flight and with many senders on every server', () => {
    expect(result.fsync.count).toBeGreaterThan(0);
    expect(result.fsync.p50Ms).toBeGreaterThan(0);
    const servers = [result.plainWs, result.plainWsFsync, result.plainWsFsyncBusy];
    for (const store of [...servers, result.memory, result.sqlite]) {
      expect(store.oneInFlightPerSecond).toBeGreaterThan(0);
      expect(store.manySendersPerSecond).toBeGreaterThan(0);
      expect(store.manySenders.count).toBeGreaterThan(0);
    }
    expect(result.diskBoundPerSecond).toBeGreaterThan(0);
    // The busy floor spends what the memory-store host takes a message beyond plain ws.
    expect(result.busyMsPerSay).toBeCloseTo(
      Math.max(
        0,
        1000 / result.memory.oneInFlightPerSecond - 1000 / result.plainWs.oneInFlightPerSecond,
      ),
      6,
    );
  });

  it('prints each ratio against its baseline from the same run', () => {
    expect(output).toContain('1/(fdatasync p50 + memory time)');
    expect(output).toContain('2 fdatasyncs + 1 ms');
    expect(output).toContain('SQLite vs plain `ws` + fdatasync');
    expect(output).toMatch(/SQLite vs plain `ws` \+ fdatasync \+ \d+\.\d\d ms busy a message/);
    expect(output).toMatch(/×\d+\.\d\d \(goal ≥ 0\.8\)/);
  });
});
