/**
 * Starts a benchmark child (server under test or load generator) on its own core with a raised
 * open-file limit: `bash -c 'ulimit -n N; exec taskset -c CORE node script'`. `exec` keeps one
 * PID all the way down, so the PID the harness gets is the node process it reads /proc for.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';

export interface LaunchSupport {
  /** taskset works here (installed and allowed to set affinity). */
  taskset: boolean;
  /** bash is available to raise the open-file limit before exec. */
  bash: boolean;
  cores: number;
  /** Sentences for the printed report when something falls back. */
  notes: string[];
}

export const SERVER_CORE = 0;
export const GENERATOR_CORE = 1;

function succeeds(command: string, args: string[]): boolean {
  try {
    return spawnSync(command, args, { stdio: 'ignore', timeout: 5000 }).status === 0;
  } catch {
    return false;
  }
}

export function detectLaunchSupport(): LaunchSupport {
  const cores = availableParallelism();
  const notes: string[] = [];
  let taskset = succeeds('taskset', ['-c', String(SERVER_CORE), 'true']);
  if (!taskset) {
    notes.push(
      'taskset is missing or not permitted: server and generator are not pinned to cores.',
    );
  } else if (cores < 2) {
    taskset = false;
    notes.push('only one core available: server and generator share it, unpinned.');
  }
  const bash = succeeds('bash', ['-c', 'true']);
  if (!bash) notes.push('bash is missing: children keep the inherited open-file limit.');
  return { taskset, bash, cores, notes };
}

export interface PinnedChildOptions {
  /** Absolute path of the built child script. */
  script: string;
  core: number;
  /** Soft open-file limit to ask for; the hard limit may cap it (the child reports what it got). */
  openFiles: number;
  /** Extra flags for node itself (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** Arguments for the script (process.argv[2] on). */
  args?: string[];
}

// Raise the soft limit as far as asked, else as far as the hard limit allows; never fail the launch.
const RAISE_LIMIT =
  'ulimit -n "$PARLEY_BENCH_OPEN_FILES" 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null';
const RAISE_AND_EXEC = `${RAISE_LIMIT}; exec "$@"`;

/** The open-file limit a child will get when it asks for `wanted` (what the wrapper achieves). */
export function probeOpenFileLimit(wanted: number, support: LaunchSupport): number | undefined {
  if (!support.bash) return undefined;
  try {
    const probe = spawnSync('bash', ['-c', `${RAISE_LIMIT}; ulimit -n`], {
      encoding: 'utf8',
      timeout: 5000,
      env: { ...process.env, PARLEY_BENCH_OPEN_FILES: String(wanted) },
    });
    const limit = probe.stdout.trim();
    if (limit === 'unlimited') return Number.MAX_SAFE_INTEGER;
    const value = Number(limit);
    return Number.isSafeInteger(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function spawnPinned(options: PinnedChildOptions, support: LaunchSupport): ChildProcess {
  const nodeCommand = [
    process.execPath,
    ...(options.nodeArgs ?? []),
    options.script,
    ...(options.args ?? []),
  ];
  const pinned = support.taskset
    ? ['taskset', '-c', String(options.core), ...nodeCommand]
    : nodeCommand;
  const [command, ...args] = support.bash
    ? ['bash', '-c', RAISE_AND_EXEC, 'bash', ...pinned]
    : pinned;
  return spawn(command!, args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, PARLEY_BENCH_OPEN_FILES: String(options.openFiles) },
  });
}
