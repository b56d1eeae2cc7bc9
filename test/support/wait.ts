/**
 * Awaiting things with a deadline, for every test. A test that would hang fails with a sentence
 * naming what it waited for; polling is kept for state that has no event of its own, and is
 * bounded in time.
 */

/** How long `until` waits when the caller names no bound. */
export const DEFAULT_WAIT_MS = 5000;

const POLL_INTERVAL_MS = 5;

/**
 * `promise`, or a rejection naming `what` once `ms` have passed. `what` may be a function, to
 * describe the state at the moment of the timeout (what a process printed until then, say).
 */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  what: string | (() => string),
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const described = typeof what === 'function' ? what() : what;
      reject(new Error(`timed out after ${ms} ms waiting for ${described}`));
    }, ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Polls `condition` until it holds; throws after `ms`. `describe` explains a timeout. */
export async function until(
  condition: () => boolean,
  ms = DEFAULT_WAIT_MS,
  what = 'a condition',
  describe: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) {
      const detail = describe();
      throw new Error(`timed out after ${ms} ms waiting for ${what}${detail ? `: ${detail}` : ''}`);
    }
    await delay(POLL_INTERVAL_MS);
  }
}

/**
 * A plain timer. Only for pacing (a sender's rhythm, a modelled "time passes" step), never to
 * wait for something that has an event.
 */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
