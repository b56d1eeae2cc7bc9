/**
 * `parley join ADDRESS --name NAME`: joins a room as a terminal client, interactive at a terminal
 * and line-by-line from a pipe.
 */
import * as v from 'valibot';
import { resolveJoinTarget, type JoinTarget } from '../../protocol/client/address';
import type { ClientSessionOptions } from '../../protocol/client/client-types';
import { ClientSession, SessionError } from '../../protocol/client/client-session';
import { EXIT_CODE_HELP, ExitCode, exitCodeForSession } from './exit-codes';
import { reportProblem, writeLine, type CliIo } from './io';
import { runInteractive } from './join-interactive';
import { printRoom, type JoinOutput } from './join-output';
import { runPiped } from './join-piped';
import { trustHost, type TrustedConnection } from './join-trust';
import { CliProblem, UsageError, parseCommandArgs } from './usage-error';

const JOIN_FLAGS = {
  name: { type: 'string' },
  password: { type: 'string' },
  fingerprint: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const joinArgsSchema = v.object({
  name: v.optional(v.string()),
  password: v.optional(v.string()),
  fingerprint: v.optional(v.string()),
  help: v.optional(v.boolean()),
});

export const JOIN_HELP = `Usage: parley join ADDRESS --name NAME [--password PW] [--fingerprint FP]

Joins a Parley room. ADDRESS is what the host shows: its invite
(parley://192.168.1.20:7420/?fp=…), an address like 192.168.1.20:7420,
laptop.local (port 7420) or [fe80::1]:7420, or a wss:// or ws:// URL.

The connection is encrypted and pinned to the host's certificate: the one
named by the invite or --fingerprint, else the one seen on the first visit,
which Parley prints (compare it with the host's screen) and remembers in
$XDG_CONFIG_HOME/parley/known-rooms.json. If a known room presents another
certificate, Parley refuses to connect (exit code 6), and so does an address
where another room used to answer with another certificate; once the host
has read out their fingerprint and it matches, run \`parley forget ROOM_ID\`
(or join with their invite). Only an explicit ws:// address connects without
encryption: to this machine, or to a host started with --allow-cleartext,
and a password only to this machine.

At a terminal you get a prompt: type a line and press Enter to send it;
/who, /retry and /quit (or Ctrl+D) are commands.
With input from a pipe or file, every line is sent as one message and the
command exits once the host has confirmed them all (it reconnects and
re-sends if the host restarts meanwhile). Messages are printed to stdout.

Options:
  --name NAME       the name others see (required)
  --password PW     the room's password (or set PARLEY_PASSWORD)
  --fingerprint FP  the host's certificate fingerprint as the host shows it:
                    its 8 groups (C0DA 0626 …) or in full
  -h, --help        show this help

${EXIT_CODE_HELP}`;

const NEEDS_PASSWORD =
  'This room needs a password: join again with --password PW (or set PARLEY_PASSWORD).';

interface JoinArgs {
  target: JoinTarget;
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

  // Stops the session as Ctrl+C does, also when the host's identity changes meanwhile.
  const halt = new AbortController();
  const haltNow = () => halt.abort();
  if (io.stop.aborted) haltNow();
  else io.stop.addEventListener('abort', haltNow, { once: true });
  let identityWarning: string | undefined;
  let connection: TrustedConnection;
  try {
    connection = await trustHost(args.target, io, {
      withPassword: args.password !== undefined,
      onIdentityChanged: (warning) => {
        identityWarning = warning;
        haltNow();
      },
    });
  } catch (error) {
    io.stop.removeEventListener('abort', haltNow);
    if (!(error instanceof CliProblem)) throw error;
    reportProblem(io, error.message);
    return error.exitCode;
  }
  try {
    const code = await joinTrusted(args, connection, { ...io, stop: halt.signal }, createSession);
    if (identityWarning === undefined) return code;
    reportProblem(io, identityWarning);
    return ExitCode.identityChanged;
  } finally {
    io.stop.removeEventListener('abort', haltNow);
  }
}

/** Connects once the host is trusted, then chats until the input ends or `io.stop` aborts. */
async function joinTrusted(
  args: JoinArgs,
  connection: TrustedConnection,
  io: CliIo,
  createSession: SessionFactory,
): Promise<number> {
  const session = createSession({
    url: args.target.url,
    name: args.name,
    WebSocket: connection.WebSocket,
    ...(args.password !== undefined && { password: args.password }),
  });
  const output: JoinOutput = { print: (line) => writeLine(io.stdout, line) };
  // Subscribed before connecting: the welcome's history arrives as messages during connect().
  const stopPrinting = printRoom(session, output);
  const stopConnecting = () => void session.close();
  io.stop.addEventListener('abort', stopConnecting, { once: true });
  try {
    await connection.confirmed(await session.connect());
  } catch (error) {
    stopPrinting();
    if (!(error instanceof SessionError)) throw error;
    if (error.code === 'closed') return ExitCode.ok;
    const needsPassword = error.code === 'auth_failed' && args.password === undefined;
    reportProblem(io, needsPassword ? NEEDS_PASSWORD : error.message);
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
  let target: JoinTarget;
  try {
    target = resolveJoinTarget(positionals[0]!, flags.fingerprint);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  return { target, name: flags.name, password: flags.password ?? env.PARLEY_PASSWORD };
}
