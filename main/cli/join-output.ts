/**
 * What `parley join` prints about a room: the entries of the conversation the person is in as
 * they arrive (and live entries of the others, labelled `#chan` or `@name`), presence, and notes
 * about the connection. Catchups of other conversations are not printed: `/channels` counts them
 * as unread. Lines go through `print`, which the interactive mode swaps for one that keeps the
 * prompt intact.
 */
import type { ClientSession } from '../../protocol/client/client-session';
import { ERROR_SENTENCES, isErrorCode } from '../../protocol/wire/codes';
import type { OutgoingMessage } from '../../protocol/client/client-types';
import { conversationLabel, entryLine, noteLine, presenceLine, printable } from './chat-lines';

export interface JoinOutput {
  print: (line: string) => void;
}

/** Which conversation the person is in; its lines need no label. */
export interface JoinView {
  current: string;
  /** The room's `https://host:port`, so file addresses print whole (for `parley get`). */
  origin?: string;
}

export function sentenceFor(code: string, fallback: string): string {
  return isErrorCode(code) ? ERROR_SENTENCES[code] : fallback;
}

export function describeFailed(message: OutgoingMessage): string {
  const why = message.error ? ERROR_SENTENCES[message.error] : 'The host refused it.';
  return `not sent: "${printable(message.text)}" (${why})`;
}

export interface PrintOptions {
  /** Mark the current conversation read as its entries are printed (someone is looking). */
  markRead?: boolean;
}

/** Prints the room as it happens; returns the function that stops printing. */
export function printRoom(
  session: ClientSession,
  output: JoinOutput,
  view: JoinView,
  options: PrintOptions = {},
): () => void {
  const print = (line: string) => output.print(line);
  let away = false;
  const reported = new Set<string>();
  // Per conversation, the newest seq its catchup brings: older entries of conversations the
  // person is not in are history, not news.
  const caughtUpTo = new Map<string, number>();
  // Names as they were, to say who renamed themselves.
  const names = new Map<string, string>();
  const stops = [
    session.on('conversations', (views) => {
      for (const conversation of views) {
        if (!caughtUpTo.has(conversation.id)) {
          caughtUpTo.set(conversation.id, conversation.lastSeq);
        }
      }
    }),
    session.on('entry', (entry) => {
      if (entry.conv === view.current) {
        const line = entryLine(entry, undefined, view.origin);
        if (line !== undefined) print(line);
        if (options.markRead) session.markRead(entry.conv, entry.seq);
        return;
      }
      if (entry.seq <= (caughtUpTo.get(entry.conv) ?? 0)) return;
      const label = conversationLabel(session.conversation(entry.conv));
      const line = entryLine(entry, label, view.origin);
      if (line !== undefined) print(line);
    }),
    session.on('joined', (peer) => print(presenceLine(peer.name, 'joined'))),
    session.on('left', (peer) => print(presenceLine(peer.name, 'left'))),
    session.on('joined', (peer) => names.set(peer.id, peer.name)),
    session.on('renamed', (peer) => {
      const before = names.get(peer.id);
      names.set(peer.id, peer.name);
      if (before === undefined || before === peer.name) return;
      print(noteLine(`${printable(before)} is now called ${printable(peer.name)}`));
    }),
    session.on('state', (state) => {
      if (state === 'reconnecting' && !away) {
        away = true;
        print(noteLine('connection lost; reconnecting…'));
      }
    }),
    session.on('welcome', (welcome) => {
      for (const peer of welcome.peers) names.set(peer.id, peer.name);
      for (const conversation of welcome.conversations) {
        caughtUpTo.set(conversation.id, conversation.lastSeq);
      }
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
    session.on('gap', ({ conv }) => {
      if (conv !== view.current) return;
      print(noteLine('some messages from while you were away are not shown (too many)'));
    }),
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
