/**
 * The built `parley` command (see cli-build.ts) as a real child process: spawn it with a home of
 * the test's own, watch its output, wait for its exit, and make sure none outlives the test file
 * (`killStrayProcesses` in afterEach).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { PACKAGE_ROOT, PARLEY_BIN } from './cli-build';
import { watchOutput } from './output-watch';
import { withTimeout } from './wait';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ParleyProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout so far or still to come. */
  waitForOutput(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
  readonly exited: Promise<Exit>;
  waitForExit(ms?: number): Promise<Exit>;
}

export interface SpawnParleyOptions {
  /**
   * HOME of the child: whatever it remembers (known rooms, its certificate, a default data
   * directory) stays in the test's temp directory, never the developer's.
   */
  home: string;
  /** More environment variables (e.g. PARLEY_PASSWORD), over the clean ones. */
  env?: Record<string, string>;
  /** Flags for node itself, ahead of the script (e.g. V8 heap sizing a test relies on). */
  nodeFlags?: readonly string[];
  /** How long `waitForOutput` waits by default. */
  outputMs?: number;
  /** How long `waitForExit` waits by default. */
  exitMs?: number;
}

const DEFAULTS = { env: {}, nodeFlags: [], outputMs: 15_000, exitMs: 15_000 };

const running = new Set<ChildProcessWithoutNullStreams>();

/** Runs `parley ARGS` in the package root with a clean environment (see SpawnParleyOptions). */
export function spawnParley(args: string[], options: SpawnParleyOptions): ParleyProcess {
  const { home, env, nodeFlags, outputMs, exitMs } = { ...DEFAULTS, ...options };
  const child = spawn(process.execPath, [...nodeFlags, PARLEY_BIN, ...args], {
    cwd: PACKAGE_ROOT,
    // Nothing from the developer's shell (PARLEY_PASSWORD, XDG_*) may change the run.
    env: {
      PATH: process.env.PATH ?? '',
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, '.config'),
      XDG_DATA_HOME: path.join(home, '.local', 'share'),
      TZ: 'UTC',
      ...env,
    },
  });
  if (child.pid === undefined) throw new Error(`could not start parley ${args.join(' ')}`);
  running.add(child);
  const output = watchOutput(child.stdout, child.stderr);
  // A child killed mid-write must not surface as an unhandled EPIPE in the test process.
  child.stdin.on('error', () => {});
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  const command = `parley ${args[0] ?? ''}`.trim();

  return {
    child,
    pid: child.pid,
    stdout: output.stdout,
    stderr: output.stderr,
    exited,
    waitForExit: (ms = exitMs) =>
      withTimeout(
        exited,
        ms,
        () =>
          `${command} to exit (stdout ${JSON.stringify(output.stdout())}, ` +
          `stderr ${JSON.stringify(output.stderr())})`,
      ),
    waitForOutput: (pattern, ms = outputMs) => output.waitForOutput(pattern, ms),
  };
}

/** Kills whatever a failed test left running. */
export function killStrayProcesses(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}
