/**
 * `npm run bench -- scale-out [--quick | --smoke] [--json FILE] [--cpu-prof DIR]`: rooms that
 * outgrow one machine (issue 15). In one run: one Parley host, two Parley hosts sharing the room
 * through Redis, and two Socket.IO 4 servers joined by `@socket.io/redis-adapter`, each with
 * C clients split across its servers, through the main bench's generator, phases and ramp. Each
 * Redis is a fresh `redis-server` with AOF and `appendfsync always` (BENCH_APPENDFSYNC).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { REDIS_SERVER_BINARY } from '../../test/support/redis-server';
import { detectLaunchSupport, probeOpenFileLimit } from '../proc/pinned-child';
import { describeCommand, describeMachine } from '../report/docs';
import { renderMarkdown, tableFootnotes } from '../report/table';
import type { TargetResult } from '../results';
import { runSession, type TargetRunContext } from '../run-target';
import { scaleOutPlan } from './plan';
import {
  buildScaleOutTable,
  busiestCleanStep,
  deliveriesPerServerCore,
  targetLines,
  type ScaleOutResult,
} from './report';
import { BENCH_APPENDFSYNC, ScaleOutSession, type RedisCpuByPhase } from './scale-out-session';
import {
  SCALE_OUT_BASELINE,
  SCALE_OUT_TARGET_NAMES,
  SCALE_OUT_TARGETS,
  type ScaleOutTargetName,
} from './targets';

const WANTED_OPEN_FILES = 65_536;
const distDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const USAGE = `usage: npm run bench -- scale-out [options]
  --quick             smaller windows and ramp budget (1,000 clients still)
  --smoke             the smallest run (20 clients); used by the tests
  --targets a,b       only these (${SCALE_OUT_TARGET_NAMES.join(', ')})
  --json FILE         also write every number as JSON
  --cpu-prof DIR      run servers and generator with node --cpu-prof, profiles into DIR`;

function log(line: string): void {
  console.log(`[${(performance.now() / 1000).toFixed(1).padStart(6)}s] ${line}`);
}

function redisVersion(): string {
  const answer = spawnSync(REDIS_SERVER_BINARY, ['--version'], { encoding: 'utf8' });
  return /v=(\S+)/.exec(answer.stdout ?? '')?.[1] ?? 'unknown';
}

function parseOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      quick: { type: 'boolean' },
      smoke: { type: 'boolean' },
      targets: { type: 'string' },
      json: { type: 'string' },
      'cpu-prof': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const names = (values.targets?.split(',') ?? [...SCALE_OUT_TARGET_NAMES]).map((name) => {
    if (!(SCALE_OUT_TARGET_NAMES as readonly string[]).includes(name)) {
      throw new Error(`unknown target ${name}; pick from ${SCALE_OUT_TARGET_NAMES.join(', ')}`);
    }
    return name as ScaleOutTargetName;
  });
  if (values.quick && values.smoke) throw new Error('pick one of --quick and --smoke');
  const mode = values.smoke ? 'smoke' : values.quick ? 'quick' : 'full';
  return { ...values, mode, names } as const;
}

async function run(options: ReturnType<typeof parseOptions>): Promise<ScaleOutResult> {
  const startedAt = new Date();
  const started = performance.now();
  const plan = scaleOutPlan(options.mode);
  const launch = detectLaunchSupport();
  const notes = [
    ...launch.notes,
    'the servers of a target and its Redis share the server core (core 0); the generator has core 1.',
    `Redis ${redisVersion()}: AOF, appendfsync ${BENCH_APPENDFSYNC} (as docs/scale-out.md asks ` +
      'for production), a fresh folder on the local disk for each target; clients split evenly ' +
      'across a target’s servers, each message counted at every client of every server.',
  ];
  const note = (line: string) => {
    if (!notes.includes(line)) notes.push(line);
    log(`note: ${line}`);
  };
  const limit = probeOpenFileLimit(WANTED_OPEN_FILES, launch);
  if (options['cpu-prof']) mkdirSync(options['cpu-prof'], { recursive: true });
  const machine = describeMachine();
  log(
    `scale-out ${plan.mode} run, ${plan.sessions[0]!.clients} clients, load average ` +
      `${machine.loadAverage} on ${machine.cores} cores${launch.taskset ? '' : ' (unpinned)'}`,
  );
  const context: TargetRunContext = {
    launch,
    plan,
    distDir,
    openFiles: Math.min(WANTED_OPEN_FILES, limit ?? WANTED_OPEN_FILES),
    maxConnections: plan.sessions[0]!.clients + 10,
    ...(options['cpu-prof'] && { cpuProfileDir: path.resolve(options['cpu-prof']) }),
    log,
    note,
  };
  const targets: TargetResult[] = [];
  const redisCpu: Record<string, Record<number, number>> = {};
  for (const name of options.names) {
    const target = SCALE_OUT_TARGETS[name];
    const result: TargetResult = { name, label: target.label, sessions: [], failures: [] };
    targets.push(result);
    if (!existsSync(path.join(distDir, target.entry))) {
      result.failures.push(`not built (${target.entry} is missing from ${distDir})`);
      continue;
    }
    const shares: RedisCpuByPhase = new Map();
    log(`${name}: starting (${target.servers} server${target.servers > 1 ? 's' : ''})`);
    try {
      result.sessions.push(
        await runSession(target, plan.sessions[0]!, context, result.failures, (spec, ctx) =>
          ScaleOutSession.open(spec, ctx, shares),
        ),
      );
    } catch (error) {
      result.failures.push(error instanceof Error ? error.message : String(error));
    }
    redisCpu[name] = Object.fromEntries(shares);
    const perCore = deliveriesPerServerCore(busiestCleanStep(result));
    if (perCore !== undefined) log(`${name}: ${Math.round(perCore)} deliveries/s per server core`);
  }
  return {
    mode: plan.mode,
    command: describeCommand(process.argv.slice(2)),
    startedAt: startedAt.toISOString(),
    durationMs: performance.now() - started,
    machine,
    baseline: SCALE_OUT_BASELINE,
    notes,
    targets,
    redis: { version: redisVersion(), appendfsync: BENCH_APPENDFSYNC },
    redisCpu,
  };
}

function print(result: ScaleOutResult): void {
  const table = buildScaleOutTable(result);
  console.log('');
  console.log(
    `Command: ${result.command}; load average ${result.machine.loadAverage} at the start.`,
  );
  console.log('');
  console.log(renderMarkdown(table));
  for (const footnote of tableFootnotes(table)) console.log(footnote);
  console.log('');
  console.log(`Ratios (×) are to ${result.baseline}.`);
  for (const line of targetLines(result)) console.log(line);
  for (const line of result.notes) console.log(`note: ${line}`);
  for (const target of result.targets) {
    for (const failure of target.failures) console.log(`${target.name} failed: ${failure}`);
  }
  console.log(`total ${(result.durationMs / 1000).toFixed(0)} s`);
}

async function main(): Promise<number> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(process.argv.slice(3));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const result = await run(options);
  print(result);
  if (options.json) {
    writeFileSync(options.json, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`wrote ${options.json}`);
  }
  return result.targets.some((target) => target.failures.length > 0) ? 1 : 0;
}

process.exitCode = await main();
