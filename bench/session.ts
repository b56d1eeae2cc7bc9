/**
 * One server under test and one load generator, each in its own pinned process, for as long as a
 * set of connections lives. The session reads the server's CPU and memory from /proc at the
 * moments the generator reports (window open, window closed, connections idle).
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

export class BenchSession implements LoadSession {
  private phaseNumber = 0;

  private constructor(
    private readonly server: Server,
    private readonly generator: Generator,
    readonly serverPid: number,
    readonly port: number,
    /** Connections this session may open: the lower of both processes' open-file limits. */
    readonly connectionLimit: number,
    private readonly context: SessionContext,
  ) {}

  static async open(target: TargetSpec, context: SessionContext): Promise<BenchSession> {
    const profileArgs = (who: string) =>
      context.cpuProfileDir
        ? [
            '--cpu-prof',
            `--cpu-prof-dir=${context.cpuProfileDir}`,
            `--cpu-prof-name=${who}-${target.name}-${Date.now()}.cpuprofile`,
          ]
        : [];
    const server: Server = new ChildChannel(
      spawnPinned(
        {
          script: path.join(context.distDir, target.entry),
          core: SERVER_CORE,
          openFiles: context.openFiles,
          // gc() before each memory reading; V8 otherwise frees memory whenever it likes.
          nodeArgs: ['--expose-gc', ...profileArgs('server')],
        },
        context.launch,
      ),
      serverEventSchema,
      `${target.name} server`,
    );
    let generator: Generator | undefined;
    try {
      const serverBoot = await server.next('booted', BOOT_TIMEOUT_MS);
      const listening = await server.request(
        { type: 'start', maxConnections: context.maxConnections },
        'listening',
        START_TIMEOUT_MS,
      );
      generator = new ChildChannel(
        spawnPinned(
          {
            script: path.join(context.distDir, GENERATOR_ENTRY),
            core: GENERATOR_CORE,
            openFiles: context.openFiles,
            nodeArgs: profileArgs('generator'),
          },
          context.launch,
        ),
        generatorEventSchema,
        'load generator',
      );
      const generatorBoot = await generator.next('booted', BOOT_TIMEOUT_MS);
      const limit = Math.min(serverBoot.openFileLimit, generatorBoot.openFileLimit) - SPARE_FILES;
      return new BenchSession(server, generator, serverBoot.pid, listening.port, limit, context);
    } catch (error) {
      server.kill();
      generator?.kill();
      throw error;
    }
  }

  /** Opens `clients` connections, waits until the server is quiet, then measures idle memory. */
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

  /** The server's RSS right after a full garbage collection (0 when the server is gone). */
  private async settledRssKiB(): Promise<number> {
    await this.server.request({ type: 'collect' }, 'collected', START_TIMEOUT_MS);
    return readRssKiB(this.serverPid) ?? 0;
  }

  async phase(phase: PhasePlan): Promise<MeasuredPhase> {
    const phaseNumber = ++this.phaseNumber;
    let cpuStart: number | undefined;
    let cpuEnd: number | undefined;
    let waitStart: number | undefined;
    let waitEnd: number | undefined;
    this.generator.on('window', (event) => {
      if (event.type !== 'window' || event.phase !== phaseNumber) return;
      if (event.edge === 'start') {
        cpuStart = readCpuMs(this.serverPid);
        waitStart = readCpuWaitMs(this.serverPid);
      } else {
        cpuEnd = readCpuMs(this.serverPid);
        waitEnd = readCpuWaitMs(this.serverPid);
      }
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
    const serverCpuMs = cpuStart !== undefined && cpuEnd !== undefined ? cpuEnd - cpuStart : 0;
    return {
      ...result,
      serverCpuMs,
      serverCpuPerDeliveryUs:
        result.windowDeliveries > 0 ? (serverCpuMs * 1000) / result.windowDeliveries : 0,
      serverCpuShare: serverCpuMs / result.windowMs,
      serverCpuWait:
        waitStart !== undefined && waitEnd !== undefined
          ? Math.max(0, waitEnd - waitStart) / result.windowMs
          : 0,
    };
  }

  /** Ends both children: politely first (the server must exit for --cpu-prof), then by force. */
  async close(): Promise<void> {
    await this.generator.stop({ type: 'close' }, EXIT_TIMEOUT_MS);
    await this.server.stop({ type: 'stop' }, EXIT_TIMEOUT_MS);
  }
}
