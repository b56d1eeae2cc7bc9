/**
 * `npm run bench:joins -- --smoke` end to end: plain `ws` holding presence and the real host (by
 * parley.v1 clients, then by parley.v2 clients), each joined by `ws` clients with and without
 * permessage-deflate from a pinned child. Asserts that everyone got in and every number was
 * measured; never asserts speed.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const outdir = 'dist/bench-joins';
const RUN_TIMEOUT_MS = 120_000;

interface JoinRun {
  server: string;
  deflate: boolean;
  open: number;
  failed: number;
  settledMs: number;
  rssPerConnectionKiB: number;
}

let dir: string;
let result: { clients: number; openFiles: number; runs: JoinRun[] };
let output: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'parley-bench-joins-'));
  await run(process.execPath, ['bench/build.js', '--outdir', outdir], { cwd: repoRoot });
  const json = path.join(dir, 'joins.json');
  const finished = await run(process.execPath, [`${outdir}/joins.js`, '--smoke', '--json', json], {
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

describe('npm run bench:joins -- --smoke', () => {
  it('joins everyone to both servers, in both protocols, with and without deflate', () => {
    expect(result.runs.map((r) => `${r.server} ${r.deflate}`).sort()).toEqual([
      'parley false',
      'parley true',
      'parley-v2 false',
      'parley-v2 true',
      'ws-presence false',
      'ws-presence true',
    ]);
    for (const joined of result.runs) {
      expect(joined).toMatchObject({ open: result.clients, failed: 0 });
      expect(joined.settledMs).toBeGreaterThan(0);
    }
  });

  it('says which open-file limit the children got and prints each ratio', () => {
    expect(result.openFiles).toBeGreaterThan(0);
    expect(output).toContain(`soft open-file limit raised to ${result.openFiles}`);
    expect(output).toMatch(/×\d+\.\d\d \(goal ≤ 1\.5\)/);
    expect(output).toMatch(
      /joins, with deflate, parley\.v2 clients: idle server RSS .* \(goal ≤ 1\.25\)/,
    );
  });
});
