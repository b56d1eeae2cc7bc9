/**
 * `npx parley host` killed: npm does not pass SIGTERM on, so the host used to keep running,
 * adopted by init, holding its port. Here a shell stands in for npm (with the variable npm sets
 * for what it runs) and is killed; the host notices its parent is gone and stops cleanly.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT, PARLEY_BIN } from '../support/cli-build';
import { until, withTimeout } from '../support/wait';
import { useCliTestFile } from './helpers/cli-test-file';

const dirs = useCliTestFile('parent-gone');
const started: number[] = [];

afterEach(() => {
  for (const pid of started.splice(0)) {
    if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  }
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('a host started by npm', () => {
  it('stops cleanly, freeing its port, when npm is killed', async () => {
    const home = await dirs.make();
    const log = join(home, 'host.log');
    // The shell's `>` opens the log only when its background child runs, which may trail the
    // pid it prints; an empty log made here means an early read sees nothing, not ENOENT.
    writeFileSync(log, '');
    const flags = '--port 0 --bind 127.0.0.1 --no-discovery --memory';
    // Like `npm exec`: a shell between npm and the program; the shell prints the host's pid.
    const npm = spawn('sh', ['-c', `"$NODE" "$BIN" host ${flags} > "$LOG" 2>&1 & echo $!; wait`], {
      cwd: PACKAGE_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: home,
        XDG_DATA_HOME: join(home, 'data'),
        NODE: process.execPath,
        BIN: PARLEY_BIN,
        LOG: log,
        npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    started.push(npm.pid!);
    const hostPid = await withTimeout(
      new Promise<number>((resolve) => npm.stdout.once('data', (data) => resolve(Number(data)))),
      5000,
      'the host to start',
    );
    started.push(hostPid);
    const printed = () => readFileSync(log, 'utf8');
    await until(() => printed().includes('Press Ctrl+C'), 15_000, 'the banner', printed);
    const port = Number(/open on port (\d+)\./.exec(printed())?.[1]);
    expect(await portIsFree(port)).toBe(false);

    npm.kill('SIGKILL');
    await until(() => !isRunning(hostPid), 10_000, 'the host to stop', printed);
    expect(printed()).toContain('Stopping the room…');
    expect(printed()).toContain('parley: the program that started parley (npm) ended; stopping');
    expect(await portIsFree(port)).toBe(true);
  }, 40_000);
});
