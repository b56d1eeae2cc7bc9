/**
 * Many people joining one room (issue 16), against plain `ws` holding presence the same way
 * (bench/targets/presence-ws.ts), with clients that offer permessage-deflate and clients that do
 * not: the time until every client was welcomed and everyone told, and the server's idle RSS per
 * connection afterwards (after gc()), each as a ratio to the baseline in the same run. The
 * servers run pinned on core 0 (the Parley host with SQLite, parley.v1 clients, as the main
 * bench's `parley` target), the `ws` clients in a child pinned on core 1; both ask for a soft
 * open-file limit as high as the hard limit allows, which the run reports.
 *
 *   npm run bench:joins [-- --quick | --smoke] [--clients N] [--json FILE]
 *                         [--only parley|ws-presence] [--deflate on|off] [--cpu-prof DIR]
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { joinerEventSchema, type JoinerCommand, type JoinerEvent } from './joins-ipc';
import { serverEventSchema, type ServerCommand, type ServerEvent } from './ipc';
import { ChildChannel } from './proc/child-channel';
import { readCpuMs, readCpuWaitMs, readRssKiB } from './proc/linux-proc';
import { renderMarkdown } from './report/table';
import {
  detectLaunchSupport,
  GENERATOR_CORE,
  probeOpenFileLimit,
  SERVER_CORE,
  spawnPinned,
} from './proc/pinned-child';
import { describeMachine } from './report/docs';

const distDir = path.dirname(fileURLToPath(import.meta.url));
const TIMEOUT_MS = 30_000;
/** Asked of both children: as many as the hard limit allows (the probe says what they got). */
const WANTED_OPEN_FILES = 1_048_576;

const SERVERS = {
  'ws-presence': 'children/presence-ws-server.js',
  parley: 'children/parley-server.js',
} as const;
type ServerName = keyof typeof SERVERS;

const USAGE = `npm run bench:joins [-- OPTIONS]
  --quick             2,000 clients (default: 10,000)
  --smoke             50 clients
  --clients N         N clients
  --only SERVER       run one server only: parley or ws-presence (no ratios then)
  --deflate on|off    clients offer permessage-deflate or not (default: both, one after the other)
  --cpu-prof DIR      run the servers with node --cpu-prof, profiles into DIR
  --json FILE         the runs as JSON`;

const PLANS = {
  full: { clients: 10_000, timeoutMs: 180_000 },
  quick: { clients: 2000, timeoutMs: 60_000 },
  smoke: { clients: 50, timeoutMs: 20_000 },
};

interface JoinRun {
  server: ServerName;
  deflate: boolean;
  open: number;
  failed: number;
  welcomedMs: number;
  settledMs: number;
  /** The server's CPU time (every thread: ws compresses on libuv's pool) from first to last join. */
  serverCpuMs: number;
  /** Time the server's main thread waited for a core meanwhile: other work on the machine. */
  serverWaitMs: number;
  rssPerConnectionKiB: number;
  errors: string[];
}

async function measure(
  server: ServerName,
  deflate: boolean,
  clients: number,
  timeoutMs: number,
  cpuProfileDir: string | undefined,
): Promise<JoinRun> {
  const launch = detectLaunchSupport();
  const profileArgs = cpuProfileDir
    ? [
        '--cpu-prof',
        `--cpu-prof-dir=${cpuProfileDir}`,
        `--cpu-prof-name=joins-${server}-${deflate ? 'deflate' : 'plain'}-${Date.now()}.cpuprofile`,
      ]
    : [];
  const host = new ChildChannel<ServerCommand, ServerEvent>(
    spawnPinned(
      {
        script: path.join(distDir, SERVERS[server]),
        core: SERVER_CORE,
        openFiles: WANTED_OPEN_FILES,
        nodeArgs: ['--expose-gc', ...profileArgs],
      },
      launch,
    ),
    serverEventSchema,
    `${server} server`,
  );
  let joiner: ChildChannel<JoinerCommand, JoinerEvent> | undefined;
  try {
    const booted = await host.next('booted', TIMEOUT_MS);
    const { port } = await host.request(
      { type: 'start', maxConnections: clients + 10 },
      'listening',
      TIMEOUT_MS,
    );
    const rss = async () => {
      await host.request({ type: 'collect' }, 'collected', TIMEOUT_MS);
      return readRssKiB(booted.pid) ?? 0;
    };
    const before = await rss();
    joiner = new ChildChannel(
      spawnPinned(
        {
          script: path.join(distDir, 'children/joiner.js'),
          core: GENERATOR_CORE,
          openFiles: WANTED_OPEN_FILES,
        },
        launch,
      ),
      joinerEventSchema,
      'joiner',
    );
    await joiner.next('booted', TIMEOUT_MS);
    const cpuBefore = readCpuMs(booted.pid) ?? 0;
    const waitBefore = readCpuWaitMs(booted.pid) ?? 0;
    const joined = await joiner.request(
      { type: 'join', port, clients, concurrency: 200, deflate, timeoutMs, quietMs: 500 },
      'joined',
      timeoutMs * 2 + TIMEOUT_MS,
    );
    const serverCpuMs = (readCpuMs(booted.pid) ?? 0) - cpuBefore;
    const serverWaitMs = (readCpuWaitMs(booted.pid) ?? 0) - waitBefore;
    const after = await rss();
    return {
      serverCpuMs,
      serverWaitMs,
      server,
      deflate,
      open: joined.open,
      failed: joined.failed,
      welcomedMs: joined.welcomedMs,
      settledMs: joined.settledMs,
      rssPerConnectionKiB: joined.open > 0 ? (after - before) / joined.open : 0,
      errors: joined.errors,
    };
  } finally {
    await joiner?.stop({ type: 'close' }, 10_000);
    await host.stop({ type: 'stop' }, 10_000);
  }
}

function renderTable(runs: JoinRun[], clients: number): string {
  const find = (server: ServerName, deflate: boolean) =>
    runs.find((run) => run.server === server && run.deflate === deflate);
  const rows: string[][] = [];
  for (const deflate of [false, true]) {
    const base = find('ws-presence', deflate);
    const parley = find('parley', deflate);
    if (!base || !parley) continue;
    const tag = `${clients.toLocaleString('en-US')} joins, ${deflate ? 'with' : 'without'} deflate`;
    const ratio = (a: number, b: number) => (b > 0 ? `×${(a / b).toFixed(2)}` : '—');
    rows.push(
      [`${tag}: connections open`, String(parley.open), String(base.open), ''],
      [
        `${tag}: seconds until everyone was welcomed and told`,
        (parley.settledMs / 1000).toFixed(1),
        (base.settledMs / 1000).toFixed(1),
        `${ratio(parley.settledMs, base.settledMs)} (goal ≤ 1.5)`,
      ],
      [
        `${tag}: seconds until the last welcome`,
        (parley.welcomedMs / 1000).toFixed(1),
        (base.welcomedMs / 1000).toFixed(1),
        ratio(parley.welcomedMs, base.welcomedMs),
      ],
      [
        `${tag}: server CPU seconds for the joins (all threads)`,
        (parley.serverCpuMs / 1000).toFixed(1),
        (base.serverCpuMs / 1000).toFixed(1),
        ratio(parley.serverCpuMs, base.serverCpuMs),
      ],
      [
        `${tag}: idle server RSS per connection (KiB)`,
        parley.rssPerConnectionKiB.toFixed(1),
        base.rssPerConnectionKiB.toFixed(1),
        `${ratio(parley.rssPerConnectionKiB, base.rssPerConnectionKiB)} (goal ≤ 1.25)`,
      ],
    );
  }
  return renderMarkdown({
    headers: ['measurement', 'Parley host (SQLite)', 'ws holding presence', 'ratio'],
    rows,
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean' },
      smoke: { type: 'boolean' },
      clients: { type: 'string' },
      json: { type: 'string' },
      only: { type: 'string' },
      deflate: { type: 'string' },
      'cpu-prof': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const servers = (Object.keys(SERVERS) as ServerName[]).filter(
    (server) => values.only === undefined || values.only === server,
  );
  if (servers.length === 0) throw new Error(`--only takes ${Object.keys(SERVERS).join(' or ')}`);
  if (values.deflate !== undefined && values.deflate !== 'on' && values.deflate !== 'off') {
    throw new Error('--deflate takes on or off');
  }
  const deflates = values.deflate === undefined ? [false, true] : [values.deflate === 'on'];
  const mode = values.smoke ? 'smoke' : values.quick ? 'quick' : 'full';
  const plan = PLANS[mode];
  const clients = values.clients ? Number(values.clients) : plan.clients;
  if (!Number.isSafeInteger(clients) || clients < 1) throw new Error('--clients needs a count');
  const machine = describeMachine();
  const openFiles = probeOpenFileLimit(WANTED_OPEN_FILES, detectLaunchSupport());
  console.log(
    `${mode} run, ${clients} clients; soft open-file limit raised to ${openFiles ?? 'unknown'} ` +
      `(the hard limit); load average ${machine.loadAverage} on ${machine.cores} cores.`,
  );
  const runs: JoinRun[] = [];
  for (const deflate of deflates) {
    for (const server of servers) {
      const run = await measure(server, deflate, clients, plan.timeoutMs, values['cpu-prof']);
      console.log(
        `${server}, deflate ${deflate ? 'on' : 'off'}: ${run.open}/${clients} open, ` +
          `welcomed in ${(run.welcomedMs / 1000).toFixed(1)} s, quiet after ` +
          `${(run.settledMs / 1000).toFixed(1)} s, server CPU ${(run.serverCpuMs / 1000).toFixed(1)} s ` +
          `(waited ${(run.serverWaitMs / 1000).toFixed(1)} s for a core), ` +
          `${run.rssPerConnectionKiB.toFixed(1)} KiB each` +
          (run.errors.length > 0 ? `; errors: ${run.errors.join('; ')}` : ''),
      );
      runs.push(run);
    }
  }
  console.log(renderTable(runs, clients));
  if (values.json) {
    writeFileSync(
      values.json,
      `${JSON.stringify({ mode, clients, openFiles, machine, runs }, null, 2)}\n`,
    );
  }
}

await main();
