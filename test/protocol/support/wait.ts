/** Awaiting events with a deadline instead of sleeping, so slow machines only make tests slower. */
import type { ClientSession } from '../../../protocol/client-session';
import type { ClientSessionEvents } from '../../../protocol/client-types';

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The next `event` of `session` whose arguments pass `accept`. */
export function nextEvent<E extends keyof ClientSessionEvents>(
  session: ClientSession,
  event: E,
  accept: (...args: ClientSessionEvents[E]) => boolean = () => true,
  ms = 5000,
): Promise<ClientSessionEvents[E]> {
  let off: (() => void) | undefined;
  const seen = new Promise<ClientSessionEvents[E]>((resolve) => {
    off = session.on(event, (...args) => {
      if (accept(...args)) resolve(args);
    });
  });
  return withTimeout(seen, ms, `the session's ${String(event)} event`).finally(() => off?.());
}

/** Polls a condition until it holds; for state that has no event of its own. */
export async function until(
  condition: () => boolean,
  ms = 5000,
  what = 'a condition',
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Records every `message` event of a session, for exactly-once and order assertions. */
export function collectMessages(session: ClientSession) {
  const texts: string[] = [];
  const seqs: number[] = [];
  session.on('message', (message) => {
    texts.push(message.text);
    seqs.push(message.seq);
  });
  return { texts, seqs };
}
