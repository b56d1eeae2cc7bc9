/**
 * `parley`: the headless host and the terminal client. Takes argv, stdio, env and a stop signal
 * and returns the exit code, so tests can run it in-process and parley.ts only wires the process.
 */
import packageJson from '../../package.json';
import { EXIT_CODE_HELP, ExitCode } from './exit-codes';
import { runForget } from './forget-command';
import { runHost } from './host-command';
import { reportProblem, writeLine, type CliIo } from './io';
import { runJoin } from './join-command';
import { runGet } from './get-command';

/** The name `parley send` posts under without --name: this account's user name. */
function defaultSenderName(env: Record<string, string | undefined>): string {
  return (env.USER ?? env.LOGNAME ?? env.USERNAME ?? '').trim() || 'parley-send';
}

export const VERSION: string = packageJson.version;

const HELP = `Usage:
  parley host [options]                 host a room on this machine
  parley join ADDRESS --name NAME       join a room (interactive, or lines from a pipe)
  parley send ADDRESS PATH...           send files to a room (--conv #CHANNEL or --to NAME)
  parley get URL [-o PATH]              download a file of a room (resumes a partial one)
  parley forget ROOM_ID                 forget a room's remembered certificate fingerprint
  parley --version                      print the version
  parley COMMAND --help                 options of a command (every protocol limit for host)

Parley ${VERSION}: LAN chat without accounts or cloud.

${EXIT_CODE_HELP}`;

export async function runParley(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'host':
      return runHost(rest, io);
    case 'join':
      return runJoin(rest, io);
    case 'send':
      return runJoin(rest, io, undefined, { defaultName: defaultSenderName(io.env) });
    case 'get':
      return runGet(rest, io);
    case 'forget':
      return runForget(rest, io);
    case '--help':
    case '-h':
    case 'help':
      writeLine(io.stdout, HELP);
      return ExitCode.ok;
    case '--version':
    case '-v':
      writeLine(io.stdout, VERSION);
      return ExitCode.ok;
    case undefined:
      reportProblem(
        io,
        'missing command: use `parley host` or `parley join ADDRESS --name NAME` (see --help)',
      );
      return ExitCode.usage;
    default:
      reportProblem(
        io,
        `unknown command ${JSON.stringify(command)}: use host, join, send, get or forget (see --help)`,
      );
      return ExitCode.usage;
  }
}

/** Runs a command; anything unexpected becomes one line and exit code 1, never a stack trace. */
export async function runParleySafely(argv: string[], io: CliIo): Promise<number> {
  try {
    return await runParley(argv, io);
  } catch (error) {
    reportProblem(
      io,
      `unexpected error: ${error instanceof Error ? error.message : String(error)}`,
    );
    if (io.env.PARLEY_DEBUG)
      writeLine(io.stderr, String(error instanceof Error ? error.stack : error));
    return ExitCode.failure;
  }
}
