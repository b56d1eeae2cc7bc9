/**
 * Child process entry for bench/joins.ts: opens `clients` `ws` clients (offering
 * permessage-deflate or not, as `ws` clients do by default), each saying a v1 `hello` and waiting
 * for its `welcome`, a bounded number at a time; then waits until no frame has arrived for a
 * while (the presence storm is over) and reports both times.
 */
import WebSocket from 'ws';
import { SUBPROTOCOL } from '../../protocol/wire/limits';
import { joinerCommandSchema, type JoinerCommand, type JoinerEvent } from '../joins-ipc';
import { readOpenFileLimit } from '../proc/linux-proc';
import { linkToParent } from '../proc/parent-link';

const sockets: WebSocket[] = [];
let lastFrameAt = performance.now();

function joinOne(port: number, index: number, deflate: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`, [SUBPROTOCOL], {
      perMessageDeflate: deflate,
    });
    sockets.push(socket);
    let welcomed = false;
    socket.on('message', (data) => {
      lastFrameAt = performance.now();
      if (welcomed) return;
      if (String(data).startsWith('{"type":"welcome"')) {
        welcomed = true;
        resolve();
      }
    });
    socket.once('open', () => socket.send(JSON.stringify({ type: 'hello', name: `j${index}` })));
    socket.once('error', reject);
    socket.once('close', (code) => reject(new Error(`closed with ${code} before the welcome`)));
  });
}

async function join(command: Extract<JoinerCommand, { type: 'join' }>) {
  const started = performance.now();
  const errors = new Set<string>();
  let next = 0;
  let open = 0;
  let failed = 0;
  const worker = async () => {
    while (next < command.clients && performance.now() - started < command.timeoutMs) {
      const index = next++;
      try {
        await joinOne(command.port, index, command.deflate);
        open += 1;
      } catch (error) {
        failed += 1;
        if (errors.size < 5) errors.add(error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: command.concurrency }, worker));
  const welcomedMs = performance.now() - started;
  // Polls the time of the last frame: silence is not an event that can be awaited.
  while (performance.now() - lastFrameAt < command.quietMs) {
    if (performance.now() - started > command.timeoutMs * 2) break;
    await new Promise((resolve) => setTimeout(resolve, command.quietMs / 5));
  }
  return {
    open,
    failed: failed + (command.clients - next),
    welcomedMs,
    settledMs: lastFrameAt - started,
    errors: [...errors],
  };
}

const link = linkToParent<JoinerCommand, JoinerEvent>(
  joinerCommandSchema,
  async (command, parent) => {
    if (command.type === 'close') {
      for (const socket of sockets) socket.terminate();
      process.exit(0);
    }
    parent.tell({ type: 'joined', ...(await join(command)) });
  },
  (message) => ({ type: 'failed', message }),
);
link.tell({ type: 'booted', pid: process.pid, openFileLimit: readOpenFileLimit() });
