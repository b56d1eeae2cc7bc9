/**
 * A session of the scale-out case: a BenchSession over the target's servers (clients split
 * across their ports, CPU and memory summed over them), with the redis-server the target needs,
 * started before the servers and stopped after them; its CPU is kept apart, per phase.
 *
 * Pinning: the servers and Redis share the server core (core 0), the generator has core 1; so a
 * two-server target gets no more CPU than a one-server one, and pays for Redis out of it.
 */
import { spawnSync } from 'node:child_process';
import { TestRedis } from '../../test/support/redis-server';
import type { PhasePlan } from '../plan';
import { readCpuMs } from '../proc/linux-proc';
import { SERVER_CORE } from '../proc/pinned-child';
import type { ConnectionsResult, MeasuredPhase } from '../results';
import { BenchSession, type LoadSession, type SessionContext } from '../session';
import type { ScaleOutTarget } from './targets';

/**
 * Redis as docs/scale-out.md asks for production: AOF with `appendfsync always`, so every acked
 * entry is on disk before the ack. Its folder is a fresh temp one on the machine's disk.
 */
export const BENCH_APPENDFSYNC = 'always';

/** Redis's share of a core in each phase's window, by phase number (the table reports it). */
export type RedisCpuByPhase = Map<number, number>;

export class ScaleOutSession implements LoadSession {
  /** Numbered as BenchSession numbers them: 1, 2, … in the order phase() is called. */
  private phaseNumber = 0;

  private constructor(
    private readonly session: BenchSession,
    private readonly redis: TestRedis | undefined,
    private readonly redisCpu: RedisCpuByPhase,
    /** Redis's CPU (ms) over each phase's window, once the window closed. */
    private readonly windowCpu: Map<number, number>,
  ) {}

  static async open(
    target: ScaleOutTarget,
    context: SessionContext,
    redisCpu: RedisCpuByPhase,
  ): Promise<ScaleOutSession> {
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
      const redisPid = redis?.pid;
      const startCpu = new Map<number, number>();
      const windowCpu = new Map<number, number>();
      const session = await BenchSession.open(
        { ...target, args: redis ? [redis.url] : [] },
        context,
        (phase, edge) => {
          const cpu = redisPid === undefined ? undefined : readCpuMs(redisPid);
          if (cpu === undefined) return;
          const started = startCpu.get(phase);
          if (edge === 'start') startCpu.set(phase, cpu);
          else if (started !== undefined) windowCpu.set(phase, cpu - started);
        },
      );
      return new ScaleOutSession(session, redis, redisCpu, windowCpu);
    } catch (error) {
      await redis?.stop();
      throw error;
    }
  }

  get connectionLimit(): number {
    return this.session.connectionLimit;
  }

  connect(
    target: Pick<ScaleOutTarget, 'dialect'>,
    clients: number,
    timeoutMs: number,
  ): Promise<ConnectionsResult> {
    return this.session.connect(target, clients, timeoutMs);
  }

  settle() {
    return this.session.settle();
  }

  async phase(phase: PhasePlan): Promise<MeasuredPhase> {
    const phaseNumber = ++this.phaseNumber;
    const measured = await this.session.phase(phase);
    const used = this.windowCpu.get(phaseNumber);
    if (used !== undefined) this.redisCpu.set(phaseNumber, used / measured.windowMs);
    return measured;
  }

  async close(): Promise<void> {
    await this.session.close();
    await this.redis?.stop();
  }
}
