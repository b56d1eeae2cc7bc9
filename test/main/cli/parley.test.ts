/**
 * `parley` end to end: the built command run as child processes, where no client joins a room
 * (help, arguments, a host that cannot start). Clients in rooms: parley.v2-host.test.ts.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BUILD_TIMEOUT_MS, ensureCliBuilt } from '../../support/cli-build';
import { exitOf, killAll, removeIsolatedHome, runParley } from './support/run-parley';

beforeAll(() => ensureCliBuilt(), CLI_BUILD_TIMEOUT_MS);

afterEach(() => {
  killAll();
});

const tempDirs: string[] = [];
afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
  removeIsolatedHome();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-cli-'));
  tempDirs.push(dir);
  return dir;
}

function oneLine(text: string): string {
  const lines = text.split('\n').filter((line) => line !== '');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('parley (built command)', () => {
  it('prints its version and a help that lists every exit code', async () => {
    const version = runParley(['--version']);
    expect(await exitOf(version)).toEqual({ code: 0, signal: null });
    expect(version.stdout()).toMatch(/^\d+\.\d+\.\d+\n$/);
    const help = runParley(['join', '--help']);
    expect((await exitOf(help)).code).toBe(0);
    for (const code of [0, 1, 2, 3, 4, 5, 6])
      expect(help.stdout()).toMatch(new RegExp(`^  ${code}  `, 'm'));
    // The conversations: commands at the prompt, and where piped lines go.
    for (const part of ['/channels', '/open #CHANNEL', '/join #CHANNEL', '/leave', '/msg NAME']) {
      expect(help.stdout()).toContain(part);
    }
    for (const flag of ['--conv #CHANNEL', '--to NAME', '--new-identity']) {
      expect(help.stdout()).toContain(flag);
    }
    expect(help.stdout()).toContain('[HH:MM] #channel name: text');
  });

  it('refuses a bad argument with one line and exit code 2', async () => {
    for (const args of [
      ['host', '--port', 'seventy'],
      ['host', '--max-text-length', '-1'],
      ['host', '--bogus'],
      ['join', '127.0.0.1:70000', '--name', 'x'],
      ['join', '127.0.0.1:7420'],
      ['frobnicate'],
    ]) {
      const run = runParley(args);
      expect((await exitOf(run)).code).toBe(2);
      expect(oneLine(run.stderr())).toMatch(/^parley: \S/);
      expect(run.stdout()).toBe('');
    }
  });

  it('reports a port in use with one line and exit code 2', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const flags = ['--port', String(port), '--bind', '127.0.0.1', '--no-discovery'];
      const run = runParley(['host', ...flags, '--memory']);
      expect((await exitOf(run)).code).toBe(2);
      expect(oneLine(run.stderr())).toBe(
        `parley: port ${port} is already in use; pick another with --port (--port 0 picks a free one)`,
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('refuses at once a data folder that cannot be made, with exit code 2', async () => {
    // Node 20's recursive mkdir never returns for a path under /proc.
    const flags = ['--port', '0', '--bind', '127.0.0.1', '--no-discovery'];
    const run = runParley(['host', ...flags, '--data', '/proc/nope/parley']);
    expect((await exitOf(run, 10_000)).code).toBe(2);
    expect(oneLine(run.stderr())).toBe(
      'parley: cannot open the history and certificate folder /proc/nope/parley: it cannot be created there',
    );
  });

  it('names the file when the history cannot be opened, with exit code 2', async () => {
    const notADirectory = join(await tempDir(), 'file');
    await writeFile(notADirectory, 'plain file');
    const flags = ['--port', '0', '--bind', '127.0.0.1', '--no-discovery'];
    const run = runParley(['host', ...flags, '--data', notADirectory]);
    expect((await exitOf(run)).code).toBe(2);
    expect(oneLine(run.stderr())).toMatch(/^parley: cannot open the history.*file/);
  });
});
