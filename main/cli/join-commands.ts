/**
 * The commands of `parley join` at a terminal: who is here, conversations and moving between
 * them, direct messages, re-sending failed messages, quitting. A line that starts with `/` is a
 * command (`//` starts a message with `/`); anything else is a message to the current
 * conversation.
 */
import type { ClientSession } from '../../protocol/client/client-session';
import { GENERAL } from '../../protocol/wire/identity';
import {
  conversationLabel,
  conversationLines,
  entryLine,
  printable,
  unreadWords,
} from './chat-lines';
import type { JoinView } from './join-output';
import { channel, conversationNamed, directWith } from './join-targets';

export const COMMANDS_HELP =
  'commands: /channels (conversations, unread), /open #chan or @name (switch), /join #chan, /leave, /msg NAME text (direct message), /who, /retry (send failed messages again), /quit (or Ctrl+D); start a message with // to begin it with /';

/** Lines of a conversation shown when the person opens it. */
const RECENT_ON_OPEN = 10;

export interface CommandContext {
  view: JoinView;
  /** A note from the client (marked as such). */
  note(text: string): void;
  /** A line as it is (a chat line). */
  print(line: string): void;
  /** The current conversation changed: the prompt follows it. */
  moved(): void;
  quit(): void;
}

/** A typed line split into its command name (lowercase) and the rest; undefined for a message. */
export function parseCommand(line: string): { name: string; rest: string } | undefined {
  const text = line.trim();
  if (!text.startsWith('/') || text.startsWith('//')) return undefined;
  const [, name = '', rest = ''] = /^\/(\S*)\s*([^]*)$/.exec(text) ?? [];
  return { name: name.toLowerCase(), rest: rest.trim() };
}

/** The message a typed line sends: `//text` sends `/text`. */
export function messageText(line: string): string {
  return line.trimStart().startsWith('//') ? line.replace('//', '/') : line;
}

/** Runs one command; its failures become notes, never exceptions. */
export async function runCommand(
  session: ClientSession,
  command: { name: string; rest: string },
  context: CommandContext,
): Promise<void> {
  try {
    await dispatch(session, command, context);
  } catch (error) {
    context.note(error instanceof Error ? error.message : String(error));
  }
}

async function dispatch(
  session: ClientSession,
  { name, rest }: { name: string; rest: string },
  context: CommandContext,
): Promise<void> {
  const { note, view } = context;
  switch (name) {
    case 'quit':
    case 'exit':
      context.quit();
      return;
    case 'who':
      note(`here: ${session.peers.map((peer) => printable(peer.name)).join(', ')}`);
      return;
    case 'retry': {
      const failed = session.outbox.filter((message) => message.state === 'failed');
      for (const message of failed) session.retry(message.id);
      note(failed.length > 0 ? `sending ${failed.length} message(s) again` : 'nothing to retry');
      return;
    }
    case 'channels':
    case 'list':
      note('conversations:');
      for (const line of conversationLines(session.conversations, view.current)) {
        context.print(line);
      }
      return;
    case 'open':
      if (!rest) return note('say which: /open #channel or /open @name');
      await open(session, await conversationNamed(session, rest), context);
      return;
    case 'join':
      if (!rest) return note('say which: /join #channel');
      await open(session, await channel(session, rest, true), context);
      return;
    case 'leave':
      await leave(session, rest, context);
      return;
    case 'msg': {
      const [, who = '', text = ''] = /^(\S+)\s*([^]*)$/.exec(rest) ?? [];
      if (!who) return note('say to whom: /msg NAME text');
      const direct = await directWith(session, who);
      if (text.trim()) session.send({ conv: direct.id, text });
      else await open(session, direct, context);
      return;
    }
    default:
      note(COMMANDS_HELP);
  }
}

/** Makes `conv` the current conversation, after its latest lines, and marks them read. */
async function open(
  session: ClientSession,
  conversation: { id: string; lastSeq: number },
  context: CommandContext,
): Promise<void> {
  const view = session.conversation(conversation.id);
  context.note(
    `now in ${conversationLabel(view)}${view?.topic ? ` - ${printable(view.topic)}` : ''}`,
  );
  // History first: entries arriving meanwhile come after it, with their label, never twice.
  const lastSeq = Math.max(conversation.lastSeq, view?.lastSeq ?? 0);
  if (lastSeq > 0) {
    const { entries } = await session.loadOlder(conversation.id, lastSeq + 1, RECENT_ON_OPEN);
    for (const entry of entries) {
      const line = entryLine(entry);
      if (line !== undefined) context.print(line);
    }
    session.markRead(conversation.id, lastSeq);
  }
  context.view.current = conversation.id;
  context.moved();
}

async function leave(session: ClientSession, rest: string, context: CommandContext) {
  const target = rest ? session.channelNamed(rest) : session.conversation(context.view.current);
  if (!target) return context.note(`there is no channel ${printable(rest)} in this room`);
  if (target.kind !== 'channel' || target.id === GENERAL) {
    return context.note('Everyone stays in general, and in their direct conversations.');
  }
  await session.leaveChannel(target.id);
  context.note(`left ${conversationLabel(target)}`);
  if (context.view.current === target.id) {
    await open(session, session.conversation(GENERAL) ?? { id: GENERAL, lastSeq: 0 }, context);
  }
}

/** The note after joining: which conversations have unread messages. */
export function unreadNote(session: ClientSession): string | undefined {
  const waiting = session.conversations.filter((view) => view.member && view.unread > 0);
  if (waiting.length === 0) return undefined;
  return `unread: ${waiting.map((view) => `${conversationLabel(view)}${unreadWords(view)}`).join(', ')}`;
}
