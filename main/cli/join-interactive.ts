/**
 * `parley join` at a terminal: a prompt naming the current conversation, the room printed above
 * it. Incoming lines clear the prompt, print, and redraw it with whatever was half-typed, so
 * typing is never mangled. Commands are in join-commands.ts.
 */
import { clearLine, createInterface, cursorTo, moveCursor } from 'node:readline';
import type { EndReason } from '../../protocol/client/client-types';
import type { ClientSession } from '../../protocol/client/client-session';
import { conversationLabel, noteLine, printable } from './chat-lines';
import type { FileSender } from './file-sender';
import {
  COMMANDS_HELP,
  messageText,
  parseCommand,
  runCommand,
  unreadNote,
  type CommandContext,
} from './join-commands';
import { ExitCode, exitCodeForSession } from './exit-codes';
import { reportProblem, type CliIo } from './io';
import type { JoinOutput, JoinView } from './join-output';

export async function runInteractive(
  session: ClientSession,
  io: CliIo,
  output: JoinOutput,
  view: JoinView,
  files?: FileSender,
): Promise<number> {
  const promptFor = () => `${conversationLabel(session.conversation(view.current))}> `;
  const prompt = createInterface({
    input: io.stdin,
    output: io.stdout,
    terminal: true,
    prompt: promptFor(),
  });
  output.print = (line) => {
    clearLine(io.stdout, 0);
    cursorTo(io.stdout, 0);
    io.stdout.write(`${line}\n`);
    prompt.prompt(true);
  };
  const note = (text: string) => output.print(noteLine(text));

  const onKeypress = (_: unknown, key: { name?: string } | undefined) => {
    if (key?.name !== 'return' && key?.name !== 'enter') session.typing(view.current);
  };
  io.stdin.on('keypress', onKeypress);

  let endedBy: EndReason | undefined;
  const finished = new Promise<void>((resolve) => {
    prompt.on('close', resolve);
    session.on('ended', (reason) => {
      endedBy = reason;
      resolve();
    });
    io.stop.addEventListener('abort', () => resolve(), { once: true });
  });
  // Ctrl+C at the prompt leaves the room like /quit.
  prompt.on('SIGINT', () => prompt.close());

  const context: CommandContext = {
    view,
    note,
    print: (line) => output.print(line),
    moved: () => {
      prompt.setPrompt(promptFor());
      prompt.prompt(true);
    },
    quit: () => prompt.close(),
    ...(files && {
      async sendFiles(conv: string, paths: string[]) {
        await files.send(conv, paths);
      },
    }),
  };
  // Commands wait for the host; the next line waits for the one before it, so they keep order.
  let previous: Promise<void> = Promise.resolve();
  prompt.on('line', (line) => {
    // The typed line is shown again when the host confirms it, with its time and sender.
    moveCursor(io.stdout, 0, -1);
    clearLine(io.stdout, 0);
    previous = previous.then(() => handleLine(session, line, context));
    prompt.prompt(true);
  });

  const room = printable(session.room?.name ?? '');
  note(`joined "${room}" as ${printable(session.self?.name ?? '')}; ${COMMANDS_HELP}`);
  // What is unread is known once every conversation's catchup is in.
  const sayUnread = () => {
    const unread = unreadNote(session);
    if (unread) note(unread);
  };
  if (session.caughtUp) sayUnread();
  else {
    const off = session.on('caughtUp', () => {
      off();
      sayUnread();
    });
  }
  prompt.prompt();
  await finished;

  io.stdin.off('keypress', onKeypress);
  prompt.close();
  if (endedBy && endedBy.code !== 'closed') {
    reportProblem(io, endedBy.message);
    return exitCodeForSession(endedBy.code) || ExitCode.failure;
  }
  const pending = session.outbox.filter((message) => message.state === 'pending').length;
  await session.close();
  if (pending > 0) reportProblem(io, `left with ${pending} message(s) not confirmed by the host`);
  return ExitCode.ok;
}

async function handleLine(
  session: ClientSession,
  line: string,
  context: CommandContext,
): Promise<void> {
  if (line.trim() === '') return;
  const command = parseCommand(line);
  if (command) return runCommand(session, command, context);
  try {
    session.send({ conv: context.view.current, text: messageText(line) });
  } catch (error) {
    context.note(error instanceof Error ? error.message : String(error));
  }
}
