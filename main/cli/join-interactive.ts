/**
 * `parley join` at a terminal: a prompt for typing, the room printed above it. Incoming lines
 * clear the prompt, print, and redraw it with whatever was half-typed, so typing is never mangled.
 */
import { clearLine, createInterface, cursorTo, moveCursor } from 'node:readline';
import type { EndReason } from '../../protocol/client/client-types';
import type { ClientSession } from '../../protocol/client/client-session';
import { noteLine, printable } from './chat-lines';
import { ExitCode, exitCodeForSession } from './exit-codes';
import { reportProblem, type CliIo } from './io';
import type { JoinOutput } from './join-output';

const COMMANDS_HELP =
  'commands: /who (who is here), /retry (send failed messages again), /quit (or Ctrl+D); start a message with // to begin it with /';

export async function runInteractive(
  session: ClientSession,
  io: CliIo,
  output: JoinOutput,
): Promise<number> {
  const prompt = createInterface({
    input: io.stdin,
    output: io.stdout,
    terminal: true,
    prompt: '> ',
  });
  output.print = (line) => {
    clearLine(io.stdout, 0);
    cursorTo(io.stdout, 0);
    io.stdout.write(`${line}\n`);
    prompt.prompt(true);
  };
  const note = (text: string) => output.print(noteLine(text));

  const onKeypress = (_: unknown, key: { name?: string } | undefined) => {
    if (key?.name !== 'return' && key?.name !== 'enter') session.typing();
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

  prompt.on('line', (line) => {
    // The typed line is shown again when the host confirms it, with its time and sender.
    moveCursor(io.stdout, 0, -1);
    clearLine(io.stdout, 0);
    handleLine(session, line, { note, quit: () => prompt.close() });
    prompt.prompt(true);
  });

  const room = printable(session.room?.name ?? '');
  note(`joined "${room}" as ${printable(session.self?.name ?? '')}; ${COMMANDS_HELP}`);
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

function handleLine(
  session: ClientSession,
  line: string,
  actions: { note: (text: string) => void; quit: () => void },
): void {
  const text = line.trim();
  if (text === '') return;
  if (text.startsWith('/') && !text.startsWith('//')) {
    runCommand(session, text.slice(1).toLowerCase(), actions);
    return;
  }
  session.send(text.startsWith('//') ? line.replace('//', '/') : line);
}

function runCommand(
  session: ClientSession,
  command: string,
  actions: { note: (text: string) => void; quit: () => void },
): void {
  switch (command) {
    case 'quit':
    case 'exit':
      actions.quit();
      return;
    case 'who':
      actions.note(`here: ${session.peers.map((peer) => printable(peer.name)).join(', ')}`);
      return;
    case 'retry': {
      const failed = session.outbox.filter((message) => message.state === 'failed');
      for (const message of failed) session.retry(message.id);
      actions.note(
        failed.length > 0 ? `sending ${failed.length} message(s) again` : 'nothing to retry',
      );
      return;
    }
    default:
      actions.note(COMMANDS_HELP);
  }
}
