/** Awaiting and recording the events of a client session (protocol/client/client-session.ts). */
import type { ClientSession } from '../../protocol/client/client-session';
import type { ClientSessionEvents } from '../../protocol/client/client-types';
import type { Entry } from '../../protocol/wire/entries';
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

/** Records every `entry` event of a session, for exactly-once and order assertions. */
export function collectEntries(session: ClientSession) {
  const entries: Entry[] = [];
  session.on('entry', (entry) => entries.push(entry));
  const of = (conv: string) => entries.filter((entry) => entry.conv === conv);
  return {
    entries,
    /** `conv:seq` of every entry, in delivery order. */
    get keys() {
      return entries.map((entry) => `${entry.conv}:${entry.seq}`);
    },
    /** The texts of the text entries of `conv` (every conversation without one). */
    texts(conv?: string) {
      return (conv === undefined ? entries : of(conv)).flatMap((entry) =>
        entry.kind === 'text' ? [entry.text] : [],
      );
    },
    seqs: (conv: string) => of(conv).map((entry) => entry.seq),
  };
}
