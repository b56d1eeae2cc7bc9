/**
 * Where a server's memory per idle connection goes. The bench's "server RSS per idle connection"
 * says how much; this says what: the server runs in a child process (node --expose-gc) and after
 * each step of raw `ws` clients (the bench's own client pool and dialects, which join and then
 * idle) it reports rss, its anonymous part, the V8 heap, external and ArrayBuffer memory, each as
 * bytes per connection over the reading before the first connection, and the marginal cost
 * between steps (which leaves out one-off costs such as code loaded by the first connection).
 * With --snapshot it also lists the heap objects that grew most, by constructor.
 *
 *   node bench/build.js && node dist/bench/memory-probe.js --target parley-sqlite --steps 1000,2000
 *
 * `--deflate`: the clients offer permessage-deflate (as `ws` clients do by default); compare
 * `--target ws-presence`, the baseline of bench/joins.ts, with the same extensions negotiated.
 *
 * Environment variables reach the server child, so allocator settings can be compared, e.g.
 * MALLOC_ARENA_MAX=2 or MALLOC_MMAP_THRESHOLD_=131072 MALLOC_TRIM_THRESHOLD_=131072.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as v from 'valibot';
import WebSocket from 'ws';
import { SUBPROTOCOL } from '../protocol/wire/limits';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
import { startHost } from '../main/host/server';
import { startCoalescedWsServer } from './targets/coalesced-ws';
import { LOOPBACK, type RunningServer } from './targets/loopback';
import { startParleyServer } from './targets/parley';
import { startPresenceWsServer } from './targets/presence-ws';

const PROBE_TARGETS = ['parley-memory', 'parley-sqlite', 'ws', 'ws-presence'] as const;
type ProbeTarget = (typeof PROBE_TARGETS)[number];

interface MemoryReading {
  rss: number;
  /** The anonymous part of rss (malloc, V8 heap), without mapped files such as the binary. */
  rssAnon: number;
  heapTotal: number;
  /** V8's young generation as committed (it grows under a high allocation rate). */
  newSpace: number;
  oldSpace: number;
  largeObjects: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

interface HeapGrowth {
  name: string;
  bytes: number;
  count: number;
}

type HeapSummary = Map<string, { bytes: number; count: number }>;

const commandSchema = v.variant('type', [
  v.object({
    type: v.literal('start'),
    target: v.picklist(PROBE_TARGETS),
    maxConnections: v.number(),
    snapshot: v.boolean(),
  }),
  v.object({ type: v.literal('measure'), snapshot: v.boolean() }),
]);

const HEAP_GROWTH_ROWS = 25;
/** Strings and code are summed by kind: their names are their contents. */
const GROUPED_BY_KIND = new Set([
  'string',
  'concatenated string',
  'sliced string',
  'code',
  'number',
  'array',
]);

function statusKiB(field: string): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  const line = status.split('\n').find((candidate) => candidate.startsWith(`${field}:`));
  return Number.parseInt(line?.slice(field.length + 1) ?? '0', 10) || 0;
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the server child with --expose-gc');
  gc();
}

function spaceSize(name: string): number {
  return getHeapSpaceStatistics().find((space) => space.space_name === name)?.space_size ?? 0;
}

function readMemory(): MemoryReading {
  const usage = process.memoryUsage();
  return {
    rss: statusKiB('VmRSS') * 1024,
    rssAnon: statusKiB('RssAnon') * 1024,
    heapTotal: usage.heapTotal,
    newSpace: spaceSize('new_space'),
    oldSpace: spaceSize('old_space'),
    largeObjects: spaceSize('large_object_space'),
    heapUsed: usage.heapUsed,
    external: usage.external,
    arrayBuffers: usage.arrayBuffers,
  };
}

/** Self sizes by constructor (objects, closures) or by kind (strings, code), from a snapshot. */
function summariseHeap(): HeapSummary {
  const file = writeHeapSnapshot(path.join(tmpdir(), `memory-probe-${process.pid}.heapsnapshot`));
  try {
    const snapshot = JSON.parse(readFileSync(file, 'utf8')) as {
      snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
      nodes: number[];
      strings: string[];
    };
    const fields = snapshot.snapshot.meta.node_fields;
    const kinds = snapshot.snapshot.meta.node_types[0];
    const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
    const summary: HeapSummary = new Map();
    for (let at = 0; at < snapshot.nodes.length; at += fields.length) {
      const kind = kinds[snapshot.nodes[at + typeAt!]!] ?? '?';
      const key = GROUPED_BY_KIND.has(kind)
        ? `(${kind})`
        : `${kind} ${snapshot.strings[snapshot.nodes[at + nameAt!]!] ?? '?'}`.slice(0, 80);
      const entry = summary.get(key) ?? { bytes: 0, count: 0 };
      entry.bytes += snapshot.nodes[at + sizeAt!]!;
      entry.count += 1;
      summary.set(key, entry);
    }
    return summary;
  } finally {
    rmSync(file, { force: true });
  }
}

function diffHeapSummaries(after: HeapSummary, before: HeapSummary): HeapGrowth[] {
  return [...after]
    .map(([name, entry]) => ({
      name,
      bytes: entry.bytes - (before.get(name)?.bytes ?? 0),
      count: entry.count - (before.get(name)?.count ?? 0),
    }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, HEAP_GROWTH_ROWS);
}

const CONNECT_CONCURRENCY = 200;
const CONNECT_TIMEOUT_MS = 120_000;
const REPLY_TIMEOUT_MS = 120_000;
const SETTLE_TIMEOUT_MS = 30_000;
const READINGS: (keyof MemoryReading)[] = [
  'rss',
  'rssAnon',
  'heapTotal',
  'newSpace',
  'oldSpace',
  'largeObjects',
  'heapUsed',
  'external',
  'arrayBuffers',
];

const optionsSchema = v.object({
  target: v.optional(v.picklist(PROBE_TARGETS), 'parley-sqlite'),
  steps: v.optional(
    v.pipe(
      v.string(),
      v.transform((list) => list.split(',').map(Number)),
      v.array(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(20_000))),
      v.minLength(1),
      v.check((counts) => counts.every((count, i) => i === 0 || count > counts[i - 1]!)),
    ),
    '2000',
  ),
  'quiet-ms': v.optional(
    v.pipe(v.string(), v.transform(Number), v.integer(), v.minValue(0)),
    '500',
  ),
  /** Extra idle time before each reading, e.g. for V8's memory reducer (it acts after ~8 s). */
  'idle-ms': v.optional(
    v.pipe(v.string(), v.transform(Number), v.integer(), v.minValue(0), v.maxValue(600_000)),
    '0',
  ),
  snapshot: v.optional(v.boolean(), false),
  deflate: v.optional(v.boolean(), false),
});

const replySchema = v.variant('type', [
  v.object({ type: v.literal('listening'), port: v.number(), memory: v.any() }),
  v.object({ type: v.literal('measured'), memory: v.any(), growth: v.optional(v.any()) }),
  v.object({ type: v.literal('failed'), message: v.string() }),
]);
type Reply = v.InferOutput<typeof replySchema>;

function request(child: ChildProcess, message: object, expect: Reply['type']): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => done(new Error(`no ${expect} within the time`)),
      REPLY_TIMEOUT_MS,
    );
    const onMessage = (raw: unknown) => {
      const parsed = v.safeParse(replySchema, raw);
      if (!parsed.success) return done(new Error(`unreadable reply ${JSON.stringify(raw)}`));
      if (parsed.output.type === 'failed') return done(new Error(parsed.output.message));
      if (parsed.output.type === expect) done(undefined, parsed.output);
    };
    const onExit = () => done(new Error('the server child exited'));
    function done(error: Error | undefined, reply?: Reply) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(reply!);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send(message);
  });
}

/**
 * Idle clients as the bench opens them: raw `ws`, compression offered or not, a parley.v1 hello
 * (named by index) when the target speaks it, then nothing but ws's automatic pongs.
 */
class IdleClients {
  readonly open: WebSocket[] = [];
  failed = 0;
  lastFrameAt = performance.now();

  constructor(
    private readonly port: number,
    private readonly parley: boolean,
    private readonly deflate: boolean,
  ) {}

  /** Opens clients `from`..`to`-1, at most CONNECT_CONCURRENCY handshakes at a time. */
  async connect(from: number, to: number): Promise<void> {
    const deadline = performance.now() + CONNECT_TIMEOUT_MS;
    let next = from;
    const worker = async () => {
      while (next < to && performance.now() < deadline) await this.join(next++);
    };
    await Promise.all(Array.from({ length: CONNECT_CONCURRENCY }, worker));
  }

  /** Resolves once no frame has reached any client for `quietMs` (bounded). */
  async settle(quietMs: number): Promise<void> {
    const deadline = performance.now() + SETTLE_TIMEOUT_MS;
    while (performance.now() < deadline && performance.now() - this.lastFrameAt < quietMs) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(50, quietMs)));
    }
  }

  closeAll(): void {
    for (const socket of this.open) socket.terminate();
  }

  private join(index: number): Promise<void> {
    const path = this.parley ? '/ws' : '/';
    const socket = new WebSocket(
      `ws://${LOOPBACK}:${this.port}${path}`,
      this.parley ? [SUBPROTOCOL] : [],
      { perMessageDeflate: this.deflate, skipUTF8Validation: true },
    );
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => finish(false), CONNECT_TIMEOUT_MS);
      const finish = (joined: boolean) => {
        clearTimeout(timer);
        if (joined) this.open.push(socket);
        else {
          this.failed += 1;
          socket.terminate();
        }
        resolve();
      };
      socket.on('error', () => finish(false));
      socket.on('message', (data: Buffer) => {
        this.lastFrameAt = performance.now();
        if (data.includes('"type":"welcome"')) finish(true);
      });
      socket.once('open', () => {
        if (!this.parley) return finish(true);
        socket.send(JSON.stringify({ type: 'hello', name: `b${index}` }));
      });
    });
  }
}

function perConnection(after: MemoryReading, before: MemoryReading, count: number): string {
  return READINGS.map((key) => `${key} ${((after[key] - before[key]) / count).toFixed(0)}`).join(
    '  ',
  );
}

function printGrowth(growth: HeapGrowth[], count: number): void {
  console.log('  heap growth by constructor (bytes per connection, objects per connection):');
  for (const row of growth) {
    const bytes = (row.bytes / count).toFixed(0).padStart(6);
    console.log(`  ${bytes} B ${(row.count / count).toFixed(2).padStart(6)}  ${row.name}`);
  }
}

async function probe(): Promise<void> {
  const { values } = parseArgs({
    options: {
      target: { type: 'string' },
      steps: { type: 'string' },
      'quiet-ms': { type: 'string' },
      'idle-ms': { type: 'string' },
      snapshot: { type: 'boolean' },
      deflate: { type: 'boolean' },
    },
  });
  const parsed = v.safeParse(optionsSchema, values);
  if (!parsed.success) {
    console.error(
      `memory-probe: ${v.getDotPath(parsed.issues[0]) ?? ''} ${parsed.issues[0].message}`,
    );
    process.exit(2);
  }
  const { target, steps, snapshot, deflate } = parsed.output;
  const quietMs = parsed.output['quiet-ms'];
  const last = steps[steps.length - 1]!;
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], {
    execArgv: ['--expose-gc'],
  });
  try {
    const listening = await request(
      child,
      { type: 'start', target, maxConnections: last + 100, snapshot },
      'listening',
    );
    if (listening.type !== 'listening') return;
    const baseline = listening.memory as MemoryReading;
    const clients = new IdleClients(listening.port, target !== 'ws', deflate);
    let previous = { memory: baseline, count: 0 };
    let requested = 0;
    console.log(
      `${target}${deflate ? ' (deflate offered)' : ''}: ${process.env.MALLOC_ARENA_MAX ? 'MALLOC_ARENA_MAX set, ' : ''}baseline rss ${(baseline.rss / 1024).toFixed(0)} KiB`,
    );
    for (const count of steps) {
      await clients.connect(requested, count);
      requested = count;
      await clients.settle(quietMs);
      await new Promise((resolve) => setTimeout(resolve, parsed.output['idle-ms']));
      const measured = await request(child, { type: 'measure', snapshot }, 'measured');
      if (measured.type !== 'measured') return;
      const memory = measured.memory as MemoryReading;
      const open = clients.open.length;
      console.log(
        `C=${open} (failed ${clients.failed}) per connection: ${perConnection(memory, baseline, open)}`,
      );
      if (previous.count > 0) {
        console.log(
          `  marginal ${previous.count}->${open}: ${perConnection(memory, previous.memory, open - previous.count)}`,
        );
      }
      if (measured.growth) printGrowth(measured.growth as HeapGrowth[], open);
      previous = { memory, count: open };
    }
    clients.closeAll();
  } finally {
    child.kill();
  }
}

async function startTarget(target: ProbeTarget, maxConnections: number): Promise<RunningServer> {
  if (target === 'ws') return startCoalescedWsServer();
  if (target === 'ws-presence') return startPresenceWsServer();
  if (target === 'parley-sqlite') return startParleyServer({ maxConnections });
  const host = await startHost({
    port: 0,
    host: LOOPBACK,
    roomName: 'Bench',
    limits: { maxConnections },
  });
  return { port: host.port, close: () => host.close() };
}

function serveProbeTarget(): void {
  let baselineHeap: HeapSummary | undefined;
  const reply = (message: object) => process.send?.(message);
  process.on('disconnect', () => process.exit(0));
  process.on('message', (raw: unknown) => {
    const parsed = v.safeParse(commandSchema, raw);
    if (!parsed.success) {
      reply({ type: 'failed', message: `unreadable command ${JSON.stringify(raw)}` });
      return;
    }
    const command = parsed.output;
    if (command.type === 'start') {
      startTarget(command.target, command.maxConnections).then(
        (running) => {
          collectGarbage();
          const memory = readMemory();
          // Taken after the reading: rss readings after a snapshot include its own footprint.
          if (command.snapshot) baselineHeap = summariseHeap();
          reply({ type: 'listening', port: running.port, memory });
        },
        (error: unknown) => reply({ type: 'failed', message: String(error) }),
      );
      return;
    }
    collectGarbage();
    const memory = readMemory();
    let growth: HeapGrowth[] | undefined;
    if (command.snapshot && baselineHeap) {
      growth = diffHeapSummaries(summariseHeap(), baselineHeap);
    }
    reply({ type: 'measured', memory, growth });
  });
}

if (process.argv.includes('--serve')) {
  serveProbeTarget();
} else {
  probe().catch((error: unknown) => {
    console.error('memory-probe:', error);
    process.exit(1);
  });
}
