/**
 * The built `parley` command for the CLI tests, as a child process (test/support/parley-process.ts)
 * whose home is one temp directory shared by the whole test file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  killStrayProcesses,
  spawnParley,
  type Exit,
  type ParleyProcess,
} from '../../../support/parley-process';

export { PACKAGE_ROOT } from '../../../support/cli-build';
export type { ParleyProcess };

/**
 * HOME of every child: the host's certificate (~/.local/share) and the known rooms (~/.config)
 * of these tests stay out of the developer's own. Remove it with removeIsolatedHome().
 */
export const ISOLATED_HOME = mkdtempSync(join(tmpdir(), 'parley-home-'));

export function removeIsolatedHome(): void {
  rmSync(ISOLATED_HOME, { recursive: true, force: true });
}

/** `parley ARGS` with the isolated home; `env` adds variables (e.g. PARLEY_PASSWORD). */
export function runParley(args: string[], env: Record<string, string> = {}): ParleyProcess {
  return spawnParley(args, { home: ISOLATED_HOME, env, outputMs: 10_000 });
}

/**
 * The environment of one person's terminal, as if on a computer of their own: a config folder
 * (identity file, known rooms) apart from every other person's, kept for the whole test file.
 * Processes sharing one are one person to a room (one identity), as the same terminal would be.
 */
export function asPerson(person: string): Record<string, string> {
  return { XDG_CONFIG_HOME: join(ISOLATED_HOME, 'people', person, '.config') };
}

/** Waits for the process to exit, with a deadline. */
export function exitOf(process: ParleyProcess, ms = 15_000): Promise<Exit> {
  return process.waitForExit(ms);
}

/** Kills whatever a failed test left running. */
export const killAll = killStrayProcesses;
