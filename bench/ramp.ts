/**
 * Finds the highest send rate a target sustains with p99 under the limit and nothing lost:
 * multiply the rate until a step fails, then bisect between the last pass and that failure.
 * Bounded in steps and in time; a failure that left a backlog ends the search, since every
 * later step would pay for it.
 */
import type { RampPlan } from './plan';
import type { MeasuredPhase, RampResult } from './results';

export function stepPasses(step: MeasuredPhase, p99LimitMs: number): boolean {
  return (
    step.lost === 0 &&
    step.droppedClients === 0 &&
    step.drained &&
    step.latency.count > 0 &&
    step.latency.p99Ms < p99LimitMs
  );
}

/** A failed step whose deliveries all arrived in the end leaves the target ready for another. */
function leftCleanState(step: MeasuredPhase): boolean {
  return step.drained && step.droppedClients === 0;
}

export async function findMaxRate(
  plan: RampPlan,
  /** Highest rate the load can offer (clients x per-sender rate). */
  maxRate: number,
  runStep: (rate: number) => Promise<MeasuredPhase>,
  now: () => number = () => performance.now(),
): Promise<RampResult> {
  const started = now();
  const steps: MeasuredPhase[] = [];
  let best: MeasuredPhase | undefined;
  let failedRate: number | undefined;
  let stoppedBecause = `reached ${plan.maxSteps} steps`;
  const outOfBudget = () => now() - started >= plan.budgetMs || steps.length >= plan.maxSteps;

  let rate = Math.min(plan.startRate, maxRate);
  while (!outOfBudget()) {
    const step = await runStep(rate);
    steps.push(step);
    if (!stepPasses(step, plan.p99LimitMs)) {
      failedRate = rate;
      stoppedBecause = describeFailure(step, plan.p99LimitMs);
      if (!leftCleanState(step)) return { steps, best, stoppedBecause };
      break;
    }
    best = step;
    if (rate >= maxRate) {
      return { steps, best, stoppedBecause: `passed at the highest offered rate (${maxRate}/s)` };
    }
    rate = Math.min(Math.round(rate * plan.factor), maxRate);
  }
  if (failedRate === undefined) {
    return { steps, best, stoppedBecause: outOfBudgetReason(plan, steps.length) };
  }

  for (let refined = 0; refined < plan.refineSteps && !outOfBudget(); refined++) {
    const low = best?.offeredRate ?? 0;
    const middle = Math.round((low + failedRate) / 2);
    if (middle <= low || middle >= failedRate) break;
    const step = await runStep(middle);
    steps.push(step);
    if (stepPasses(step, plan.p99LimitMs)) {
      best = step;
    } else {
      failedRate = middle;
      if (!leftCleanState(step)) break;
    }
  }
  return { steps, best, stoppedBecause };
}

export function describeFailure(step: MeasuredPhase, p99LimitMs: number): string {
  const rate = `${Math.round(step.offeredRate)} msg/s`;
  if (step.droppedClients > 0) return `${rate}: the target dropped ${step.droppedClients} clients`;
  if (step.lost > 0) return `${rate}: ${step.lost} deliveries lost`;
  if (!step.drained) return `${rate}: deliveries still arriving after the drain time`;
  if (step.latency.count === 0) return `${rate}: nothing delivered`;
  return `${rate}: p99 ${step.latency.p99Ms.toFixed(1)} ms >= ${p99LimitMs} ms`;
}

function outOfBudgetReason(plan: RampPlan, steps: number): string {
  return steps >= plan.maxSteps
    ? `reached ${plan.maxSteps} steps without a failure`
    : `ramp time budget (${plan.budgetMs / 1000} s) spent without a failure`;
}
