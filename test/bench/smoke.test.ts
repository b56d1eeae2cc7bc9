/**
 * `npm run bench` in its smallest mode, end to end: build the bundles, run the orchestrator with
 * its pinned server and generator processes against every target, read the JSON it wrote.
 * Asserts that every target produced numbers and lost nothing; never asserts speed.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACKS_HEADING, JOINS_HEADING } from '../../bench/report/cases-tables';
import { benchResultSchema, type BenchResult, type MeasuredPhase } from '../../bench/results';
import { TARGET_NAMES } from '../../bench/targets';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
// Its own output folder, so a real `npm run bench` in dist/bench is never disturbed.
const outdir = 'dist/bench-smoke';
const RUN_TIMEOUT_MS = 170_000;

let dir: string;
let result: BenchResult;
let output: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'parley-bench-smoke-'));
  await run(process.execPath, ['bench/build.js', '--outdir', outdir], { cwd: repoRoot });
  const json = path.join(dir, 'result.json');
  const finished = await run(process.execPath, [`${outdir}/run.js`, '--smoke', '--json', json], {
    cwd: repoRoot,
    timeout: RUN_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
    throw new Error(
      `bench run failed: ${error.message}\n${error.stdout ?? ''}\n${error.stderr ?? ''}`,
    );
  });
  output = finished.stdout;
  result = v.parse(benchResultSchema, JSON.parse(await readFile(json, 'utf8')));
}, RUN_TIMEOUT_MS + 30_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function phasesOf(name: string): MeasuredPhase[] {
  const target = result.targets.find((t) => t.name === name)!;
  return target.sessions
    .flatMap((s) => [s.light, s.load, ...(s.ramp?.steps ?? [])])
    .filter((p) => p !== undefined);
}

describe('npm run bench -- --smoke', () => {
  it('runs every target without a failure', () => {
    expect(result.mode).toBe('smoke');
    expect(result.targets.map((t) => t.name)).toEqual([...TARGET_NAMES]);
    for (const target of result.targets) expect(target.failures, target.name).toEqual([]);
  });

  it('reports throughput, latency, server CPU and memory for every target', () => {
    for (const target of result.targets) {
      const session = target.sessions[0]!;
      expect(session.connections.open, target.name).toBe(session.clients);
      for (const phase of [session.light!, session.load!]) {
        expect(phase.deliveriesPerSecond, target.name).toBeGreaterThan(0);
        expect(phase.latency.count, target.name).toBeGreaterThan(0);
        expect(phase.latency.p99Ms, target.name).toBeGreaterThan(0);
        expect(phase.serverCpuMs, target.name).toBeGreaterThanOrEqual(0);
      }
      expect(session.ramp?.steps.length, target.name).toBeGreaterThan(0);
      expect(target.hold?.open, target.name).toBe(target.hold?.requested);
      expect(target.hold?.serverRssKiB, target.name).toBeGreaterThan(0);
    }
  });

  it('delivers every message to every client: nothing lost, nothing twice', () => {
    for (const target of result.targets) {
      for (const phase of phasesOf(target.name)) {
        expect({
          target: target.name,
          lost: phase.lost,
          duplicates: phase.duplicates,
          dropped: phase.droppedClients,
        }).toEqual({
          target: target.name,
          lost: 0,
          duplicates: 0,
          dropped: 0,
        });
        expect(phase.errorFrames, target.name).toEqual({});
      }
    }
  });

  it('prints one table with a column per target and ratios to the baseline', () => {
    const header = output.split('\n').find((line) => line.startsWith('| measurement'));
    expect(header).toBeDefined();
    for (const target of result.targets) expect(header).toContain(target.label);
    expect(output).toMatch(/\(×\d+\.\d\d\)/);
    expect(output).toContain(`Ratios (×) are to ${result.baseline}`);
  });

  it('joins and holds connections on Parley and plain ws, with and without deflate', () => {
    const joins = result.joins!;
    expect(joins.runs.map((r) => `${r.server} ${r.deflate} ${r.held}`).sort()).toEqual([
      'parley false false',
      'parley false true',
      'parley true false',
      'parley-v2 false false',
      'parley-v2 true false',
      'ws-presence false false',
      'ws-presence false true',
      'ws-presence true false',
    ]);
    for (const run of joins.runs) {
      expect(run).toMatchObject({ open: run.requested, failed: 0 });
      expect(run.requested).toBe(run.held ? joins.held : joins.clients);
    }
    expect(output).toContain(JOINS_HEADING);
    expect(output).toMatch(/held, without deflate: connections open/);
    expect(output).toMatch(/joins, without deflate, parley\.v2 clients: connections open/);
  });

  it('measures durable acks against the disk and the memory store', () => {
    const acks = result.acks!;
    expect(acks.fsync.p50Ms).toBeGreaterThan(0);
    for (const store of [acks.memory, acks.sqlite]) {
      expect(store.oneInFlightPerSecond).toBeGreaterThan(0);
      expect(store.manySenders.count).toBeGreaterThan(0);
    }
    expect(output).toContain(ACKS_HEADING);
    expect(output).toMatch(/×\d+\.\d\d \(goal ≥ 0\.8\)/);
    expect(output).toMatch(/2 fdatasyncs \+ 1 ms .*×\d+\.\d\d \(goal ≤ 1\)/);
    expect(result.caseFailures).toEqual([]);
  });

  it('describes the machine it ran on', () => {
    expect(result.machine.cores).toBeGreaterThan(0);
    expect(result.machine.node).toMatch(/^v\d+/);
  });
});
