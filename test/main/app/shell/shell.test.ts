/**
 * The Electron shell itself, run under Node with a stand-in for Electron (support/
 * fake-electron.ts): what it registers before the app is ready, where the window loads from,
 * and invite links that reach the window whether the app was running or not. Runs in a network
 * namespace with nothing but loopback (the join screen starts room discovery). Needs root.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RENDERER_URL } from '../../../../main/app/renderer-scheme/renderer-scheme';
import { contentSecurityPolicy } from '../../../../main/app/shell/security-policy';
import { runWithoutNetwork } from '../../../security/support/netns-pair';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const INVITE = 'parley://10.0.0.7:7420/?room=lab';
let dir: string;

beforeAll(async () => {
  // Inside the repository, so that the bundle finds the packages in node_modules.
  await mkdir(path.join(repoRoot, 'node_modules/.cache'), { recursive: true });
  dir = await mkdtemp(path.join(repoRoot, 'node_modules/.cache/parley-shell-'));
  await mkdir(path.join(dir, 'renderer'));
  await writeFile(path.join(dir, 'renderer', 'index.html'), '<!doctype html><title>Parley</title>');
  await mkdir(path.join(dir, 'user-data'));
  await build({
    entryPoints: [here('./support/shell-scenario.ts')],
    outfile: path.join(dir, 'app', 'main.mjs'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    alias: { electron: here('./support/fake-electron.ts') },
    logLevel: 'error',
  });
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the Electron shell', () => {
  it('opens invite links, serves the window from parley-app://, registers its schemes', async () => {
    const run = await runWithoutNetwork(
      process.execPath,
      [path.join(dir, 'app', 'main.mjs'), '--some-switch', INVITE],
      { cwd: dir, env: { ...process.env, PARLEY_FAKE_USER_DATA: path.join(dir, 'user-data') } },
    );
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as {
      beforeReady: number;
      started: unknown;
      calls: unknown[][];
      invites: string[];
      page: { status: number; csp: string | null };
    };
    expect(result.calls).toEqual([
      [
        'registerSchemesAsPrivileged',
        [
          { scheme: 'parley-app', privileges: expect.objectContaining({ standard: true }) },
          { scheme: 'parley-file', privileges: expect.objectContaining({ stream: true }) },
        ],
        { beforeReady: true },
      ],
      // (JSON: the two arguments the packaged app leaves out read null.)
      ['setAsDefaultProtocolClient', 'parley', null, null],
      ['loadURL', RENDERER_URL],
    ]);
    // Nothing before the join screen asked; then the invite it was started with, then the one
    // a click handed over while it ran.
    expect(result.beforeReady).toBe(0);
    expect(result.started).toEqual({ ok: true, value: undefined });
    expect(result.invites).toEqual([INVITE, 'parley://10.0.0.8:7420/?room=second']);
    expect(result.page).toEqual({ status: 200, csp: contentSecurityPolicy });
  }, 60_000);
});
