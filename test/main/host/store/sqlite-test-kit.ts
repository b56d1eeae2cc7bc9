/**
 * Helpers for the SQLite store tests: temp directories, the child-process fixtures (bundled with
 * esbuild so plain `node` runs them), and waiting for a child's output with a deadline.
 */
import { build } from 'esbuild';
import type { Plugin } from 'esbuild';
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const fixturesDir = fileURLToPath(new URL('../../../fixtures/store/', import.meta.url));

/** Temp directories of one test file, removed by `removeAll` in afterAll. */
export function tempDirs(prefix: string) {
  const made: string[] = [];
  return {
    make(): string {
      const dir = mkdtempSync(join(tmpdir(), `parley-${prefix}-`));
      made.push(dir);
      return dir;
    },
    removeAll(): void {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * libsql loads a native addon, so it stays outside the bundle; the bundle imports it by absolute
 * path because it is written to a temp directory with no node_modules above it.
 */
const libsqlByAbsolutePath: Plugin = {
  name: 'libsql-by-absolute-path',
  setup(pluginBuild) {
    const require = createRequire(import.meta.url);
    pluginBuild.onResolve({ filter: /^libsql$/ }, () => ({
      path: require.resolve('libsql'),
      external: true,
    }));
  },
};

/** Bundles test/fixtures/store/<name>.ts into `outDir`/<name>.mjs and returns its path. */
export async function buildFixture(name: string, outDir: string): Promise<string> {
  const outfile = join(outDir, `${name}.mjs`);
  await build({
    entryPoints: [join(fixturesDir, `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
    plugins: [libsqlByAbsolutePath],
  });
  return outfile;
}

export type Child = ChildProcessByStdio<null, Readable, Readable>;

const running = new Set<Child>();

/** Kills every fixture still running (after a failed wait), so none outlives its test. */
export function killStrayFixtures(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

export interface RunningFixture {
  child: Child;
  /** Every complete stdout line so far. */
  lines: string[];
  stderr(): string;
  /** Resolves with the first line (from the start) that `match` accepts. */
  waitForLine(match: (line: string) => boolean, timeoutMs: number): Promise<string>;
  /** Resolves once the process has exited and its output is fully read. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function runFixture(
  script: string,
  args: string[],
  options: { uid?: number; gid?: number } = {},
): RunningFixture {
  const child = spawn(process.execPath, [script, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  });
  running.add(child);
  const lines: string[] = [];
  let partial = '';
  let errors = '';
  const waiters = new Set<() => void>();
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    for (const wake of waiters) wake();
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (errors += chunk));
  // 'close', not 'exit': only then has every byte of stdout been read.
  let closed = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      closed = true;
      running.delete(child);
      for (const wake of waiters) wake();
      resolve({ code, signal });
    });
  });

  const waitForLine = (match: (line: string) => boolean, timeoutMs: number) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const found = lines.find(match);
        if (found !== undefined) return done(() => resolve(found));
        if (closed) {
          return done(() => reject(new Error(`fixture ended without the line; stderr: ${errors}`)));
        }
      };
      const timer = setTimeout(
        () =>
          done(() =>
            reject(new Error(`no matching line within ${timeoutMs} ms; stderr: ${errors}`)),
          ),
        timeoutMs,
      );
      const done = (settle: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        settle();
      };
      waiters.add(check);
      check();
    });

  return { child, lines, stderr: () => errors, waitForLine, exited };
}

/** Copies the files of a store directory (not its lock or shared-memory index) to a fresh one. */
export function copyStoreFiles(fromDir: string, toDir: string): void {
  mkdirSync(toDir, { recursive: true, mode: 0o700 });
  for (const name of ['parley.db', 'parley.db-wal']) {
    const source = join(fromDir, name);
    if (existsSync(source)) copyFileSync(source, join(toDir, name));
  }
}

/** Lets a process of another user (the fixtures run as `nobody` under root) reach `dir`. */
export function openUp(dir: string): void {
  chmodSync(dir, 0o755);
}
