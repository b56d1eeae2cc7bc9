/**
 * The search benchmark in a small room, end to end: build the bundle, build the room, search it
 * with every kind of search, print the table. Asserts that every kind produced numbers and hits;
 * never asserts speed (exit code 1, the target missed on a busy machine, is still a run).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
// Its own output folder, so a real bench run in dist/bench is never disturbed.
const outdir = 'dist/bench-search-smoke';
const RUN_TIMEOUT_MS = 120_000;

let output: string;

beforeAll(async () => {
  await run(process.execPath, ['bench/search/build.js', '--outdir', outdir], { cwd: repoRoot });
  const args = ['--messages', '3000', '--queries', '160'];
  output = await run(process.execPath, [`${outdir}/search-bench.js`, ...args], {
    cwd: repoRoot,
    timeout: RUN_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  }).then(
    (finished) => finished.stdout,
    (error: { code?: unknown; stdout?: string; stderr?: string; message: string }) => {
      if (error.code === 1 && error.stdout) return error.stdout;
      throw new Error(`search bench failed: ${error.message}\n${error.stderr ?? ''}`);
    },
  );
}, RUN_TIMEOUT_MS + 30_000);

describe('node dist/bench/search-bench.js --messages 3000', () => {
  it('times every kind of search and sums them up against the target', () => {
    const kinds = ['common word', 'rare word', 'first letter', 'first 3 letters', 'two words'];
    for (const kind of [...kinds, 'phrase', 'in a channel', 'in a direct', 'all']) {
      expect(output).toMatch(new RegExp(`^\\| ${kind} \\| \\d+ \\|`, 'mu'));
    }
    expect(output).toMatch(/^\| all \| 160 \|/mu);
    expect(output).toMatch(
      /3000 messages, 160 searches \([\d.]+ hits each, at most 50\): p50 [\d.]+ ms, p99 [\d.]+ ms \(target < 50 ms: (met|MISSED)\)/u,
    );
    const hitsEach = Number(/\(([\d.]+) hits each/u.exec(output)![1]);
    expect(hitsEach).toBeGreaterThan(1);
  });
});
