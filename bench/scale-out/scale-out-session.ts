/**
 * A session of the scale-out case: its own redis-server (when the target needs one), the target's
 * servers and one load generator, for as long as a set of connections lives. Like BenchSession
 * (bench/session.ts), but several servers: clients are split across their ports, and a window's
 * server CPU is the sum over the servers, with Redis's CPU kept apart.
 *
 * Pinning: the servers and Redis share the server core (core 0), the generator has core 1; so a
 * two-server target gets no more CPU than a one-server one, and pays for Redis out of it.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { TestRedis } from '../../test/support/redis-server';
import {
  generatorEventSchema,
  serverEventSchema,
  type GeneratorCommand,
  type GeneratorEvent,
  type ServerCommand,
  type ServerEvent,
} from '../ipc';
import type { PhasePlan } from '../plan';
import { ChildChannel } from '../proc/child-channel';
import { readCpuMs, readCpuWaitMs, readRssKiB } from '../proc/linux-proc';
import { GENERATOR_CORE, SERVER_CORE, spawnPinned } from '../proc/pinned-child';
import type { ConnectionsResult, MeasuredPhase } from '../results';
import type { LoadSession, SessionContext } from '../session';
import { GENERATOR_ENTRY } from '../targets';
import type { ScaleOutTarget } from './targets';

const BOOT_TIMEOUT_MS = 15_000;
const START_TIMEOUT_MS = 30_000;
const EXIT_TIMEOUT_MS = 10_000;
const PHASE_GRACE_MS = 20_000;
const SPARE_FILES = 200;

/**
 * Redis as docs/scale-out.md asks for production: AOF with `appendfsync always`, so every acked
 * entry is on disk before the ack. Its folder is a fresh temp one on the machine's disk.
 */
export const BENCH_APPENDFSYNC = 'always';

type Server = ChildChannel<ServerCommand, ServerEvent>;
type Generator = ChildChannel<GeneratorCommand, GeneratorEvent>;

/** Redis's share of a core in each phase's window, by phase number (the table reports it). */
export type RedisCpuByPhase = Map<number, number>;

const sum = (values: (number | undefined)[]) =>
  values.every((value) => value !== undefined)
    ? values.reduce<number>((total, value) => total + value!, 0)
    : undefined;

export class ScaleOutSession implements LoadSession {
  private phaseNumber = 0;

  private constructor(
    private readonly servers: Server[],
    private readonly serverPids: number[],
    private readonly ports: number[],
    private readonly generator: Generator,
    private readonly redis: TestRedis | undefined,
    readonly connectionLimit: number,
    private readonly context: SessionContext,
    private readonly redisCpu: RedisCpuByPhase,
  ) {}

  static async open(
    target: ScaleOutTarget,
    context: SessionContext,
    redisCpu: RedisCpuByPhase,
  ): Promise<ScaleOutSession> {
    const servers: Server[] = [];
    let generator: Generator | undefined;
    let redis: TestRedis | undefined;
    try {
      if (target.redis) {
        redis = await TestRedis.start({ appendfsync: BENCH_APPENDFSYNC });
        if (context.launch.taskset && redis.pid !== undefined) {
          // -a: every thread of redis-server (its background I/O threads too).
          spawnSync('taskset', ['-a', '-p', '-c', String(SERVER_CORE), String(redis.pid)], {
            stdio: 'ignore',
          });
        }
      }
      const pids: number[] = [];
      const ports: number[] = [];
      let limit = Number.MAX_SAFE_INTEGER;
      // One after the other: the first host creates the shared room, the others join it.
      for (let index = 0; index < target.servers; index++) {
        const server: Server = new ChildChannel(
          spawnPinned(
            {
              script: path.join(context.distDir, target.entry),
              core: SERVER_CORE,
              openFiles: context.openFiles,
              nodeArgs: ['--expose-gc', ...profileArgs(context, `server${index}`, target)],
              args: redis ? [redis.url] : [],
            },
            context.launch,
          ),
          serverEventSchema,
          `${target.name} server ${index + 1}`,
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
        limit = Math.min(limit, boot.openFileLimit * target.servers);
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
      return new ScaleOutSession(servers, pids, ports, generator, redis, limit, context, redisCpu);
    } catch (error) {
      for (const server of servers) server.kill();
      generator?.kill();
      await redis?.stop();
      throw error;
    }
  }

  async connect(
    target: Pick<ScaleOutTarget, 'dialect'>,
    clients: number,
    timeoutMs: number,
  ): Promise<ConnectionsResult> {
    const plan = this.context.plan;
    const rssBefore = await this.settledRssKiB();
    const connected = await this.generator.request(
      {
        type: 'connect',
        dialect: target.dialect,
        port: this.ports[0]!,
        ports: this.ports,
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

  settle() {
    const plan = this.context.plan;
    return this.generator.request(
      { type: 'settle', quietMs: plan.settleQuietMs, timeoutMs: plan.settleTimeoutMs },
      'settled',
      plan.settleTimeoutMs + PHASE_GRACE_MS,
    );
  }

  /** Every server's RSS after a full collection, summed (0 when one is gone). */
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
    const redisPid = this.redis?.pid;
    const sample = () => ({
      cpu: sum(this.serverPids.map(readCpuMs)),
      // The most any one server waited: they share a core, so their waits overlap.
      wait: Math.max(...this.serverPids.map((pid) => readCpuWaitMs(pid) ?? 0)),
      redis: redisPid === undefined ? 0 : (readCpuMs(redisPid) ?? 0),
    });
    let start: ReturnType<typeof sample> | undefined;
    let end: ReturnType<typeof sample> | undefined;
    this.generator.on('window', (event) => {
      if (event.type !== 'window' || event.phase !== phaseNumber) return;
      if (event.edge === 'start') start = sample();
      else end = sample();
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
    if (start && end && redisPid !== undefined)
      this.redisCpu.set(phaseNumber, (end.redis - start.redis) / result.windowMs);
    return {
      ...result,
      serverCpuMs,
      serverCpuPerDeliveryUs:
        result.windowDeliveries > 0 ? (serverCpuMs * 1000) / result.windowDeliveries : 0,
      serverCpuShare: serverCpuMs / result.windowMs,
      serverCpuWait: start && end ? Math.max(0, end.wait - start.wait) / result.windowMs : 0,
    };
  }

  async close(): Promise<void> {
    await this.generator.stop({ type: 'close' }, EXIT_TIMEOUT_MS);
    for (const server of this.servers) await server.stop({ type: 'stop' }, EXIT_TIMEOUT_MS);
    await this.redis?.stop();
  }
}

function profileArgs(context: SessionContext, who: string, target: ScaleOutTarget): string[] {
  return context.cpuProfileDir
    ? [
        '--cpu-prof',
        `--cpu-prof-dir=${context.cpuProfileDir}`,
        `--cpu-prof-name=${who}-${target.name}-${Date.now()}.cpuprofile`,
      ]
    : [];
}
