/**
 * The one way tests and benchmarks launch a browser: Debian's headless Chromium through
 * playwright-core (Playwright's own browser download does not work here), quiet and sandbox-free.
 */
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ChromiumOptions {
  /** Flags on top of the usual ones (the UI benchmark adds --enable-precise-memory-info). */
  extraArgs?: readonly string[];
  /** How long the launch may take. Default 20 s: two shared cores can be slow to start it. */
  timeoutMs?: number;
}

const DEFAULTS: Required<ChromiumOptions> = { extraArgs: [], timeoutMs: 20_000 };

export function launchChromium(options: ChromiumOptions = {}): Promise<Browser> {
  const { extraArgs, timeoutMs } = { ...DEFAULTS, ...options };
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
    timeout: timeoutMs,
  });
}
