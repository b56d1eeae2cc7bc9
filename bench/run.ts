/**
 * `npm run bench`: runs every target under the same load, prints one table with ratios to the
 * coalesced-ws baseline, and optionally writes it into docs/benchmarks.md and a JSON file.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureAcks } from './acks';
import { parseBenchOptions, UsageError, USAGE, type BenchOptions } from './cli-options';
import { measureJoins } from './joins';
import { peakClients, PLANS } from './plan';
import { detectLaunchSupport, probeOpenFileLimit } from './proc/pinned-child';
import { caseSections } from './report/cases-tables';
import { buildConversationsTable } from './report/conversations-table';
import {
  CONVERSATIONS_HEADING,
  describeCommand,
  describeMachine,
  writeResultsIntoDocs,
} from './report/docs';
import { buildTable, renderMarkdown, tableFootnotes } from './report/table';
import type { BenchResult, TargetResult } from './results';
import { benchTarget, type TargetRunContext } from './run-target';
import { BASELINE, TARGETS } from './targets';

/** Asked of every child; the hard limit may allow less, which the run then reports. */
const WANTED_OPEN_FILES = 65_536;

const distDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(distDir, '..', '..');

function startClock() {
  const started = performance.now();
  return (line: string) => {
    const seconds = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
    console.log(`[${seconds}s] ${line}`);
  };
}

async function run(options: BenchOptions): Promise<BenchResult> {
  const startedAt = new Date();
  const started = performance.now();
  const plan = PLANS[options.mode];
  const launch = detectLaunchSupport();
  const notes = [...launch.notes];
  const log = startClock();
  const note = (line: string) => {
    if (!notes.includes(line)) notes.push(line);
    log(`note: ${line}`);
  };
  for (const line of launch.notes) log(`note: ${line}`);

  const limit = probeOpenFileLimit(WANTED_OPEN_FILES, launch);
  if (limit !== undefined && limit < WANTED_OPEN_FILES) {
    note(
      `could not raise the open-file limit to ${WANTED_OPEN_FILES} (hard limit ${limit}); ` +
        `children run with ${limit}.`,
    );
  }
  if (options.cpuProfileDir) mkdirSync(options.cpuProfileDir, { recursive: true });

  const machine = describeMachine();
  if (machine.loadAverage > machine.cores / 2) {
    note(
      `the machine was busy before the run (load average ${machine.loadAverage} on ${machine.cores} cores): ` +
        'other processes share the pinned cores, so latencies include waiting for a CPU.',
    );
  }
  log(
    `${options.mode} run on ${machine.cpuModel} (${machine.cores} cores), Node ${machine.node}; ` +
      `servers on core 0, generator on core 1${launch.taskset ? '' : ' (unpinned)'}`,
  );

  const context: TargetRunContext = {
    launch,
    plan,
    distDir,
    openFiles: WANTED_OPEN_FILES,
    maxConnections: peakClients(plan) + 10,
    ...(options.cpuProfileDir && { cpuProfileDir: path.resolve(options.cpuProfileDir) }),
    log,
    note,
  };
  const targets: TargetResult[] = [];
  for (const name of options.targets) {
    const target = TARGETS[name];
    if (!existsSync(path.join(distDir, target.entry))) {
      const why = `not built (${target.entry} is missing from ${distDir}; see bench/build.js)`;
      log(`${name}: ${why}`);
      targets.push({ name, label: target.label, sessions: [], failures: [why] });
      continue;
    }
    log(`${name}: starting`);
    targets.push(await benchTarget(target, context));
  }
  // The cases of issue 16, each against its own baseline (bench/joins.ts, bench/acks.ts).
  const caseFailures: string[] = [];
  const measureCase = async <T>(name: string, measure: () => Promise<T>) => {
    if (options.skipCases) return undefined;
    log(`${name}: starting`);
    return measure().catch((error: unknown) => {
      caseFailures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
  };
  const joins = await measureCase('joins', () =>
    measureJoins(options.mode, { held: true, log: (line) => log(`joins: ${line}`) }),
  );
  const acks = await measureCase('acks', () =>
    measureAcks(options.mode, { cpuProfileDir: context.cpuProfileDir }),
  );
  return {
    mode: options.mode,
    command: describeCommand(process.argv.slice(2)),
    startedAt: startedAt.toISOString(),
    durationMs: performance.now() - started,
    machine,
    baseline: BASELINE,
    notes,
    targets,
    joins,
    acks,
    caseFailures,
  };
}

function printResult(result: BenchResult): void {
  const table = buildTable(result);
  console.log('');
  console.log(renderMarkdown(table));
  for (const footnote of tableFootnotes(table)) console.log(footnote);
  console.log('');
  console.log(`Ratios (×) are to ${result.baseline}; above 1 means more than the baseline.`);
  const conversations = buildConversationsTable(result);
  if (conversations) {
    console.log('');
    console.log(CONVERSATIONS_HEADING);
    console.log(renderMarkdown(conversations));
  }
  for (const { heading, table, footnote } of caseSections(result)) {
    console.log('');
    console.log(heading);
    console.log(table);
    console.log(footnote);
  }
  for (const line of result.notes) console.log(`note: ${line}`);
  for (const target of result.targets) {
    for (const failure of target.failures) console.log(`${target.name} failed: ${failure}`);
  }
  for (const failure of result.caseFailures ?? []) console.log(`failed: ${failure}`);
  console.log(`total ${(result.durationMs / 1000).toFixed(0)} s`);
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const result = await run(options);
  printResult(result);
  if (options.jsonPath) {
    writeFileSync(options.jsonPath, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`wrote ${options.jsonPath}`);
  }
  if (options.writeDocs) {
    const docs = path.join(repoRoot, 'docs', 'benchmarks.md');
    await writeResultsIntoDocs(docs, result);
    console.log(`wrote ${path.relative(process.cwd(), docs) || docs}`);
  }
  const failed =
    result.targets.some((target) => target.failures.length > 0) ||
    (result.caseFailures ?? []).length > 0;
  return failed ? 1 : 0;
}

// `npm run bench -- files`: the files benchmark (bench/files/), a run of its own.
if (process.argv[2] === 'files') {
  await import(new URL('./files/files-bench.js', import.meta.url).href);
} else if (process.argv[2] === 'scale-out') {
  // `npm run bench -- scale-out`: two hosts and Redis against Socket.IO on Redis (bench/scale-out/).
  await import(new URL('./scale-out/scale-out-bench.js', import.meta.url).href);
} else {
  process.exitCode = await main();
}
