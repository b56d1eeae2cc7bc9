/**
 * Everything the plan asks of one target: each session (connect, light load, fixed load, ramp),
 * then the idle hold test. A part that fails is recorded and the rest still runs.
 */
import { findMaxRate } from './ramp';
import {
  wasContended,
  type ConnectionsResult,
  type MeasuredPhase,
  type SessionResult,
  type TargetResult,
} from './results';
import { BenchSession, type LoadSession, type SessionContext } from './session';
import type { TargetSpec } from './targets';
import type { PhasePlan, SessionPlan } from './plan';

/** A generator busier than this may be what limits the numbers, not the server. */
export const GENERATOR_BUSY_SHARE = 0.9;

export interface TargetRunContext extends SessionContext {
  log(line: string): void;
  note(line: string): void;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function describePhase(step: MeasuredPhase): string {
  const { p50Ms, p95Ms, p99Ms } = step.latency;
  const errors = Object.entries(step.errorFrames).map(([code, count]) => `${code} x${count}`);
  const dropped = step.droppedClients > 0 ? `, ${step.droppedClients} clients dropped` : '';
  return (
    `${integer.format(step.offeredRate)} msg/s: ${integer.format(step.deliveriesPerSecond)} deliveries/s, ` +
    `p50/p95/p99 ${p50Ms.toFixed(1)}/${p95Ms.toFixed(1)}/${p99Ms.toFixed(1)} ms, lost ${step.lost}${dropped}, ` +
    (errors.length > 0 ? `error frames ${errors.join(' ')}, ` : '') +
    `server ${step.serverCpuPerDeliveryUs.toFixed(2)} µs/delivery (${Math.round(step.serverCpuShare * 100)}% core), ` +
    `generator ${Math.round(step.generatorCpu * 100)}%, ` +
    `waiting for a CPU: server ${Math.round(step.serverCpuWait * 100)}%, ` +
    `generator ${Math.round(step.generatorCpuWait * 100)}%`
  );
}

function describeConnections(connections: ConnectionsResult): string {
  const failed = connections.failed > 0 ? `, ${connections.failed} failed` : '';
  const quiet = connections.settled ? '' : ', still busy after joining';
  return (
    `${integer.format(connections.open)}/${integer.format(connections.requested)} connected in ` +
    `${(connections.connectMs / 1000).toFixed(1)} s${failed}${quiet}, ` +
    `${connections.rssPerConnectionKiB.toFixed(1)} KiB RSS each`
  );
}

/** What a session needs of a target: a name for the log, a dialect, and the rate factor. */
export type SessionTarget = Pick<TargetSpec, 'dialect' | 'rateFactor'> & { name: string };

/** Starts what a session measures (the server and generator of one target, by default). */
export type OpenSession<Target extends SessionTarget> = (
  target: Target,
  context: TargetRunContext,
) => Promise<LoadSession>;

const openBenchSession: OpenSession<TargetSpec> = (target, context) =>
  BenchSession.open(target, context);

async function withSession<Target extends SessionTarget, T>(
  target: Target,
  context: TargetRunContext,
  open: OpenSession<Target>,
  work: (session: LoadSession) => Promise<T>,
): Promise<T> {
  const session = await open(target, context);
  try {
    return await work(session);
  } finally {
    await session.close();
  }
}

function clampClients(wanted: number, session: LoadSession, context: TargetRunContext): number {
  if (wanted <= session.connectionLimit) return wanted;
  context.note(
    `open-file limit allows ${session.connectionLimit} connections per process: ` +
      `using that instead of ${wanted}.`,
  );
  return Math.max(1, session.connectionLimit);
}

/** The plan's rates scaled by the target's factor (see TargetSpec.rateFactor). */
export function sessionFor(target: SessionTarget, plan: SessionPlan): SessionPlan {
  const factor = target.rateFactor?.(plan.clients) ?? 1;
  if (factor === 1) return plan;
  const scale = (phase: PhasePlan) => ({ ...phase, rate: Math.round(phase.rate * factor) });
  return {
    ...plan,
    ...(plan.light && { light: scale(plan.light) }),
    ...(plan.load && { load: scale(plan.load) }),
    ...(plan.ramp && {
      ramp: { ...plan.ramp, startRate: Math.round(plan.ramp.startRate * factor) },
    }),
  };
}

/** Runs one session; a phase that fails ends it but keeps what was measured before. */
export async function runSession<Target extends SessionTarget>(
  target: Target,
  sessionPlan: SessionPlan,
  context: TargetRunContext,
  failures: string[],
  open: OpenSession<Target>,
): Promise<SessionResult> {
  const tag = `${target.name} C=${sessionPlan.clients}`;
  return withSession(target, context, open, async (session) => {
    const clients = clampClients(sessionPlan.clients, session, context);
    const connections = await session.connect(target, clients, context.plan.connectTimeoutMs);
    context.log(`${tag}: ${describeConnections(connections)}`);
    const result: SessionResult = { clients, connections };
    if (connections.open === 0)
      throw new Error(`no client could connect (${connections.errors.join('; ')})`);

    // Phases where the generator's own core was nearly full: one note per session, not per phase.
    const busyGenerator = new Map<string, number[]>();
    let busiestShare = 0;
    const measure = async (label: string, run: () => Promise<MeasuredPhase>) => {
      const step = await run();
      context.log(`${tag} ${label} ${describePhase(step)}`);
      const waited = Math.max(step.serverCpuWait, step.generatorCpuWait);
      // Logged, not kept as a note: the table marks these cells (†) and explains the mark once.
      if (wasContended(step)) {
        context.log(
          `${tag} ${label} at ${Math.round(step.offeredRate)} msg/s: the ` +
            `${step.serverCpuWait >= step.generatorCpuWait ? 'server' : 'generator'} waited for its core ` +
            `${Math.round(waited * 100)}% of the window (other processes were running there).`,
        );
      }
      if (step.generatorCpu > GENERATOR_BUSY_SHARE) {
        busyGenerator.set(label, [
          ...(busyGenerator.get(label) ?? []),
          Math.round(step.offeredRate),
        ]);
        busiestShare = Math.max(busiestShare, step.generatorCpu);
      }
      return step;
    };
    // A backlog left behind would slow the next phase down: let the target work it off first,
    // and give up on the session when it cannot (every later phase would measure the backlog).
    const workOffBacklog = async (step: MeasuredPhase, label: string) => {
      if (step.drained) return;
      const settled = await session.settle();
      if (!settled.quiet) {
        throw new Error(
          `still delivering a backlog ${Math.round(settled.ms / 1000)} s after ${label} at ` +
            `${Math.round(step.offeredRate)} msg/s; later phases would measure that backlog`,
        );
      }
    };
    try {
      if (sessionPlan.light) {
        const light = sessionPlan.light;
        result.light = await measure('light', () => session.phase(light));
        await workOffBacklog(result.light, 'light');
      }
      if (sessionPlan.load) {
        const load = sessionPlan.load;
        result.load = await measure('load', () => session.phase(load));
        await workOffBacklog(result.load, 'load');
      }
      if (sessionPlan.ramp) {
        const ramp = sessionPlan.ramp;
        const maxRate = connections.open * context.plan.perSenderRate;
        result.ramp = await findMaxRate(ramp, maxRate, (rate) =>
          measure('ramp', () =>
            session.phase({ rate, warmupMs: ramp.warmupMs, windowMs: ramp.windowMs }),
          ),
        );
        const best = result.ramp.best;
        if (best && best.offeredRate >= maxRate) {
          context.note(
            `${tag} passed the ramp at the highest rate the load offers (${maxRate} msg/s: ` +
              `${connections.open} senders at ${context.plan.perSenderRate} msg/s, under the ` +
              `protocol's rate limit); its real limit is higher, so ramp ratios to it are upper bounds.`,
          );
        }
        context.log(
          `${tag} ramp: best ${best ? `${Math.round(best.offeredRate)} msg/s` : 'none'}; ` +
            `stopped: ${result.ramp.stoppedBecause}`,
        );
      }
    } catch (error) {
      failures.push(`C=${clients}: ${reason(error)}`);
      context.log(`${tag} stopped early: ${reason(error)}`);
    }
    if (busyGenerator.size > 0) {
      const where = [...busyGenerator].map(
        ([label, rates]) => `${label} at ${rates.join(', ')} msg/s`,
      );
      context.note(
        `the generator used up to ${Math.round(busiestShare * 100)}% of its core in ${tag} ` +
          `(${where.join('; ')}): those numbers may be the generator's limit, not the server's.`,
      );
    }
    return result;
  });
}

async function runHold(target: TargetSpec, context: TargetRunContext): Promise<ConnectionsResult> {
  const hold = context.plan.hold;
  return withSession(target, context, openBenchSession, async (session) => {
    const clients = clampClients(hold.clients, session, context);
    const connections = await session.connect(target, clients, hold.connectTimeoutMs);
    context.log(`${target.name} hold: ${describeConnections(connections)}`);
    return connections;
  });
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function benchTarget(
  target: TargetSpec,
  context: TargetRunContext,
): Promise<TargetResult> {
  const result: TargetResult = {
    name: target.name,
    label: target.label,
    sessions: [],
    failures: [],
  };
  for (const sessionPlan of context.plan.sessions) {
    try {
      result.sessions.push(
        await runSession(
          target,
          sessionFor(target, sessionPlan),
          context,
          result.failures,
          openBenchSession,
        ),
      );
    } catch (error) {
      result.failures.push(`C=${sessionPlan.clients}: ${reason(error)}`);
      context.log(`${target.name} C=${sessionPlan.clients} failed: ${reason(error)}`);
    }
  }
  try {
    result.hold = await runHold(target, context);
  } catch (error) {
    result.failures.push(`hold: ${reason(error)}`);
    context.log(`${target.name} hold failed: ${reason(error)}`);
  }
  return result;
}
