/** Awaiting and recording the events of a client session (protocol/client/client-session.ts). */
import type { ClientSession } from '../../protocol/client/client-session';
import type { ClientSessionEvents } from '../../protocol/client/client-types';
import { DEFAULT_WAIT_MS, withTimeout } from './wait';

/** The next `event` of `session` whose arguments pass `accept`, within `ms`. */
export function nextEvent<E extends keyof ClientSessionEvents>(
  session: ClientSession,
  event: E,
  accept: (...args: ClientSessionEvents[E]) => boolean = () => true,
  ms = DEFAULT_WAIT_MS,
): Promise<ClientSessionEvents[E]> {
  let off: (() => void) | undefined;
  const seen = new Promise<ClientSessionEvents[E]>((resolve) => {
    off = session.on(event, (...args) => {
      if (accept(...args)) resolve(args);
    });
  });
  return withTimeout(seen, ms, `the session's ${String(event)} event`).finally(() => off?.());
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
