/** A host on 127.0.0.1, port 0, stopped after each test with everything it opened. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { startHost } from '../../../../main/host/server';
import type { HostOptions, ParleyHost } from '../../../../main/host/types';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Runs `cleanup` after the current test. */
export function onCleanup(cleanup: () => Promise<void> | void): void {
  cleanups.push(cleanup);
}

export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'parley-host-test-'));
  onCleanup(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export async function testHost(options: HostOptions = {}): Promise<ParleyHost> {
  const host = await startHost({
    port: 0,
    host: '127.0.0.1',
    // An empty folder: tests that need the guest page pass their own.
    staticDir: options.staticDir ?? (await tempDir()),
    ...options,
  });
  onCleanup(() => host.close());
  return host;
}
