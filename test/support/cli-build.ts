/**
 * The CLI and integration tests run the real `parley` command (bin/parley.js ->
 * dist/cli/parley.js). `ensureCliBuilt` runs `node scripts/build.js` when the bundle is missing
 * or older than any source it is built from, so a run after an edit never tests yesterday's code,
 * and a run without edits does not pay for a build per test file. Test files run in parallel
 * workers: a lock directory keeps two of them from writing dist/ at once.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { delay } from './wait';

export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PARLEY_BIN = path.join(PACKAGE_ROOT, 'bin', 'parley.js');
const BUNDLE = path.join(PACKAGE_ROOT, 'dist', 'cli', 'parley.js');
const SOURCE_DIRS = ['main', 'protocol'];
const SOURCE_FILES = ['package.json', 'scripts/build.js'];

const BUILD_TIMEOUT_MS = 150_000;
const LOCK_DIR = path.join(tmpdir(), 'parley-cli-build.lock');
/** A lock older than this was left by a killed run: a build never takes that long. */
const STALE_LOCK_MS = BUILD_TIMEOUT_MS + 10_000;
/** Deep enough for main/ and protocol/; bounds the walk. */
const MAX_DEPTH = 6;

function mtimeMs(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function newestSource(dir: string, depth = 0): number {
  if (depth > MAX_DEPTH) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full, depth + 1));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, mtimeMs(full));
  }
  return newest;
}

function bundleIsFresh(): boolean {
  const built = mtimeMs(BUNDLE);
  if (built === 0) return false;
  const sources = [
    ...SOURCE_DIRS.map((dir) => newestSource(path.join(PACKAGE_ROOT, dir))),
    ...SOURCE_FILES.map((file) => mtimeMs(path.join(PACKAGE_ROOT, file))),
  ];
  return sources.every((mtime) => mtime <= built);
}

function tryLock(): boolean {
  try {
    mkdirSync(LOCK_DIR);
    return true;
  } catch {
    if (Date.now() - mtimeMs(LOCK_DIR) > STALE_LOCK_MS) rmSync(LOCK_DIR, { recursive: true });
    return false;
  }
}

/** Builds dist/ (CLI included) unless it is already newer than every source. */
export async function ensureCliBuilt(): Promise<void> {
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  while (!tryLock()) {
    if (Date.now() > deadline) throw new Error(`another build held ${LOCK_DIR} for too long`);
    await delay(100);
  }
  try {
    if (bundleIsFresh()) return;
    try {
      await promisify(execFile)(process.execPath, ['scripts/build.js'], {
        cwd: PACKAGE_ROOT,
        timeout: BUILD_TIMEOUT_MS,
      });
    } catch (error) {
      // The node bundles are written before the guest page: a page that does not build (someone
      // else's work in progress) must not stop tests of the command line.
      if (!bundleIsFresh()) throw error;
    }
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

export const CLI_BUILD_TIMEOUT_MS = BUILD_TIMEOUT_MS * 2;
