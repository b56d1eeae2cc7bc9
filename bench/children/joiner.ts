/**
 * Child process entry for bench/joins.ts: opens `clients` `ws` clients (offering
 * permessage-deflate or not, as `ws` clients do by default), each saying `hello` (parley.v1, or
 * parley.v2 with an identity of its own) and waiting for its `welcome`, a bounded number at a
 * time; then waits until no frame has arrived for a while (the presence storm is over) and
 * reports both times.
 */
import WebSocket from 'ws';
import { SUBPROTOCOL, SUBPROTOCOL_V2 } from '../../protocol/wire/limits';
import {
  joinerCommandSchema,
  type JoinerCommand,
  type JoinerEvent,
  type JoinProtocol,
} from '../joins-ipc';
import { benchIdentity } from '../load/parley-v2-dialect';
import { readOpenFileLimit } from '../proc/linux-proc';
import { linkToParent } from '../proc/parent-link';

const sockets: WebSocket[] = [];
let lastFrameAt = performance.now();

function helloOf(index: number, protocol: JoinProtocol): string {
  const name = `j${index}`;
  if (protocol === 'v1') return JSON.stringify({ type: 'hello', name });
  return JSON.stringify({ type: 'hello', name, identity: benchIdentity(index) });
}

function joinOne(
  port: number,
  index: number,
  deflate: boolean,
  protocol: JoinProtocol,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const subprotocol = protocol === 'v1' ? SUBPROTOCOL : SUBPROTOCOL_V2;
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`, [subprotocol], {
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
    socket.once('open', () => socket.send(helloOf(index, protocol)));
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
        await joinOne(command.port, index, command.deflate, command.protocol);
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
