/**
 * `parley host` and `parley join` as real child processes: spawn, watch their output, signal
 * them, and make sure none outlives the test file (`killStrayProcesses` in afterEach).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { PACKAGE_ROOT, PARLEY_BIN } from './cli-build';
import { withTimeout } from './wait';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout so far or still to come. */
  waitForOutput(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
  readonly exited: Promise<Exit>;
  waitForExit(ms?: number): Promise<Exit>;
}

const running = new Set<ChildProcessWithoutNullStreams>();

/**
 * Runs `parley ARGS` with `home` as its home directory: whatever it remembers (known rooms, a
 * default data directory) stays in the test's temp directory, never the developer's.
 */
export function spawnParley(args: string[], home: string): CliProcess {
  const child = spawn(process.execPath, [PARLEY_BIN, ...args], {
    cwd: PACKAGE_ROOT,
    // Nothing from the developer's shell (PARLEY_PASSWORD, XDG_*) may change the run.
    env: {
      PATH: process.env.PATH ?? '',
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, '.config'),
      XDG_DATA_HOME: path.join(home, '.local', 'share'),
      TZ: 'UTC',
    },
  });
  if (child.pid === undefined) throw new Error(`could not start parley ${args.join(' ')}`);
  running.add(child);
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const listener of [...listeners]) listener();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  // A child killed mid-write must not surface as an unhandled EPIPE in the test process.
  child.stdin.on('error', () => {});
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  const describe = () => `stdout ${JSON.stringify(out)}, stderr ${JSON.stringify(err)}`;

  return {
    child,
    pid: child.pid,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForExit: (ms = 15_000) =>
      withTimeout(exited, ms, `parley ${args[0] ?? ''} to exit (${describe()})`),
    waitForOutput(pattern, ms = 15_000) {
      const found = new Promise<RegExpMatchArray>((resolve) => {
        const check = () => {
          const match = out.match(pattern);
          if (!match) return;
          listeners.delete(check);
          resolve(match);
        };
        listeners.add(check);
        check();
      });
      return withTimeout(found, ms, `output matching ${pattern} (${describe()})`);
    },
  };
}

/** Kills whatever a failed test left running. */
export function killStrayProcesses(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

export interface CliHost {
  readonly process: CliProcess;
  readonly port: number;
  readonly pid: number;
  readonly url: string;
  /** `ADDRESS` as `parley join` takes it. */
  readonly address: string;
  /** The invite the banner prints (it pins the host's certificate), if it printed one. */
  readonly invite: string | undefined;
  /** Sends `signal` and waits for the exit. */
  stop(signal: 'SIGKILL' | 'SIGTERM', ms?: number): Promise<Exit>;
}

export interface CliHostOptions {
  /** The history (and the host's certificate); also the process's home directory. */
  dataDir: string;
  /** 0 (the default) picks a free port; a restart passes the port it had. */
  port?: number;
  /** Extra flags, e.g. limits: ['--heartbeat-interval-ms', '500']. */
  flags?: string[];
}

const PORT_LINE = /open on port (\d+)\./;
const INVITE_LINE = /invite: (parley:\/\/\S+)/;
/** The banner's last line: once it is out, the host listens and prints only presence. */
const READY_LINE = /Press Ctrl\+C/;

/** `parley host` on 127.0.0.1 with its history in `dataDir`; resolves once it listens. */
export async function startCliHost(options: CliHostOptions): Promise<CliHost> {
  const args = ['host', '--port', String(options.port ?? 0), '--bind', '127.0.0.1'];
  const child = spawnParley(
    [...args, '--data', options.dataDir, ...(options.flags ?? [])],
    options.dataDir,
  );
  const started = Promise.race([
    child.waitForOutput(READY_LINE),
    child.exited.then((exit) => {
      throw new Error(`parley host exited early (${JSON.stringify(exit)}): ${child.stderr()}`);
    }),
  ]);
  await started;
  const [, printed] = child.stdout().match(PORT_LINE) ?? [];
  const port = Number(printed);
  if (!Number.isInteger(port) || port <= 0) {
    throw new Error(`parley host printed no port: ${JSON.stringify(child.stdout())}`);
  }
  return {
    process: child,
    port,
    pid: child.pid,
    url: `ws://127.0.0.1:${port}/ws`,
    address: `127.0.0.1:${port}`,
    invite: child.stdout().match(INVITE_LINE)?.[1],
    stop(signal, ms = 15_000) {
      child.child.kill(signal);
      return child.waitForExit(ms);
    },
  };
}
