/**
 * `npm start` on a machine where the Electron runtime cannot be downloaded: run in a network
 * namespace with nothing but loopback (no packet leaves the machine). Electron itself never
 * runs: ELECTRON_OVERRIDE_DIST_PATH points at an empty folder. Needs root.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWithoutNetwork } from '../security/support/netns-pair';

const root = fileURLToPath(new URL('../../', import.meta.url));
let emptyDist: string;

beforeAll(async () => {
  emptyDist = await mkdtemp(path.join(tmpdir(), 'parley-no-electron-'));
});

afterAll(async () => {
  await rm(emptyDist, { recursive: true, force: true });
});

describe('npm start without the network', () => {
  it('says in plain words that the runtime could not be downloaded, and exits 1', async () => {
    const { status, stdout, stderr } = await runWithoutNetwork('npm', ['start', '--silent'], {
      cwd: root,
      env: {
        ...process.env,
        ELECTRON_OVERRIDE_DIST_PATH: emptyDist,
        npm_config_update_notifier: 'false',
      },
    });
    const output = `${stdout}${stderr}`;
    expect(status, output).toBe(1);
    expect(stderr).toMatch(/^parley: the Electron runtime could not be downloaded/m);
    expect(stderr).toContain('The app needs it once');
    expect(stderr).toContain('ELECTRON_MIRROR=');
    expect(output).not.toContain('failed to install correctly');
    expect(output).not.toMatch(/^\s+at .*:\d+:\d+\)?$/m);
  }, 90_000);
});
