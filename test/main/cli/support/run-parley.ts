/** Runs the built `parley` command (bin/parley.js) as a child process and watches its output. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withTimeout } from '../../../protocol/support/wait';

export const PACKAGE_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../../../bin/parley.js', import.meta.url));

export interface ParleyProcess {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the first stdout match of `pattern`, waiting for it to be printed. */
  waitForOutput(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcessWithoutNullStreams>();

/**
 * HOME of every child: the host's certificate (~/.local/share) and the known rooms (~/.config)
 * of these tests stay out of the developer's own. Remove it with removeIsolatedHome().
 */
export const ISOLATED_HOME = mkdtempSync(join(tmpdir(), 'parley-home-'));

export function removeIsolatedHome(): void {
  rmSync(ISOLATED_HOME, { recursive: true, force: true });
}

export function runParley(args: string[], env: Record<string, string> = {}): ParleyProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: PACKAGE_ROOT,
    // A clean environment: no PARLEY_PASSWORD or XDG_DATA_HOME leaking in from the developer's shell.
    env: { PATH: process.env.PATH ?? '', HOME: ISOLATED_HOME, TZ: 'UTC', ...env },
  });
  running.add(child);
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const listener of [...listeners]) listener();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );

  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForOutput(pattern, ms = 10_000) {
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
      return withTimeout(
        found,
        ms,
        `output matching ${pattern} (got: ${JSON.stringify(out)}; stderr: ${JSON.stringify(err)})`,
      );
    },
  };
}

/** Waits for the process to exit, with a deadline. */
export function exitOf(process: ParleyProcess, ms = 15_000) {
  return withTimeout(process.exited, ms, 'the parley process to exit');
}

/** Kills whatever a failed test left running. */
export function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}
