/**
 * The one way tests and benchmarks launch a browser: a system Chromium through playwright-core
 * (Playwright's own browser download does not work on every machine), quiet and sandbox-free.
 */
import { accessSync, constants } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

/** Set it to the browser's executable to use one outside the usual places. */
export const CHROMIUM_ENV = 'PARLEY_CHROMIUM';

/** Where Chromium (or Chrome) usually lives, in the order they are tried. */
export const CHROMIUM_CANDIDATES: readonly string[] = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
];

export const CHROMIUM_MISSING = `No Chromium was found (tried $${CHROMIUM_ENV}, then ${CHROMIUM_CANDIDATES.length} usual paths). Install it (Debian/Ubuntu: sudo apt-get install chromium; .ci/run does this) or set ${CHROMIUM_ENV} to the browser's executable.`;

const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Tests talk to 127.0.0.1 only. Chromium's own services (autofill, sign-in, updates) would
  // still look up Google's hosts in the DNS: no name resolves, so nothing leaves the machine.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];

export interface ChromiumOptions {
  /** Flags on top of the usual ones (the UI benchmark adds --enable-precise-memory-info). */
  extraArgs?: readonly string[];
  /** How long the launch may take. Default 20 s: two shared cores can be slow to start it. */
  timeoutMs?: number;
}

const DEFAULTS: Required<ChromiumOptions> = { extraArgs: [], timeoutMs: 20_000 };

export interface ChromiumSearch {
  env?: NodeJS.ProcessEnv;
  candidates?: readonly string[];
  isExecutable?: (file: string) => boolean;
}

/**
 * The browser to launch: `$PARLEY_CHROMIUM` when set (it must exist: a wrong path is a mistake
 * to report, not to paper over), else the first usual path that exists. Throws saying what to
 * install when there is none.
 */
export function findChromium(search: ChromiumSearch = {}): string {
  const { env = process.env, candidates = CHROMIUM_CANDIDATES, isExecutable = canExecute } = search;
  const chosen = env[CHROMIUM_ENV];
  if (chosen) {
    if (isExecutable(chosen)) return chosen;
    throw new Error(`${CHROMIUM_ENV} is set to ${chosen}, which is not an executable file.`);
  }
  const found = candidates.find((candidate) => isExecutable(candidate));
  if (found === undefined) throw new Error(CHROMIUM_MISSING);
  return found;
}

export function launchChromium(options: ChromiumOptions = {}): Promise<Browser> {
  const { extraArgs, timeoutMs } = { ...DEFAULTS, ...options };
  return chromium.launch({
    executablePath: findChromium(),
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
    timeout: timeoutMs,
  });
}

function canExecute(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
