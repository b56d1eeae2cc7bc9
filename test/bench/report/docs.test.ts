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
import { benchResult, target } from '../fixtures';

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
});

describe('describeMachine', () => {
  it('names the CPU, the cores and the Node version', () => {
    const machine = describeMachine();
    expect(machine.cpuModel.length).toBeGreaterThan(0);
    expect(machine.cores).toBeGreaterThan(0);
    expect(machine.node).toBe(process.version);
  });
});
