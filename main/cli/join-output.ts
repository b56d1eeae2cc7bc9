/**
 * What `parley join` prints about a room: messages, presence, and notes about the connection.
 * Lines go through `print`, which the interactive mode swaps for one that keeps the prompt intact.
 */
import type { ClientSession } from '../../protocol/client/client-session';
import { ERROR_SENTENCES, isErrorCode } from '../../protocol/wire/codes';
import type { OutgoingMessage } from '../../protocol/client/client-types';
import { messageLine, noteLine, presenceLine, printable } from './chat-lines';

export interface JoinOutput {
  print: (line: string) => void;
}

export function sentenceFor(code: string, fallback: string): string {
  return isErrorCode(code) ? ERROR_SENTENCES[code] : fallback;
}

export function describeFailed(message: OutgoingMessage): string {
  const why = message.error ? ERROR_SENTENCES[message.error] : 'The host refused it.';
  return `not sent: "${printable(message.text)}" (${why})`;
}

/** Prints the room as it happens; returns the function that stops printing. */
export function printRoom(session: ClientSession, output: JoinOutput): () => void {
  const print = (line: string) => output.print(line);
  let away = false;
  const reported = new Set<string>();
  const stops = [
    session.on('message', (message) => print(messageLine(message))),
    session.on('joined', (peer) => print(presenceLine(peer.name, 'joined'))),
    session.on('left', (peer) => print(presenceLine(peer.name, 'left'))),
    session.on('state', (state) => {
      if (state === 'reconnecting' && !away) {
        away = true;
        print(noteLine('connection lost; reconnecting…'));
      }
    }),
    session.on('welcome', () => {
      if (!away) return;
      away = false;
      const waiting = session.outbox.filter((message) => message.state === 'pending').length;
      print(
        noteLine(
          waiting > 0 ? `reconnected; sending ${waiting} waiting message(s)` : 'reconnected',
        ),
      );
    }),
    session.on('roomChanged', ({ current }) =>
      print(
        noteLine(
          `the host now runs a different room, "${printable(current.name)}"; earlier messages were in the old one`,
        ),
      ),
    ),
    session.on('gap', () =>
      print(noteLine('some messages from while you were away are not shown (too many)')),
    ),
    session.on('outbox', (outbox) => {
      for (const message of outbox) {
        if (message.state === 'failed' && !reported.has(message.id)) {
          reported.add(message.id);
          print(noteLine(describeFailed(message)));
        } else if (message.state === 'pending') {
          reported.delete(message.id);
        }
      }
    }),
    session.on('error', ({ code, message, ref }) => {
      // Errors about one of our messages show up through the outbox; rate limits heal by themselves.
      if (ref !== undefined || code === 'rate_limited') return;
      print(noteLine(`the host says: ${sentenceFor(code, printable(message))}`));
    }),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
