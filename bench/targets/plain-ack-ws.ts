/**
 * The floor of the durable-ack measurement (bench/acks.ts): plain `ws` answering the ack
 * sender's few frames and nothing else, to show what this machine allows at all. A `hello` gets
 * a `welcome`, a `create_channel` an `ack` with a channel id; a `say` is acked after what every
 * `say` of the turn says has been appended to a log file in one write and fdatasynced: one group
 * commit per event-loop turn, as the Parley host's store does. Without `durable` the `say`s of a
 * turn are acked at the next `setImmediate` with no disk at all (the memory store's timing).
 * With `busyMsPerSay` the turn first keeps the event loop busy that long for each of its `say`s:
 * standing in for the work the Parley host does for a message beyond plain `ws`'s, so that the
 * floor shows what this machine leaves of a goal to a server doing that much and a sync.
 */
import { closeSync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { GENERAL } from '../../protocol/wire/identity';
import { serveWsOnLoopback, type RunningServer } from './loopback';

export interface PlainAckOptions {
  /** Append and fdatasync each turn's `say`s before acking them. */
  durable: boolean;
  /** Milliseconds the event loop is kept busy for each `say` before its turn commits. */
  busyMsPerSay?: number;
}

export interface PlainAckServer extends RunningServer {
  /** The log the `say`s go to, if durable. */
  logFile: string | undefined;
}

interface Frame {
  type?: unknown;
  id?: unknown;
  conv?: unknown;
}

function parse(data: string): Frame | undefined {
  try {
    const frame: unknown = JSON.parse(data);
    return typeof frame === 'object' && frame !== null ? (frame as Frame) : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps the event loop busy (not asleep: a sleep would add a wake-up the host never pays). */
function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Spinning is the point.
  }
}

/** The `say`s of one turn, acked together once they are on disk. */
export class TurnCommit {
  #lines: string[] = [];
  #acks: { client: WebSocket; frame: string }[] = [];
  #scheduled = false;
  #closed = false;

  constructor(
    private readonly fd: number | undefined,
    private readonly busyMsPerSay: number,
  ) {}

  add(client: WebSocket, line: string, ack: string): void {
    this.#lines.push(line);
    this.#acks.push({ client, frame: ack });
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => this.#commit());
  }

  /**
   * Takes nothing more: a turn still due (a `say` read while the server was closing) is dropped
   * unwritten, as its log may be closed by then.
   */
  close(): void {
    this.#closed = true;
  }

  #commit(): void {
    this.#scheduled = false;
    if (this.#closed) return;
    const acks = this.#acks;
    busyFor(this.busyMsPerSay * acks.length);
    if (this.fd !== undefined) {
      writeSync(this.fd, `${this.#lines.join('\n')}\n`);
      fdatasyncSync(this.fd);
    }
    this.#lines = [];
    this.#acks = [];
    for (const { client, frame } of acks) client.send(frame);
  }
}

export async function startPlainAckWsServer({
  durable,
  busyMsPerSay = 0,
}: PlainAckOptions): Promise<PlainAckServer> {
  // Only the durable floor touches the disk, so only it gets a folder.
  const dir = durable ? await mkdtemp(path.join(tmpdir(), 'parley-bench-plain-ack-')) : undefined;
  const logFile = dir === undefined ? undefined : path.join(dir, 'log');
  const fd = logFile === undefined ? undefined : openSync(logFile, 'a');
  const commits = new TurnCommit(fd, busyMsPerSay);
  const http = createServer();
  const wss = new WebSocketServer({
    server: http,
    path: '/ws',
    perMessageDeflate: false,
    handleProtocols: (protocols) => protocols.values().next().value ?? false,
  });
  let channels = 0;
  wss.on('connection', (client) => {
    client.on('message', (data) => {
      const text = String(data);
      const frame = parse(text);
      if (frame?.type === 'hello') client.send(JSON.stringify({ type: 'welcome', peers: [] }));
      else if (frame?.type === 'create_channel') {
        client.send(JSON.stringify({ type: 'ack', id: frame.id, conv: `c${++channels}` }));
      } else if (frame?.type === 'say') {
        const conv = typeof frame.conv === 'string' ? frame.conv : GENERAL;
        commits.add(client, text, JSON.stringify({ type: 'ack', id: frame.id, conv }));
      } else client.close(1008, 'unexpected frame');
    });
  });
  const server = await serveWsOnLoopback(http, wss);
  return {
    port: server.port,
    logFile,
    async close() {
      await server.close();
      commits.close();
      if (fd !== undefined) closeSync(fd);
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    },
  };
}
