/**
 * Many people joining one room (issue 16), against plain `ws` holding presence the same way
 * (bench/targets/presence-ws.ts), with clients that offer permessage-deflate and clients that do
 * not: the time until every client was welcomed and everyone told, and the server's idle RSS per
 * connection afterwards (after gc()), each as a ratio to the baseline in the same run. The
 * servers run pinned on core 0 (the Parley host with SQLite, as the main bench's `parley`
 * target: once joined by parley.v1 clients, once by parley.v2 clients with an identity each, as
 * the desktop and browser clients join), the `ws` clients in a child pinned on core 1; both ask
 * for a soft open-file limit as high as the hard limit allows, which the run reports. Run alone
 * by `npm run bench:joins` (bench/joins-main.ts) and as a part of `npm run bench` (measureJoins).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  joinerEventSchema,
  type JoinerCommand,
  type JoinerEvent,
  type JoinProtocol,
  JOIN_SERVER_NAMES,
  type JoinServerName,
} from './joins-ipc';
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

/** Each server's child, and what its clients speak (the baseline answers any `hello`). */
const SERVERS = {
  'ws-presence': { script: 'children/presence-ws-server.js', protocol: 'v1' },
  parley: { script: 'children/parley-server.js', protocol: 'v1' },
  'parley-v2': { script: 'children/parley-server.js', protocol: 'v2' },
} as const satisfies Record<JoinServerName, { script: string; protocol: JoinProtocol }>;
/** The held case opens the most connections the machine allows once, to the baseline and v1. */
const HELD_SERVERS: readonly JoinServerName[] = ['ws-presence', 'parley'];
/** The Parley runs, each shown against the baseline's run of the same case. */
const PARLEY_SERVERS = ['parley', 'parley-v2'] as const satisfies readonly JoinServerName[];

/**
 * `held`: connections opened once more without deflate, up to what the open-file limit allows.
 * Everyone is told of every join, so the held case does about (held / clients)² times the
 * presence work of the joins: it gets a bound of its own (at 180 s both servers were cut off
 * near 19,000 of 19,800, by the clients' core reading presence, not by the servers). With
 * deflate, 10,000 joins took 129-182 s on a slower morning, for either server: at 180 s a run cut
 * one of them off and its ratio measured the bound, hence 300 s.
 */
export const JOIN_PLANS = {
  full: { clients: 10_000, held: 20_000, timeoutMs: 300_000, heldTimeoutMs: 600_000 },
  quick: { clients: 2000, held: 4000, timeoutMs: 60_000, heldTimeoutMs: 180_000 },
  smoke: { clients: 50, held: 100, timeoutMs: 20_000, heldTimeoutMs: 20_000 },
};
export type JoinMode = keyof typeof JOIN_PLANS;
/** Descriptors a child needs besides its sockets (stdio, libraries, the store). */
const SPARE_FILES = 200;

export interface JoinRun {
  server: JoinServerName;
  deflate: boolean;
  /** Connections asked for. */
  requested: number;
  /** The held case: as many connections as allowed, not the plan's joins. */
  held: boolean;
  open: number;
  failed: number;
  welcomedMs: number;
  settledMs: number;
  rssPerConnectionKiB: number;
  /** The server's CPU time (every thread: ws compresses on libuv's pool) from first to last join. */
  serverCpuMs: number;
  /** Time the server's main thread waited for a core meanwhile: other work on the machine. */
  serverWaitMs: number;
  errors: string[];
}

async function measure(
  server: JoinServerName,
  deflate: boolean,
  clients: number,
  timeoutMs: number,
  cpuProfileDir: string | undefined,
): Promise<Omit<JoinRun, 'held'>> {
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
        script: path.join(distDir, SERVERS[server].script),
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
      {
        type: 'join',
        port,
        clients,
        concurrency: 200,
        deflate,
        protocol: SERVERS[server].protocol,
        timeoutMs,
        quietMs: 500,
      },
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
      requested: clients,
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

export const JOIN_TABLE_HEADERS = [
  'measurement',
  'Parley host (SQLite)',
  'ws holding presence',
  'ratio',
];

/** Each server pair of a run (joins with and without deflate, then held), Parley against `ws`. */
export function joinRows({ runs }: Pick<JoinsResult, 'runs'>): string[][] {
  const rows: string[][] = [];
  const pairs = runs
    .filter((run) => run.server === 'ws-presence')
    .flatMap((base) =>
      PARLEY_SERVERS.flatMap((server) => {
        const parley = runs.find(
          (run) => run.server === server && run.deflate === base.deflate && run.held === base.held,
        );
        return parley ? [{ base, parley }] : [];
      }),
    );
  for (const { base, parley } of pairs) {
    const count = parley.requested.toLocaleString('en-US');
    const deflate = `${parley.deflate ? 'with' : 'without'} deflate`;
    const clients = parley.server === 'parley-v2' ? ', parley.v2 clients' : '';
    const tag = `${count} ${parley.held ? 'held' : 'joins'}, ${deflate}${clients}`;
    const ratio = (a: number, b: number) => (b > 0 ? `×${(a / b).toFixed(2)}` : '—');
    // The goals are the joins' (issue 16); holding asks only that every connection stays open.
    const goal = (text: string) => (parley.held ? '' : ` (${text})`);
    rows.push(
      [
        `${tag}: connections open`,
        String(parley.open),
        String(base.open),
        parley.held ? `×${(parley.open / parley.requested).toFixed(2)} of asked` : '',
      ],
      [
        `${tag}: seconds until everyone was welcomed and told`,
        (parley.settledMs / 1000).toFixed(1),
        (base.settledMs / 1000).toFixed(1),
        `${ratio(parley.settledMs, base.settledMs)}${goal('goal ≤ 1.5')}`,
      ],
      [
        `${tag}: server CPU seconds for the joins (all threads)`,
        (parley.serverCpuMs / 1000).toFixed(1),
        (base.serverCpuMs / 1000).toFixed(1),
        ratio(parley.serverCpuMs, base.serverCpuMs),
      ],
      [
        `${tag}: seconds until the last welcome`,
        (parley.welcomedMs / 1000).toFixed(1),
        (base.welcomedMs / 1000).toFixed(1),
        ratio(parley.welcomedMs, base.welcomedMs),
      ],
      [
        `${tag}: idle server RSS per connection (KiB)`,
        parley.rssPerConnectionKiB.toFixed(1),
        base.rssPerConnectionKiB.toFixed(1),
        `${ratio(parley.rssPerConnectionKiB, base.rssPerConnectionKiB)}${goal('goal ≤ 1.25')}`,
      ],
    );
  }
  return rows;
}

export function renderJoinsTable(result: Pick<JoinsResult, 'runs'>): string {
  return renderMarkdown({ headers: JOIN_TABLE_HEADERS, rows: joinRows(result) });
}

export interface JoinsResult {
  mode: JoinMode;
  clients: number;
  /** Connections asked for in the held case (0: not run): the plan's, or what the file limit allows. */
  held: number;
  /** The soft open-file limit the children got (the hard limit caps it). */
  openFiles: number | undefined;
  machine: ReturnType<typeof describeMachine>;
  runs: JoinRun[];
}

export interface JoinOptions {
  /** Joins instead of the plan's count (`--clients`). */
  clients?: number;
  /** Also hold the plan's `held` connections (`npm run bench` does). */
  held?: boolean | undefined;
  /** Told what the run got before it starts (the open-file limit the test says it raised). */
  started?: (run: Pick<JoinsResult, 'openFiles' | 'machine'>) => void;
  /** Told of each run as it ends. */
  log?: (line: string) => void;
  /** Only these servers (`--only`; no ratios without the baseline). Default all. */
  servers?: readonly JoinServerName[] | undefined;
  /** Only these deflate settings (`--deflate`). Default without, then with. */
  deflates?: readonly boolean[] | undefined;
  /** Run the servers with node --cpu-prof, profiles into this folder. */
  cpuProfileDir?: string | undefined;
}

/**
 * Joins with and without deflate to every server (the host twice: parley.v1 and parley.v2
 * clients), then holds as many connections as the plan and the open-file limit allow (without
 * deflate, baseline and parley.v1): Parley's runs each next to its baseline's.
 */
export async function measureJoins(
  mode: JoinMode,
  options: JoinOptions = {},
): Promise<JoinsResult> {
  const plan = JOIN_PLANS[mode];
  const clients = options.clients ?? plan.clients;
  const machine = describeMachine();
  const openFiles = probeOpenFileLimit(WANTED_OPEN_FILES, detectLaunchSupport());
  const held = Math.min(plan.held, (openFiles ?? plan.held + SPARE_FILES) - SPARE_FILES);
  options.started?.({ openFiles, machine });
  const cases = [
    ...(options.deflates ?? [false, true]).map((deflate) => ({
      deflate,
      count: clients,
      held: false,
    })),
    ...(options.held ? [{ deflate: false, count: held, held: true }] : []),
  ];
  const runs: JoinRun[] = [];
  for (const { deflate, count, held: holding } of cases) {
    const servers = (options.servers ?? JOIN_SERVER_NAMES).filter(
      (server) => !holding || HELD_SERVERS.includes(server),
    );
    for (const server of servers) {
      const timeoutMs = holding ? plan.heldTimeoutMs : plan.timeoutMs;
      const measured = await measure(server, deflate, count, timeoutMs, options.cpuProfileDir);
      const run = { ...measured, held: holding };
      options.log?.(
        `${server}, deflate ${deflate ? 'on' : 'off'}: ${run.open}/${count} open, ` +
          `welcomed in ${(run.welcomedMs / 1000).toFixed(1)} s, quiet after ` +
          `${(run.settledMs / 1000).toFixed(1)} s, server CPU ${(run.serverCpuMs / 1000).toFixed(1)} s ` +
          `(waited ${(run.serverWaitMs / 1000).toFixed(1)} s for a core), ` +
          `${run.rssPerConnectionKiB.toFixed(1)} KiB each` +
          (run.errors.length > 0 ? `; errors: ${run.errors.join('; ')}` : ''),
      );
      runs.push(run);
    }
  }
  return { mode, clients, held: options.held ? held : 0, openFiles, machine, runs };
}
