/**
 * The commands of `parley join` at a terminal: who is here, conversations and moving between
 * them, direct messages, re-sending failed messages, quitting. A line that starts with `/` is a
 * command (`//` starts a message with `/`); anything else is a message to the current
 * conversation.
 */
import type { ClientSession } from '../../protocol/client/client-session';
import { GENERAL } from '../../protocol/wire/identity';
import { MATCH_END, MATCH_START } from '../../protocol/wire/entries';
import {
  clock,
  conversationLabel,
  conversationLines,
  entryLine,
  printable,
  unreadWords,
} from './chat-lines';
import type { JoinView } from './join-output';
import { channel, conversationNamed, directWith } from './join-targets';

export const COMMANDS_HELP =
  'commands: /channels (conversations, unread), /open #chan or @name (switch), /join #chan, /leave, /msg NAME text (direct message), /reply SEQ text, /edit SEQ text, /delete SEQ, /react SEQ EMOJI (/unreact SEQ EMOJI takes it back), /search words, /send PATH (a file), /who, /retry (send failed messages again), /quit (or Ctrl+D); messages end with their SEQ, e.g. (#12); start a message with // to begin it with /';

/** Hits /search prints. */
const SEARCH_LIMIT = 10;

/** Search snippets mark matches between MATCH_START and MATCH_END: shown as *match*. */
const MATCHES = new RegExp(`${MATCH_START}([^${MATCH_END}]*)${MATCH_END}`, 'gu');

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
  /** Uploads files to a conversation and posts them once up; absent where files cannot go. */
  sendFiles?(conv: string, paths: string[]): Promise<void>;
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
    case 'reply': {
      const { seq, text } = seqAndText(rest, 'say which message and what: /reply SEQ text');
      session.send({ conv: view.current, text, replyTo: seq });
      return;
    }
    case 'edit': {
      const { seq, text } = seqAndText(rest, 'say which message and its new text: /edit SEQ text');
      session.edit(view.current, seq, text);
      return;
    }
    case 'delete':
      session.deleteMessage(view.current, seqOf(rest, 'say which message: /delete SEQ'));
      return;
    case 'react':
    case 'unreact': {
      const { seq, text: emoji } = seqAndText(rest, `say which message and emoji: /${name} SEQ 👍`);
      session.react(view.current, seq, emoji.trim(), name === 'react');
      return;
    }
    case 'search':
      if (!rest) return note('say what to look for: /search words');
      await search(session, rest, context);
      return;
    case 'send':
      if (!rest) return note('say which file: /send PATH');
      if (!context.sendFiles) return note('files cannot be sent from here');
      await context.sendFiles(view.current, [rest]);
      return;
    default:
      note(COMMANDS_HELP);
  }
}

function seqOf(text: string, usage: string): number {
  const seq = Number(/^#?(\d+)$/.exec(text.trim())?.[1]);
  if (!Number.isSafeInteger(seq) || seq < 1) throw new Error(usage);
  return seq;
}

function seqAndText(rest: string, usage: string): { seq: number; text: string } {
  const [, seq = '', text = ''] = /^(\S+)\s*([^]*)$/.exec(rest) ?? [];
  if (!text.trim()) throw new Error(usage);
  return { seq: seqOf(seq, usage), text };
}

async function search(session: ClientSession, words: string, context: CommandContext) {
  const hits = await session.search({ q: words, limit: SEARCH_LIMIT });
  if (hits.length === 0) return context.note(`nothing found for ${printable(words)}`);
  context.note(`found for ${printable(words)}, newest first:`);
  for (const hit of hits) {
    const label = conversationLabel(session.conversation(hit.conv));
    const snippet = printable(
      hit.snippet.replace(MATCHES, (_match, found: string) => `*${found}*`),
    );
    context.print(
      `  ${clock(hit.ts)} ${label} ${printable(hit.from.name)}: ${snippet} (#${hit.seq})`,
    );
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
      const line = entryLine(entry, undefined, context.view.origin);
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
