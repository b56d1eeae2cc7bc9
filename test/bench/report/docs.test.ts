import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  describeMachine,
  RESULTS_END,
  RESULTS_START,
  writeResultsIntoDocs,
} from '../../../bench/report/docs';
import { acksResult, benchResult, joinsResult, target } from '../fixtures';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'parley-bench-docs-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writing results into docs/benchmarks.md', () => {
  const result = benchResult([target('base', 1), target('slow', 2)]);

  it('creates the page with the command, the machine and the table', async () => {
    const file = path.join(dir, 'benchmarks.md');
    await writeResultsIntoDocs(file, result);
    const page = await readFile(file, 'utf8');
    expect(page).toMatch(/^# Benchmarks/);
    expect(page).toContain('`npm run bench -- --write-docs`');
    expect(page).toContain('Test CPU, 2 cores');
    expect(page).toContain('Node v20.0.0');
    expect(page).toMatch(/\| measurement +\| label of base +\| +label of slow +\|/);
    expect(page).toContain('- a note');
  });

  it('replaces only the results block and keeps the hand-written text around it', async () => {
    const file = path.join(dir, 'benchmarks.md');
    await writeFile(
      file,
      `# Mine\n\nintro\n\n${RESULTS_START}\nold numbers\n${RESULTS_END}\n\n## Profile\n\nnotes\n`,
    );
    await writeResultsIntoDocs(file, result);
    await writeResultsIntoDocs(file, result);
    const page = await readFile(file, 'utf8');
    expect(page.startsWith('# Mine\n\nintro\n')).toBe(true);
    expect(page.trimEnd().endsWith('## Profile\n\nnotes')).toBe(true);
    expect(page).not.toContain('old numbers');
    expect(page.split(RESULTS_START)).toHaveLength(2);
  });

  it('adds the joins and durable-ack cases, each as ratios to its baseline from the run', async () => {
    const file = path.join(dir, 'benchmarks.md');
    await writeResultsIntoDocs(file, { ...result, joins: joinsResult(), acks: acksResult() });
    const page = await readFile(file, 'utf8');
    expect(page).toContain('### Joins and held connections against plain ws holding presence');
    expect(page).toMatch(
      /\| 10,000 joins, with deflate: seconds until everyone was welcomed and told +\| +6\.0 +\| +5\.0 +\| +×1\.20 \(goal ≤ 1\.5\) +\|/,
    );
    expect(page).toMatch(
      /\| 10,000 joins, without deflate, parley\.v2 clients: idle server RSS per connection \(KiB\) +\| +7\.7 +\| +7\.0 +\| +×1\.10 \(goal ≤ 1\.25\) +\|/,
    );
    expect(page).toMatch(
      /\| 19,800 held, without deflate: connections open +\| +19800 +\| +19800 +\|/,
    );
    expect(page).toContain('soft open-file limit 20000 (the hard limit)');
    expect(page).toContain('### Durable acks against the disk, plain `ws` and the memory store');
    // 2,000 against 1 / (0.25 ms + 0.125 ms) = 2,667: ×0.75.
    expect(page).toMatch(
      /1\/\(fdatasync p50 \+ memory time\) +\| +2,000 +\| +2,667 +\| +×0\.75 \(goal ≥ 0\.8\)/,
    );
    expect(page).toMatch(/2 fdatasyncs \+ 1 ms +\| +1\.30 +\| +1\.50 +\| +×0\.87 \(goal ≤ 1\)/);
  });

  it('names a case that produced no numbers', async () => {
    const file = path.join(dir, 'benchmarks.md');
    await writeResultsIntoDocs(file, { ...result, caseFailures: ['acks: the host did not start'] });
    const page = await readFile(file, 'utf8');
    expect(page).toContain('- acks: the host did not start');
    expect(page).not.toContain('### Durable acks');
  });
});

describe('describeMachine', () => {
  it('names the CPU, the cores and the Node version', () => {
    const machine = describeMachine();
    expect(machine.cpuModel.length).toBeGreaterThan(0);
    expect(machine.cores).toBeGreaterThan(0);
    expect(machine.node).toBe(process.version);
  });
});
