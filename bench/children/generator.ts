/**
 * Child process entry: the load generator. One process, pinned to its own core, holding every
 * client; the orchestrator drives it one command at a time.
 */
import {
  generatorCommandSchema,
  type GeneratorCommand,
  type GeneratorEvent,
  type DialectName,
} from '../ipc';
import { ClientPool } from '../load/client-pool';
import { createDialect } from '../load/dialects';
import { runPhase } from '../load/phase-runner';
import { readOpenFileLimit } from '../proc/linux-proc';
import { linkToParent, type ParentLink } from '../proc/parent-link';

let pool: ClientPool | undefined;
let poolDialect: DialectName | undefined;

function requirePool(): ClientPool {
  if (!pool) throw new Error('no clients: send connect first');
  return pool;
}

/** Resolves once no frame has arrived for `quietMs`, or when `timeoutMs` runs out. */
async function settle(clients: ClientPool, quietMs: number, timeoutMs: number) {
  const started = performance.now();
  // Polls the time of the last frame: silence is not an event that can be awaited.
  const step = Math.max(10, Math.min(250, quietMs / 4));
  while (performance.now() - started < timeoutMs) {
    if (performance.now() - clients.lastFrameAt >= quietMs) {
      return { quiet: true, ms: performance.now() - started };
    }
    await new Promise((resolve) => setTimeout(resolve, step));
  }
  return { quiet: false, ms: performance.now() - started };
}

async function handle(command: GeneratorCommand, parent: ParentLink<GeneratorEvent>) {
  switch (command.type) {
    case 'connect': {
      if (pool && poolDialect !== command.dialect) throw new Error('one dialect per generator');
      pool ??= new ClientPool(createDialect(command.dialect));
      poolDialect = command.dialect;
      const outcome = await pool.connect(command);
      parent.tell({ type: 'connected', ...outcome });
      return;
    }
    case 'settle': {
      const clients = requirePool();
      const outcome = await settle(clients, command.quietMs, command.timeoutMs);
      parent.tell({ type: 'settled', ...outcome, open: clients.openCount });
      return;
    }
    case 'phase': {
      const result = await runPhase(requirePool(), command, {
        windowEdge: (edge) => parent.tell({ type: 'window', phase: command.phase, edge }),
      });
      parent.tell({ type: 'phase-result', result });
      return;
    }
    case 'close': {
      // The orchestrator awaits the exit itself: exiting is the acknowledgement.
      pool?.closeAll();
      process.exit(0);
    }
  }
}

const link = linkToParent<GeneratorCommand, GeneratorEvent>(
  generatorCommandSchema,
  handle,
  (message) => ({
    type: 'failed',
    message,
  }),
);
link.tell({ type: 'booted', pid: process.pid, openFileLimit: readOpenFileLimit() });
