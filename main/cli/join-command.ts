/**
 * `parley join ADDRESS --name NAME`: joins a room as a terminal client, interactive at a terminal
 * and line-by-line from a pipe, as the person this terminal's identity file makes it.
 */
import * as v from 'valibot';
import { httpOriginOf, resolveJoinTarget, type JoinTarget } from '../../protocol/client/address';
import type { ClientSessionOptions } from '../../protocol/client/client-types';
import { ClientSession, RequestError, SessionError } from '../../protocol/client/client-session';
import { identityForRoom } from '../../protocol/client/identity-key';
import { fetchRoomInfo } from '../../protocol/client/room-info';
import { GENERAL } from '../../protocol/wire/identity';
import { EXIT_CODE_HELP, ExitCode, exitCodeForSession } from './exit-codes';
import { identityFile, loadIdentity } from './identity-file';
import { reportProblem, writeLine, type CliIo } from './io';
import { runInteractive } from './join-interactive';
import { printRoom, type JoinOutput, type JoinView } from './join-output';
import { runPiped } from './join-piped';
import { channel, directWith, TargetProblem } from './join-targets';
import { trustHost, type TrustedConnection } from './join-trust';
import { noteLine } from './chat-lines';
import { uploadsFile } from './config-dir';
import { FileSender } from './file-sender';
import { describeFailed } from './join-output';
import { uploadFileAt } from '../transfers/node-upload-files';
import { CliProblem, UsageError, parseCommandArgs } from './usage-error';

const JOIN_FLAGS = {
  name: { type: 'string' },
  password: { type: 'string' },
  fingerprint: { type: 'string' },
  conv: { type: 'string' },
  to: { type: 'string' },
  'new-identity': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const joinArgsSchema = v.object({
  name: v.optional(v.string()),
  password: v.optional(v.string()),
  fingerprint: v.optional(v.string()),
  conv: v.optional(v.string()),
  to: v.optional(v.string()),
  'new-identity': v.optional(v.boolean()),
  help: v.optional(v.boolean()),
});

export const JOIN_HELP = `Usage: parley join ADDRESS --name NAME [--password PW] [--fingerprint FP]
                   [--conv #CHANNEL | --to NAME] [--new-identity]
       parley join --new-identity

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

You are the same person in a room every time you join from this account,
whatever name you use: the secret that makes you so is kept in
$XDG_CONFIG_HOME/parley/identity. --new-identity replaces it, so you are a
new person everywhere from then on (alone, it only does that).

At a terminal you get a prompt named after the conversation you are in
(#general at first): type a line and press Enter to send it there. Messages
print as [HH:MM] name: text (#SEQ), those of other conversations as
[HH:MM] #channel name: text (#SEQ) (or @name for a direct conversation);
Markdown shows as plain text, and each file on a line of its own with the
address \`parley get\` downloads. Commands:
  /channels           the conversations, with unread counts
  /open #CHANNEL      switch to a channel (/open @NAME: to a direct one)
  /join #CHANNEL      join a channel (made if there is none) and switch to it
  /leave [#CHANNEL]   leave a channel (the current one without a name)
  /msg NAME TEXT      send TEXT to NAME directly (without TEXT: switch there)
  /reply SEQ TEXT     answer message SEQ of this conversation
  /edit SEQ TEXT      replace the text of your message SEQ
  /delete SEQ         delete your message SEQ for everyone
  /react SEQ EMOJI    react to message SEQ (/unreact SEQ EMOJI takes it back)
  /search WORDS       find messages (each word a prefix; "a phrase" in quotes)
  /send PATH          send a file to this conversation
  /who                who is here
  /retry              send failed messages again
  /quit               leave (or Ctrl+D)
Start a message with // to begin it with /.

With input from a pipe or file, every line is sent as one message (to
general, or to --conv #CHANNEL, joined if need be, or to --to NAME directly)
and the command exits once the host has confirmed them all (it reconnects
and re-sends if the host restarts meanwhile). Messages are printed to stdout.

Options:
  --name NAME       the name others see (required)
  --password PW     the room's password (or set PARLEY_PASSWORD)
  --fingerprint FP  the host's certificate fingerprint as the host shows it:
                    its 8 groups (C0DA 0626 …) or in full
  --conv #CHANNEL   the conversation to start in (or to send piped lines to)
  --to NAME         the same, the direct conversation with NAME
  --new-identity    replace this account's identity with a new one first
  -h, --help        show this help

${EXIT_CODE_HELP}`;

export const SEND_HELP = `Usage: parley send ADDRESS PATH... [--conv #CHANNEL | --to NAME] [--name NAME]
                   [--password PW] [--fingerprint FP]

Sends files to a Parley room as one message (to general, to --conv #CHANNEL,
joined if need be, or to --to NAME directly), then leaves. ADDRESS and the
trust in the host are as for \`parley join\`. Each file goes up resumably: an
interrupted send continues where it stopped when run again with the same file.
Exits 0 once the host has confirmed the message with every file.

Options:
  --name NAME       the name others see (default: this account's user name)
  --password PW     the room's password (or set PARLEY_PASSWORD)
  --fingerprint FP  the host's certificate fingerprint as the host shows it
  --conv #CHANNEL   the channel to post to
  --to NAME         post to NAME directly
  -h, --help        show this help

${EXIT_CODE_HELP}`;

const NEEDS_PASSWORD =
  'This room needs a password: join again with --password PW (or set PARLEY_PASSWORD).';

type Destination = { channel: string } | { person: string } | undefined;

interface JoinArgs {
  target: JoinTarget | undefined;
  name: string;
  password: string | undefined;
  newIdentity: boolean;
  destination: Destination;
  /** `parley send`: the files to post, then leave. */
  files?: string[];
}

/** What differs for `parley send ADDRESS PATH...`: files after the address, a default name. */
export interface SendMode {
  defaultName: string;
}

/** Lets tests swap the session (e.g. shorter heartbeats); the CLI uses the defaults. */
export type SessionFactory = (options: ClientSessionOptions) => ClientSession;
const defaultFactory: SessionFactory = (options) => new ClientSession(options);

export async function runJoin(
  argv: string[],
  io: CliIo,
  createSession: SessionFactory = defaultFactory,
  send?: SendMode,
): Promise<number> {
  let args: JoinArgs | 'help';
  let secret: Uint8Array | undefined;
  try {
    args = parseJoinArgs(argv, io.env, send);
    if (args === 'help') {
      writeLine(io.stdout, send ? SEND_HELP : JOIN_HELP);
      return ExitCode.ok;
    }
    // A path that is no file is a typing mistake: said before anything goes on the network.
    for (const path of args.files ?? []) await checkedFile(path);
    secret = await deviceSecret(io, args.newIdentity);
  } catch (error) {
    if (!(error instanceof CliProblem)) throw error;
    reportProblem(io, error.message);
    return error.exitCode;
  }
  const target = args.target;
  if (!target) return ExitCode.ok;

  // Stops the session as Ctrl+C does, also when the host's identity changes meanwhile.
  const halt = new AbortController();
  const haltNow = () => halt.abort();
  if (io.stop.aborted) haltNow();
  else io.stop.addEventListener('abort', haltNow, { once: true });
  let identityWarning: string | undefined;
  let connection: TrustedConnection;
  let identity: string | undefined;
  try {
    connection = await trustHost(target, io, {
      withPassword: args.password !== undefined,
      onIdentityChanged: (warning) => {
        identityWarning = warning;
        haltNow();
      },
    });
    identity = await roomIdentity(secret, target, connection);
  } catch (error) {
    io.stop.removeEventListener('abort', haltNow);
    if (!(error instanceof CliProblem)) throw error;
    reportProblem(io, error.message);
    return error.exitCode;
  }
  try {
    const trusted = { ...args, target };
    const joined = { ...io, stop: halt.signal };
    const code = await joinTrusted(trusted, connection, identity, joined, createSession);
    if (identityWarning === undefined) return code;
    reportProblem(io, identityWarning);
    return ExitCode.identityChanged;
  } finally {
    io.stop.removeEventListener('abort', haltNow);
  }
}

/** Connects once the host is trusted, then chats until the input ends or `io.stop` aborts. */
async function joinTrusted(
  args: JoinArgs & { target: JoinTarget },
  connection: TrustedConnection,
  identity: string | undefined,
  io: CliIo,
  createSession: SessionFactory,
): Promise<number> {
  const { target, name, password, destination } = args;
  const session = createSession({
    url: target.url,
    name,
    WebSocket: connection.WebSocket,
    ...(password !== undefined && { password }),
    ...(identity !== undefined && { identity }),
  });
  const interactive = io.stdin.isTTY === true && args.files === undefined;
  const output: JoinOutput = { print: (line) => writeLine(io.stdout, line) };
  const origin = httpOriginOf(target.url);
  const view: JoinView = { current: GENERAL, origin };
  // Subscribed before connecting: the catchup arrives as entries right after connect().
  const stopPrinting =
    args.files === undefined
      ? printRoom(session, output, view, { markRead: interactive })
      : () => undefined;
  const stopConnecting = () => void session.close();
  io.stop.addEventListener('abort', stopConnecting, { once: true });
  try {
    await connection.confirmed(await session.connect());
    if (destination) view.current = (await destinationOf(session, destination)).id;
  } catch (error) {
    stopPrinting();
    await session.close();
    if (error instanceof TargetProblem) {
      reportProblem(io, error.message);
      return ExitCode.usage;
    }
    if (error instanceof RequestError) {
      reportProblem(io, error.message);
      return ExitCode.failure;
    }
    if (!(error instanceof SessionError)) throw error;
    if (error.code === 'closed') return ExitCode.ok;
    const needsPassword = error.code === 'auth_failed' && password === undefined;
    reportProblem(io, needsPassword ? NEEDS_PASSWORD : error.message);
    return exitCodeForSession(error.code);
  } finally {
    io.stop.removeEventListener('abort', stopConnecting);
  }

  if (args.files !== undefined) {
    try {
      return await sendFiles(session, args.files, view.current, origin, connection, io);
    } finally {
      await session.close();
    }
  }
  const files = interactive
    ? new FileSender({
        session,
        origin,
        ...(connection.tls && { tls: connection.tls }),
        urlStorageFile: uploadsFile(io.env),
        note: (text) => output.print(noteLine(text)),
      })
    : undefined;
  try {
    return interactive
      ? await runInteractive(session, io, output, view, files)
      : await runPiped(session, io, view.current);
  } finally {
    files?.close();
    stopPrinting();
    await session.close();
  }
}

/** Posts `paths` to `conv` as one message; 0 once the host confirmed it, 1 if anything failed. */
async function sendFiles(
  session: ClientSession,
  paths: string[],
  conv: string,
  origin: string,
  connection: TrustedConnection,
  io: CliIo,
): Promise<number> {
  const sender = new FileSender({
    session,
    origin,
    ...(connection.tls && { tls: connection.tls }),
    urlStorageFile: uploadsFile(io.env),
    note: (text) => writeLine(io.stderr, text),
  });
  const stopping = () => sender.close();
  io.stop.addEventListener('abort', stopping, { once: true });
  try {
    const outcome = await sender.send(conv, paths);
    if (outcome.message === undefined) return ExitCode.failure;
    await session.whenSettled();
    const failed = session.outbox.filter((message) => message.state === 'failed');
    for (const message of failed) reportProblem(io, describeFailed(message));
    return outcome.failed.length > 0 || failed.length > 0 ? ExitCode.failure : ExitCode.ok;
  } catch (error) {
    if (!(error instanceof SessionError)) throw error;
    reportProblem(io, error.message);
    return exitCodeForSession(error.code) || ExitCode.failure;
  } finally {
    io.stop.removeEventListener('abort', stopping);
    sender.close();
  }
}

async function checkedFile(path: string): Promise<void> {
  try {
    await uploadFileAt(path);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function parseJoinArgs(
  argv: string[],
  env: Record<string, string | undefined>,
  send?: SendMode,
): JoinArgs | 'help' {
  const { values, positionals } = parseCommandArgs(argv, JOIN_FLAGS, true);
  const flags = v.parse(joinArgsSchema, values);
  if (flags.help) return 'help';
  if (send) {
    if (positionals.length < 2) {
      throw new UsageError(
        'send needs an address and at least one file: parley send ADDRESS PATH...',
      );
    }
    if (flags.conv !== undefined && flags.to !== undefined) {
      throw new UsageError('use --conv #CHANNEL or --to NAME, not both');
    }
    return {
      target: joinTargetOf(positionals[0]!, flags.fingerprint),
      name: flags.name ?? send.defaultName,
      password: flags.password ?? env.PARLEY_PASSWORD,
      newIdentity: false,
      destination: destinationFlag(flags.conv, flags.to),
      files: positionals.slice(1),
    };
  }
  const newIdentity = flags['new-identity'] === true;
  if (positionals.length === 0 && newIdentity && flags.name === undefined) {
    return {
      target: undefined,
      name: '',
      password: undefined,
      newIdentity,
      destination: undefined,
    };
  }
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
  if (flags.conv !== undefined && flags.to !== undefined) {
    throw new UsageError('use --conv #CHANNEL or --to NAME, not both');
  }
  const destination = destinationFlag(flags.conv, flags.to);
  return {
    target: joinTargetOf(positionals[0]!, flags.fingerprint),
    name: flags.name,
    password: flags.password ?? env.PARLEY_PASSWORD,
    newIdentity,
    destination,
  };
}

function joinTargetOf(address: string, fingerprint: string | undefined): JoinTarget {
  try {
    return resolveJoinTarget(address, fingerprint);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function destinationFlag(conv: string | undefined, to: string | undefined): Destination {
  if (conv !== undefined) {
    const name = conv.replace(/^#/, '').trim();
    if (!name) throw new UsageError('--conv needs a channel name, e.g. --conv #general');
    return { channel: name };
  }
  if (to !== undefined) {
    const person = to.replace(/^@/, '').trim();
    if (!person) throw new UsageError('--to needs the name of someone in the room');
    return { person };
  }
  return undefined;
}

/** The conversation --conv or --to names; a channel is joined if need be. */
function destinationOf(session: ClientSession, destination: NonNullable<Destination>) {
  return 'channel' in destination
    ? channel(session, destination.channel)
    : directWith(session, destination.person);
}

/** This account's device secret; a new one when asked (said on stderr). */
async function deviceSecret(io: CliIo, fresh: boolean): Promise<Uint8Array | undefined> {
  const file = identityFile(io.env);
  try {
    const { secret, made } = await loadIdentity(file, fresh);
    if (fresh && made) {
      writeLine(
        io.stderr,
        `Made a new identity (${file}): you are a new person in every room now.`,
      );
    }
    return secret;
  } catch (error) {
    if (fresh) throw new CliProblem(`could not make a new identity in ${file}: ${describe(error)}`);
    // Joining still works, as a passing (ephemeral) guest: no direct messages.
    writeLine(io.stderr, `Note: could not keep an identity in ${file}; joining without one.`);
    return undefined;
  }
}

/**
 * What this terminal sends as its identity to the room: a key for the room's id (proved by a TLS
 * host, asked of a ws:// one) and certificate; none when the room will not say its id.
 */
async function roomIdentity(
  secret: Uint8Array | undefined,
  target: JoinTarget,
  connection: TrustedConnection,
): Promise<string | undefined> {
  if (!secret) return undefined;
  if (connection.room) {
    return identityForRoom(secret, connection.room.id, connection.room.fingerprint256);
  }
  try {
    const room = await fetchRoomInfo(target.url);
    return identityForRoom(secret, room.id, undefined);
  } catch {
    // Nobody there (connect() says so) or no Parley host: nothing to be anyone to.
    return undefined;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
