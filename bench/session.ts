/**
 * The servers under test (one, or several sharing a room) and one load generator, each in its own
 * pinned process, for as long as a set of connections lives. The session reads the servers' CPU
 * and memory from /proc at the moments the generator reports (window open, window closed,
 * connections idle); with several servers, clients are split across their ports and CPU and
 * memory are summed over them.
 */
import path from 'node:path';
import {
  generatorEventSchema,
  serverEventSchema,
  type GeneratorCommand,
  type GeneratorEvent,
  type ServerCommand,
  type ServerEvent,
} from './ipc';
import type { BenchPlan, PhasePlan } from './plan';
import { ChildChannel } from './proc/child-channel';
import { readCpuMs, readCpuWaitMs, readRssKiB } from './proc/linux-proc';
import { GENERATOR_CORE, SERVER_CORE, spawnPinned, type LaunchSupport } from './proc/pinned-child';
import type { ConnectionsResult, MeasuredPhase } from './results';
import { GENERATOR_ENTRY, type TargetSpec } from './targets';

const BOOT_TIMEOUT_MS = 15_000;
const START_TIMEOUT_MS = 30_000;
const EXIT_TIMEOUT_MS = 10_000;
/** Headroom on top of the phase's own duration before a silent generator counts as hung. */
const PHASE_GRACE_MS = 20_000;
/** File descriptors a process needs besides its sockets (stdio, libraries, the store). */
const SPARE_FILES = 200;

export interface SessionContext {
  launch: LaunchSupport;
  plan: BenchPlan;
  /** Folder holding the built run.js and children/. */
  distDir: string;
  /** Open files to ask for in each child. */
  openFiles: number;
  /** Largest connection count the server must accept. */
  maxConnections: number;
  cpuProfileDir?: string;
}

/** What a run of phases needs of a session, whatever runs behind it (one server or several). */
export interface LoadSession {
  /** Connections this session may open. */
  readonly connectionLimit: number;
  connect(
    target: Pick<TargetSpec, 'dialect'>,
    clients: number,
    timeoutMs: number,
  ): Promise<ConnectionsResult>;
  settle(): Promise<{ quiet: boolean; ms: number; open: number }>;
  phase(phase: PhasePlan): Promise<MeasuredPhase>;
  close(): Promise<void>;
}

type Server = ChildChannel<ServerCommand, ServerEvent>;
type Generator = ChildChannel<GeneratorCommand, GeneratorEvent>;

/** What a session starts: `servers` copies of `entry` (default one), each given `args`. */
export interface ServerSet {
  name: string;
  /** The server child, relative to the built run.js. */
  entry: string;
  servers?: number;
  args?: readonly string[];
}

/** Told when a phase's measuring window opens and closes (to sample a process of one's own). */
export type WindowEdgeListener = (phase: number, edge: 'start' | 'end') => void;

const sum = (values: (number | undefined)[]): number | undefined =>
  values.every((value) => value !== undefined)
    ? values.reduce<number>((total, value) => total + value!, 0)
    : undefined;

function profileArgs(context: SessionContext, who: string, target: ServerSet): string[] {
  return context.cpuProfileDir
    ? [
        '--cpu-prof',
        `--cpu-prof-dir=${context.cpuProfileDir}`,
        `--cpu-prof-name=${who}-${target.name}-${Date.now()}.cpuprofile`,
      ]
    : [];
}

export class BenchSession implements LoadSession {
  private phaseNumber = 0;

  private constructor(
    private readonly servers: Server[],
    private readonly serverPids: number[],
    private readonly ports: number[],
    private readonly generator: Generator,
    /** Connections this session may open: the lower of the processes' open-file limits. */
    readonly connectionLimit: number,
    private readonly context: SessionContext,
    private readonly onWindowEdge: WindowEdgeListener | undefined,
  ) {}

  static async open(
    target: ServerSet,
    context: SessionContext,
    onWindowEdge?: WindowEdgeListener,
  ): Promise<BenchSession> {
    const count = target.servers ?? 1;
    const servers: Server[] = [];
    let generator: Generator | undefined;
    try {
      const pids: number[] = [];
      const ports: number[] = [];
      let limit = Number.MAX_SAFE_INTEGER;
      // One after the other: the first of servers sharing a room creates it, the others join it.
      for (let index = 0; index < count; index++) {
        const who = count > 1 ? `server${index}` : 'server';
        const server: Server = new ChildChannel(
          spawnPinned(
            {
              script: path.join(context.distDir, target.entry),
              core: SERVER_CORE,
              openFiles: context.openFiles,
              // gc() before each memory reading; V8 otherwise frees memory whenever it likes.
              nodeArgs: ['--expose-gc', ...profileArgs(context, who, target)],
              args: [...(target.args ?? [])],
            },
            context.launch,
          ),
          serverEventSchema,
          count > 1 ? `${target.name} server ${index + 1}` : `${target.name} server`,
        );
        servers.push(server);
        const boot = await server.next('booted', BOOT_TIMEOUT_MS);
        const listening = await server.request(
          { type: 'start', maxConnections: context.maxConnections },
          'listening',
          START_TIMEOUT_MS,
        );
        pids.push(boot.pid);
        ports.push(listening.port);
        // Clients are split evenly, so each server holds its share of them.
        limit = Math.min(limit, boot.openFileLimit * count);
      }
      generator = new ChildChannel(
        spawnPinned(
          {
            script: path.join(context.distDir, GENERATOR_ENTRY),
            core: GENERATOR_CORE,
            openFiles: context.openFiles,
            nodeArgs: profileArgs(context, 'generator', target),
          },
          context.launch,
        ),
        generatorEventSchema,
        'load generator',
      );
      const generatorBoot = await generator.next('booted', BOOT_TIMEOUT_MS);
      limit = Math.min(limit, generatorBoot.openFileLimit) - SPARE_FILES;
      return new BenchSession(servers, pids, ports, generator, limit, context, onWindowEdge);
    } catch (error) {
      for (const server of servers) server.kill();
      generator?.kill();
      throw error;
    }
  }

  /** The first server's port (the only one, unless servers share a room). */
  get port(): number {
    return this.ports[0]!;
  }

  /** Opens `clients` connections, waits until the servers are quiet, then measures idle memory. */
  async connect(
    target: Pick<TargetSpec, 'dialect'>,
    clients: number,
    timeoutMs: number,
  ): Promise<ConnectionsResult> {
    const plan = this.context.plan;
    const rssBefore = await this.settledRssKiB();
    const connected = await this.generator.request(
      {
        type: 'connect',
        dialect: target.dialect,
        port: this.port,
        ...(this.ports.length > 1 && { ports: this.ports }),
        clients,
        concurrency: plan.connectConcurrency,
        timeoutMs,
      },
      'connected',
      timeoutMs + PHASE_GRACE_MS,
    );
    const settled = await this.settle();
    const rssAfter = (await this.settledRssKiB()) || rssBefore;
    return {
      requested: clients,
      open: settled.open,
      failed: connected.failed,
      connectMs: connected.ms,
      rssPerConnectionKiB: settled.open > 0 ? (rssAfter - rssBefore) / settled.open : 0,
      serverRssKiB: rssAfter,
      settled: settled.quiet,
      errors: connected.errors,
    };
  }

  /**
   * Waits until no frame has arrived for a while: the presence storm after many joins is over,
   * or an overloaded target has worked off its backlog. Bounded by the plan's settle timeout.
   */
  async settle() {
    const plan = this.context.plan;
    return this.generator.request(
      { type: 'settle', quietMs: plan.settleQuietMs, timeoutMs: plan.settleTimeoutMs },
      'settled',
      plan.settleTimeoutMs + PHASE_GRACE_MS,
    );
  }

  /** The servers' RSS right after a full garbage collection, summed (0 when one is gone). */
  private async settledRssKiB(): Promise<number> {
    await Promise.all(
      this.servers.map((server) =>
        server.request({ type: 'collect' }, 'collected', START_TIMEOUT_MS),
      ),
    );
    return sum(this.serverPids.map(readRssKiB)) ?? 0;
  }

  async phase(phase: PhasePlan): Promise<MeasuredPhase> {
    const phaseNumber = ++this.phaseNumber;
    const sample = () => ({
      cpu: sum(this.serverPids.map(readCpuMs)),
      // The most any one server waited: servers share a core, so their waits overlap.
      wait: Math.max(0, ...this.serverPids.map((pid) => readCpuWaitMs(pid) ?? 0)),
    });
    let start: ReturnType<typeof sample> | undefined;
    let end: ReturnType<typeof sample> | undefined;
    this.generator.on('window', (event) => {
      if (event.type !== 'window' || event.phase !== phaseNumber) return;
      if (event.edge === 'start') start = sample();
      else end = sample();
      this.onWindowEdge?.(phaseNumber, event.edge);
    });
    const plan = this.context.plan;
    const { result } = await this.generator.request(
      {
        type: 'phase',
        phase: phaseNumber,
        rate: phase.rate,
        perSenderRate: plan.perSenderRate,
        warmupMs: phase.warmupMs,
        windowMs: phase.windowMs,
        drainMs: plan.drainMs,
        drainStallMs: plan.drainStallMs,
      },
      'phase-result',
      phase.warmupMs + phase.windowMs + plan.drainMs + PHASE_GRACE_MS,
    );
    const serverCpuMs =
      start?.cpu !== undefined && end?.cpu !== undefined ? end.cpu - start.cpu : 0;
    return {
      ...result,
      serverCpuMs,
      serverCpuPerDeliveryUs:
        result.windowDeliveries > 0 ? (serverCpuMs * 1000) / result.windowDeliveries : 0,
      serverCpuShare: serverCpuMs / result.windowMs,
      serverCpuWait: start && end ? Math.max(0, end.wait - start.wait) / result.windowMs : 0,
    };
  }

  /** Ends every child: politely first (a server must exit for --cpu-prof), then by force. */
  async close(): Promise<void> {
    await this.generator.stop({ type: 'close' }, EXIT_TIMEOUT_MS);
    for (const server of this.servers) await server.stop({ type: 'stop' }, EXIT_TIMEOUT_MS);
  }
}
