/**
 * `npm run bench -- scale-out --smoke` end to end: build the bundles, run one Parley host, two
 * Parley hosts on a real redis-server and two Socket.IO servers on another, read the JSON it
 * wrote. Clients are split across each target's servers, so nothing lost means every message
 * posted through one server reached the clients of the other. Never asserts speed. Needs
 * redis-server: a missing binary fails the run (test/support/redis-server.ts), never skips.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchResultSchema, type BenchResult } from '../../bench/results';
import { SCALE_OUT_TARGET_NAMES } from '../../bench/scale-out/targets';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
// Its own output folder: the main smoke test and a real run use others.
const outdir = 'dist/bench-scale-out-smoke';
const RUN_TIMEOUT_MS = 120_000;

let dir: string;
let result: BenchResult;
let output: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'parley-scale-out-smoke-'));
  await run(process.execPath, ['bench/build.js', '--outdir', outdir], { cwd: repoRoot });
  const json = path.join(dir, 'result.json');
  const finished = await run(
    process.execPath,
    [`${outdir}/run.js`, 'scale-out', '--smoke', '--json', json],
    { cwd: repoRoot, timeout: RUN_TIMEOUT_MS, killSignal: 'SIGKILL' },
  ).catch((error: { stdout?: string; stderr?: string; message: string }) => {
    throw new Error(
      `scale-out bench failed: ${error.message}\n${error.stdout ?? ''}\n${error.stderr ?? ''}`,
    );
  });
  output = finished.stdout;
  result = v.parse(benchResultSchema, JSON.parse(await readFile(json, 'utf8')));
}, RUN_TIMEOUT_MS + 30_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run bench -- scale-out --smoke', () => {
  it('runs one host, two hosts on Redis and two Socket.IO servers on Redis, without a failure', () => {
    expect(result.targets.map((target) => target.name)).toEqual([...SCALE_OUT_TARGET_NAMES]);
    for (const target of result.targets) expect(target.failures, target.name).toEqual([]);
  });

  it('delivers every message to every client of every server: nothing lost, nothing twice', () => {
    for (const target of result.targets) {
      const session = target.sessions[0]!;
      expect(session.connections.open, target.name).toBe(session.clients);
      const phases = [session.light!, ...(session.ramp?.steps ?? [])];
      expect(session.ramp?.steps.length, target.name).toBeGreaterThan(0);
      for (const phase of phases) {
        expect(phase.receivers, target.name).toBe(session.clients);
        expect(phase.latency.count, target.name).toBeGreaterThan(0);
        expect(
          { target: target.name, lost: phase.lost, duplicates: phase.duplicates },
          target.name,
        ).toEqual({ target: target.name, lost: 0, duplicates: 0 });
        expect(phase.errorFrames, target.name).toEqual({});
      }
    }
  });

  it('prints the table, the two targets of the issue and how Redis ran', () => {
    const header = output.split('\n').find((line) => line.startsWith('| measurement'));
    for (const target of result.targets) expect(header).toContain(target.label);
    // A ratio, or why there is none (a busy machine can fail every ramp step: speed is not tested).
    expect(output).toMatch(
      /^Throughput: (parley-2-redis .* deliveries\/s ÷ socket\.io-2-redis|no ramp step passed)/m,
    );
    expect(output).toMatch(/Light load: parley-2-redis p99 .* ÷ parley-1 p99/);
    expect(output).toContain('appendfsync always');
    expect(output).toContain('share the server core');
  });
});
