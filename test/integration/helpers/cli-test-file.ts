/**
 * The hooks of an integration test file that runs the real `parley` command: the CLI built once
 * (before all), and after each test every client, raw socket and child process gone and the temp
 * directories removed, so a failed test leaves nothing behind for the next.
 */
import { afterEach, beforeAll } from 'vitest';
import { CLI_BUILD_TIMEOUT_MS, ensureCliBuilt } from '../../support/cli-build';
import { killStrayProcesses } from '../../support/parley-process';
import { closeAllClients } from './chat-client';
import { terminateRawClients } from './raw-client';
import { tempDirs } from './temp-dirs';

/** Registers the hooks; call once at the top level of the file. Returns its temp directories. */
export function useCliTestFile(prefix: string): ReturnType<typeof tempDirs> {
  const dirs = tempDirs(prefix);
  beforeAll(() => ensureCliBuilt(), CLI_BUILD_TIMEOUT_MS);
  afterEach(async () => {
    terminateRawClients();
    await closeAllClients();
    // SIGKILL ends a stopped (SIGSTOP) process too.
    killStrayProcesses();
    await dirs.removeAll();
  });
  return dirs;
}
