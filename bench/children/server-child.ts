/**
 * The life of a server-under-test child: report its PID, start the server on loopback when told,
 * report the port, stop and exit when told. Exiting through process.exit lets `--cpu-prof`
 * write its profile.
 */
import { serverCommandSchema, type ServerCommand, type ServerEvent } from '../ipc';
import { readOpenFileLimit } from '../proc/linux-proc';
import { linkToParent } from '../proc/parent-link';
import type { RunningServer, StartServer } from '../targets/loopback';

const STOP_TIMEOUT_MS = 5000;

function settleWithin(work: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    work.then(done, done);
  });
}

export function runServerChild(start: StartServer): void {
  let running: RunningServer | undefined;
  const link = linkToParent<ServerCommand, ServerEvent>(
    serverCommandSchema,
    async (command, parent) => {
      if (command.type === 'start') {
        if (running) throw new Error('server already started');
        running = await start({ maxConnections: command.maxConnections });
        parent.tell({ type: 'listening', port: running.port });
        return;
      }
      if (command.type === 'collect') {
        const collect = (globalThis as { gc?: () => void }).gc;
        collect?.();
        parent.tell({ type: 'collected', exposed: collect !== undefined });
        return;
      }
      // The orchestrator awaits the exit itself: exiting is the acknowledgement.
      if (running) await settleWithin(running.close(), STOP_TIMEOUT_MS);
      process.exit(0);
    },
    (message) => ({ type: 'failed', message }),
    // Orphaned: still close the server, so the Parley store's temp directory is removed.
    async () => {
      if (running) await settleWithin(running.close(), STOP_TIMEOUT_MS);
    },
  );
  link.tell({ type: 'booted', pid: process.pid, openFileLimit: readOpenFileLimit() });
}
