import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  NOT_INSTALLED_MESSAGE,
  electronExecutable,
  ensureElectron,
  runElectronInstaller,
  type Installer,
} from '../../scripts/electron-runtime.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'parley-electron-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What electron's install.js leaves behind once the binary is there. */
async function installBinary(electronDir: string): Promise<string> {
  await mkdir(path.join(electronDir, 'dist'), { recursive: true });
  await writeFile(path.join(electronDir, 'path.txt'), 'electron');
  await writeFile(path.join(electronDir, 'dist', 'electron'), '#!/bin/sh\n');
  return path.join(electronDir, 'dist', 'electron');
}

const FETCH_FAILED = [
  'TypeError: fetch failed',
  '    at node:internal/deps/undici/undici:14976:13',
  '    at async FetchDownloader.download (file:///x/FetchDownloader.js:46:30)',
].join('\n');

describe('ensureElectron', () => {
  it('uses the runtime that is there, without downloading', async () => {
    const executable = await installBinary(dir);
    const install: Installer = () => {
      throw new Error('must not download');
    };
    expect(ensureElectron({ electronDir: dir, env: {}, install })).toEqual({
      ok: true,
      executable,
    });
  });

  it('downloads it once when it is missing, with electron’s own installer', () => {
    let downloads = 0;
    const result = ensureElectron({
      electronDir: dir,
      env: {},
      onDownload: () => downloads++,
      install: (electronDir) => {
        // As install.js does: the binary under dist/, its name in path.txt.
        mkdirSync(path.join(electronDir, 'dist'));
        writeFileSync(path.join(electronDir, 'path.txt'), 'electron');
        writeFileSync(path.join(electronDir, 'dist', 'electron'), '');
        return { status: 0, output: '' };
      },
    });
    expect(downloads).toBe(1);
    expect(result).toEqual({ ok: true, executable: path.join(dir, 'dist', 'electron') });
  });

  it('says plainly that the runtime could not be downloaded and what to do, no stack trace', () => {
    const result = ensureElectron({
      electronDir: dir,
      env: {},
      install: () => ({ status: 1, output: FETCH_FAILED }),
    });
    expect(result.ok).toBe(false);
    const message = result.ok ? '' : result.message;
    expect(message).toMatch(/^parley: the Electron runtime could not be downloaded/);
    expect(message).toContain('The app needs it once');
    expect(message).toContain('ELECTRON_MIRROR=');
    expect(message).toContain('check the network connection');
    expect(message).toContain('(The download failed with: TypeError: fetch failed)');
    expect(message).not.toMatch(/^\s+at /m);
    expect(message).not.toContain('failed to install correctly');
  });

  it('says what to run when the electron package itself is missing', () => {
    const install: Installer = () => ({ status: 0, output: '' });
    expect(ensureElectron({ electronDir: undefined, install })).toEqual({
      ok: false,
      message: NOT_INSTALLED_MESSAGE,
    });
  });
});

describe('electronExecutable', () => {
  it('follows path.txt into dist, and ELECTRON_OVERRIDE_DIST_PATH when set', async () => {
    expect(electronExecutable(dir, {})).toBeUndefined();
    await writeFile(path.join(dir, 'path.txt'), 'electron');
    expect(electronExecutable(dir, {})).toBeUndefined();
    const executable = await installBinary(dir);
    expect(electronExecutable(dir, {})).toBe(executable);

    const override = path.join(dir, 'elsewhere');
    await mkdir(override);
    await writeFile(path.join(override, 'electron'), '');
    expect(electronExecutable(dir, { ELECTRON_OVERRIDE_DIST_PATH: override })).toBe(
      path.join(override, 'electron'),
    );
  });
});

describe('runElectronInstaller', () => {
  it('runs install.js of the package quietly and hands back its status and output', async () => {
    await writeFile(
      path.join(dir, 'install.js'),
      "console.error('TypeError: fetch failed\\n    at somewhere'); process.exit(1);\n",
    );
    expect(runElectronInstaller(dir, {})).toEqual({
      status: 1,
      output: 'TypeError: fetch failed\n    at somewhere\n',
    });
  });
});
