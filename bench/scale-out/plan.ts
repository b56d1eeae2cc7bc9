/**
 * How much load the scale-out case offers: the one session of the main plan that has a ramp
 * (C=1,000 in full and quick, C=20 in smoke), its light phase and its ramp, with the ramp
 * starting lower, since Socket.IO on Redis fails where the main ramp starts. No fixed-load
 * phase and no hold: the case compares ramps and light-load latency.
 */
import { PLANS, type BenchMode, type BenchPlan, type RampPlan } from '../plan';

const RAMP_FROM_LOWER: Record<BenchMode, Partial<RampPlan>> = {
  // 10, 20, 40 … 2,560 msg/s, then bisection: 9 doubling steps at most, 3 refining ones.
  full: { startRate: 10, maxSteps: 14, budgetMs: 120_000 },
  quick: { startRate: 10, maxSteps: 10, budgetMs: 30_000 },
  smoke: {},
};

export function scaleOutPlan(mode: BenchMode): BenchPlan {
  const plan = PLANS[mode];
  const ramped = plan.sessions.filter((session) => session.ramp);
  const session = ramped.reduce((most, next) => (next.clients > most.clients ? next : most));
  return {
    ...plan,
    sessions: [
      {
        clients: session.clients,
        ...(session.light && { light: session.light }),
        ...(session.ramp && { ramp: { ...session.ramp, ...RAMP_FROM_LOWER[mode] } }),
      },
    ],
  };
}
