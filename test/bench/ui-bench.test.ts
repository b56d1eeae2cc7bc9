/**
 * The UI benchmark in its tiny mode, end to end: build the bundles, run the script against real
 * headless Chromium, read back the JSON and the docs page it wrote. Asserts that every part
 * produced numbers and that the docs section landed between its markers; never asserts speed.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UI_SECTION_END, UI_SECTION_START } from '../../bench/ui/ui-report';
import { uiBenchResultSchema } from '../../bench/ui/ui-results';
import type { UiBenchResult } from '../../bench/ui/ui-results';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
// Its own output folder, so a real `npm run bench` in dist/bench is never disturbed.
const outdir = 'dist/bench-ui-smoke';
const RUN_TIMEOUT_MS = 135_000;
const OTHER_CONTENT =
  '# Benchmarks\n\nThe load benchmark writes here.\n\n## Method\n\nUntouched.\n';

let dir: string;
let docs: string;
let result: UiBenchResult;
let output: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'parley-ui-bench-'));
  docs = path.join(dir, 'benchmarks.md');
  await writeFile(docs, OTHER_CONTENT);
  await run(process.execPath, ['bench/ui/build.js', '--outdir', outdir], { cwd: repoRoot });
  const json = path.join(dir, 'result.json');
  const args = ['--tiny', '--json', json, '--write-docs', '--docs', docs];
  const finished = await run(process.execPath, [`${outdir}/ui-bench.js`, ...args], {
    cwd: repoRoot,
    timeout: RUN_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
    throw new Error(
      `ui bench failed: ${error.message}\n${error.stdout ?? ''}\n${error.stderr ?? ''}`,
    );
  });
  output = finished.stdout;
  result = v.parse(uiBenchResultSchema, JSON.parse(await readFile(json, 'utf8')));
}, RUN_TIMEOUT_MS + 30_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('node dist/bench/ui-bench.js --tiny', () => {
  it('measures every mode without a failure', () => {
    expect(result.tiny).toBe(true);
    expect(result.plan).toEqual({ messages: 500, rate: 500, seconds: 1 });
    expect(result.modes.map((mode) => mode.mode)).toEqual(['batched', 'formatted', 'unbatched']);
    for (const mode of result.modes) expect(mode.failures, mode.mode).toEqual([]);
    expect(result.machine.chromium).toMatch(/^\d+\./);
  });

  it('reports the load, the frames of the stream and the heap in each mode', () => {
    for (const mode of result.modes) {
      expect(mode.frameIntervalMs, mode.mode).toBeGreaterThan(0);
      expect(mode.load.messages).toBe(500);
      expect(mode.load.shownMs, mode.mode).toBeGreaterThan(0);
      expect(mode.load.renders, mode.mode).toBeGreaterThan(0);
      expect(mode.stream.sent).toBe(500);
      expect(mode.stream.catchUpMs, mode.mode).not.toBeNull();
      expect(mode.stream.frames.frames, mode.mode).toBeGreaterThan(0);
      expect(mode.stream.frames.longestMs).toBeGreaterThanOrEqual(mode.stream.frames.p95Ms);
      expect(mode.stream.frames.p95Ms).toBeGreaterThanOrEqual(mode.stream.frames.medianMs);
      expect(mode.stream.frames.medianMs).toBeGreaterThan(0);
      expect(mode.heapAfterLoadMiB, mode.mode).toBeGreaterThan(0);
      expect(mode.heapAfterStreamMiB, mode.mode).toBeGreaterThan(0);
      expect(mode.stream.peakHeapMiB, mode.mode).toBeGreaterThan(0);
    }
  });

  it('shows batching at work: unbatched renders once per event, batched far less often', () => {
    const byName = (name: string) => result.modes.find((mode) => mode.mode === name);
    const [batched, unbatched] = [byName('batched'), byName('unbatched')];
    // Each message is an entry and the conversation list it changed; read markers add lists.
    expect(unbatched!.stream.events).toBeGreaterThanOrEqual(1000);
    expect(unbatched!.stream.renders).toBe(unbatched!.stream.events);
    expect(batched!.stream.renders).toBeGreaterThan(0);
    expect(batched!.stream.renders).toBeLessThan(unbatched!.stream.renders);
  });

  it('prints the table with both modes and their ratio', () => {
    expect(output).toContain('batched (as shipped)');
    expect(output).toContain('unbatched ÷ batched');
    expect(output).toMatch(
      /500 history messages: newest shown after \(ms\)\s+[\d.,]+\s+[\d.,]+\s+×/,
    );
    expect(output).toContain('+500 msg/s for 1 s: p95 frame time (ms)');
  });

  it('writes its section between the markers and leaves the rest of the page alone', async () => {
    const page = await readFile(docs, 'utf8');
    expect(page.startsWith(OTHER_CONTENT.trimEnd())).toBe(true);
    expect(page.split(UI_SECTION_START)).toHaveLength(2);
    expect(page.split(UI_SECTION_END)).toHaveLength(2);
    const section = page.slice(page.indexOf(UI_SECTION_START), page.indexOf(UI_SECTION_END));
    expect(section).toContain('## UI under load');
    expect(section).toContain('| 500 history messages: newest shown after (ms)');
  });
});
