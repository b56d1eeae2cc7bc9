/**
 * Awaiting things with a deadline. A test that would hang fails with a sentence naming what it
 * waited for; polling is kept for state that has no event of its own, and is bounded in time.
 */
import type { ClientSession } from '../../../protocol/client-session';
import type { ClientSessionEvents } from '../../../protocol/client-types';

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Polls `condition` until it holds; throws after `ms`. `describe` explains a timeout. */
export async function until(
  condition: () => boolean,
  ms: number,
  what: string,
  describe: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) {
      const detail = describe();
      throw new Error(`timed out after ${ms} ms waiting for ${what}${detail ? `: ${detail}` : ''}`);
    }
    await delay(10);
  }
}

/**
 * A plain timer. Only for pacing (a sender's rhythm, a modelled "time passes" step), never to
 * wait for something that has an event.
 */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The next `event` of `session` whose arguments pass `accept`. */
export function nextEvent<E extends keyof ClientSessionEvents>(
  session: ClientSession,
  event: E,
  ms: number,
  accept: (...args: ClientSessionEvents[E]) => boolean = () => true,
): Promise<ClientSessionEvents[E]> {
  let off: (() => void) | undefined;
  const seen = new Promise<ClientSessionEvents[E]>((resolve) => {
    off = session.on(event, (...args) => {
      if (accept(...args)) resolve(args);
    });
  });
  return withTimeout(seen, ms, `the session's ${String(event)} event`).finally(() => off?.());
}
