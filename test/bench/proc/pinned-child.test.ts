import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  detectLaunchSupport,
  GENERATOR_CORE,
  probeOpenFileLimit,
  spawnPinned,
} from '../../../bench/proc/pinned-child';
import { writeChildScript } from './child-script';

let dir: string;
let child: ChildProcess | undefined;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'parley-bench-proc-'));
});
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
  child = undefined;
  await rm(dir, { recursive: true, force: true });
});

interface Hello {
  type: 'hello';
  pid: number;
  cpus: string;
  openFiles: number;
}

describe('spawnPinned', () => {
  it('starts node on the asked core with the open-file limit raised as far as allowed', async () => {
    const support = detectLaunchSupport();
    const script = await writeChildScript(dir);
    const wanted = 4096;
    child = spawnPinned({ script, core: GENERATOR_CORE, openFiles: wanted }, support);
    const [hello] = (await Promise.race([
      once(child, 'message'),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('child never reported')), 15_000),
      ),
    ])) as [Hello];
    // exec all the way down: the PID we hold is the node process itself.
    expect(hello.pid).toBe(child.pid);
    if (support.taskset) expect(hello.cpus).toBe(String(GENERATOR_CORE));
    const reachable = probeOpenFileLimit(wanted, support);
    if (reachable !== undefined) expect(hello.openFiles).toBe(Math.min(wanted, reachable));
    child.send({ type: 'bye' });
    await once(child, 'exit');
  });

  it('explains every fallback it takes', () => {
    const support = detectLaunchSupport();
    expect(support.cores).toBeGreaterThan(0);
    if (!support.taskset || !support.bash) expect(support.notes.length).toBeGreaterThan(0);
  });
});
