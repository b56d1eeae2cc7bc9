// Whether the Electron runtime `npm start` needs is there, and getting it once when it is not.
// The electron package downloads its binary on install; when that failed (offline, a proxy, a
// blocked github.com) running `electron` prints a fetch stack trace and "Electron failed to
// install correctly". This says instead, in plain words, what is missing and what to do.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The folder of the installed electron package, or undefined when it is not installed. */
export function electronDirectory(from = import.meta.url) {
  try {
    // Only its package.json: loading `electron` itself would start a download.
    return path.dirname(createRequire(from).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
}

/** The Electron executable, as electron's own index.js finds it, or undefined when missing. */
export function electronExecutable(electronDir, env = process.env) {
  const pathFile = path.join(electronDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const executable = override
    ? path.join(override, relative || 'electron')
    : relative && path.join(electronDir, 'dist', relative);
  return executable && existsSync(executable) ? executable : undefined;
}

/** Runs electron's own installer (it honours ELECTRON_MIRROR, proxies, the cache); quietly. */
export function runElectronInstaller(electronDir, env = process.env) {
  const result = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

/** The first line of what the installer said: the error, without its stack. */
function causeOf(output) {
  const line = output
    .split('\n')
    .map((text) => text.trim())
    .find((text) => text !== '' && !text.startsWith('at '));
  return line ?? 'no reason given';
}

export const NOT_INSTALLED_MESSAGE = [
  'parley: the electron package is not installed, so the desktop app cannot start.',
  'Run `npm install` (or `npm ci`) in this folder first, with devDependencies.',
].join('\n');

/** What to tell the person when the runtime could not be downloaded. */
export function runtimeMissingMessage(cause) {
  return [
    'parley: the Electron runtime could not be downloaded, so the desktop app cannot start.',
    'The app needs it once: `npm start` downloads it (about 100 MB, from github.com) the first',
    'time, and starts without the network after that.',
    'What to do:',
    '  - check the network connection (and HTTPS_PROXY if you are behind a proxy), then run',
    '    `npm start` again;',
    '  - or download it from a mirror, e.g.',
    '    ELECTRON_MIRROR=https://npmmirror.com/mirrors/electron/ npm start',
    '  - or use an Electron you already have: ELECTRON_OVERRIDE_DIST_PATH=/path/to/electron/dist',
    'Chatting does not need the app: `npx parley host` and `npx parley join` run in a terminal.',
    `(The download failed with: ${cause})`,
  ].join('\n');
}

/**
 * Finds the Electron executable, downloading it first when it is missing. Resolves
 * `{ ok: true, executable }`, or `{ ok: false, message }` with the sentence to print.
 */
export function ensureElectron({ electronDir, env = process.env, install, onDownload }) {
  if (electronDir === undefined) return { ok: false, message: NOT_INSTALLED_MESSAGE };
  const present = electronExecutable(electronDir, env);
  if (present) return { ok: true, executable: present };
  onDownload?.();
  const result = install(electronDir, env);
  const executable = electronExecutable(electronDir, env);
  if (result.status === 0 && executable) return { ok: true, executable };
  return { ok: false, message: runtimeMissingMessage(causeOf(result.output)) };
}
