/**
 * `parley join ADDRESS --name NAME`: joins a room as a terminal client, interactive at a terminal
 * and line-by-line from a pipe.
 */
import * as v from 'valibot';
import { parseJoinAddress } from '../../protocol/address';
import type { ClientSessionOptions } from '../../protocol/client-types';
import { ClientSession, SessionError } from '../../protocol/client-session';
import { EXIT_CODE_HELP, ExitCode, exitCodeForSession } from './exit-codes';
import { reportProblem, writeLine, type CliIo } from './io';
import { runInteractive } from './join-interactive';
import { printRoom, type JoinOutput } from './join-output';
import { runPiped } from './join-piped';
import { NodeWebSocket } from './node-websocket';
import { CliProblem, UsageError, parseCommandArgs } from './usage-error';

const JOIN_FLAGS = {
  name: { type: 'string' },
  password: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const joinArgsSchema = v.object({
  name: v.optional(v.string()),
  password: v.optional(v.string()),
  help: v.optional(v.boolean()),
});

export const JOIN_HELP = `Usage: parley join ADDRESS --name NAME [--password PW]

Joins a Parley room. ADDRESS is what the host shows: 192.168.1.20:7420,
laptop.local (port 7420), [fe80::1]:7420, or a ws:// / wss:// URL.

At a terminal you get a prompt: type a line and press Enter to send it;
/who, /retry and /quit (or Ctrl+D) are commands.
With input from a pipe or file, every line is sent as one message and the
command exits once the host has confirmed them all (it reconnects and
re-sends if the host restarts meanwhile). Messages are printed to stdout.

Options:
  --name NAME       the name others see (required)
  --password PW     the room's password (or set PARLEY_PASSWORD)
  -h, --help        show this help

${EXIT_CODE_HELP}`;

interface JoinArgs {
  url: string;
  name: string;
  password: string | undefined;
}

/** Lets tests swap the session (e.g. shorter heartbeats); the CLI uses the defaults. */
export type SessionFactory = (options: ClientSessionOptions) => ClientSession;
const defaultFactory: SessionFactory = (options) => new ClientSession(options);

export async function runJoin(
  argv: string[],
  io: CliIo,
  createSession: SessionFactory = defaultFactory,
): Promise<number> {
  let args: JoinArgs | 'help';
  try {
    args = parseJoinArgs(argv, io.env);
  } catch (error) {
    if (!(error instanceof CliProblem)) throw error;
    reportProblem(io, error.message);
    return error.exitCode;
  }
  if (args === 'help') {
    writeLine(io.stdout, JOIN_HELP);
    return ExitCode.ok;
  }

  const session = createSession({
    url: args.url,
    name: args.name,
    WebSocket: NodeWebSocket,
    ...(args.password !== undefined && { password: args.password }),
  });
  const output: JoinOutput = { print: (line) => writeLine(io.stdout, line) };
  // Subscribed before connecting: the welcome's history arrives as messages during connect().
  const stopPrinting = printRoom(session, output);
  const stopConnecting = () => void session.close();
  io.stop.addEventListener('abort', stopConnecting, { once: true });
  try {
    await session.connect();
  } catch (error) {
    stopPrinting();
    if (!(error instanceof SessionError)) throw error;
    if (error.code === 'closed') return ExitCode.ok;
    reportProblem(io, error.message);
    return exitCodeForSession(error.code);
  } finally {
    io.stop.removeEventListener('abort', stopConnecting);
  }

  try {
    return io.stdin.isTTY === true
      ? await runInteractive(session, io, output)
      : await runPiped(session, io);
  } finally {
    stopPrinting();
    await session.close();
  }
}

function parseJoinArgs(argv: string[], env: Record<string, string | undefined>): JoinArgs | 'help' {
  const { values, positionals } = parseCommandArgs(argv, JOIN_FLAGS, true);
  const flags = v.parse(joinArgsSchema, values);
  if (flags.help) return 'help';
  if (positionals.length === 0) {
    throw new UsageError(
      'join needs the address of the room, e.g. parley join 192.168.1.20:7420 --name NAME',
    );
  }
  if (positionals.length > 1) {
    throw new UsageError(
      `join takes one address, got ${positionals.length}: ${positionals.join(' ')}`,
    );
  }
  if (flags.name === undefined) throw new UsageError('join needs --name NAME: the name others see');
  let url: URL;
  try {
    url = parseJoinAddress(positionals[0]!);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  return { url: url.href, name: flags.name, password: flags.password ?? env.PARLEY_PASSWORD };
}
