/**
 * `parley host`: runs a room until the process is asked to stop, printing where to join and
 * who comes and goes.
 */
import { isIP } from 'node:net';
import * as v from 'valibot';
import type { RoomAddress } from '../../protocol/bridge';
import { joinAddresses } from '../host/addresses';
import { startHost } from '../host/server';
import type { ParleyHost } from '../host/types';
import { presenceLine } from './chat-lines';
import { defaultDataDir } from './data-dir';
import { ExitCode } from './exit-codes';
import { hostHelp, parseHostArgs, type HostArgs } from './host-flags';
import { openHistory } from './host-store';
import { reportProblem, whenAborted, writeLine, type CliIo } from './io';
import { CliProblem } from './usage-error';

const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::', '']);
const listenErrorSchema = v.object({ code: v.string() });

export async function runHost(argv: string[], io: CliIo): Promise<number> {
  let args: HostArgs;
  try {
    args = parseHostArgs(argv, io.env);
  } catch (error) {
    if (!(error instanceof CliProblem)) throw error;
    reportProblem(io, error.message);
    return error.exitCode;
  }
  if (args.help) {
    writeLine(io.stdout, hostHelp(defaultDataDir(io.env)));
    return ExitCode.ok;
  }

  let history;
  try {
    history = await openHistory(args, io.env);
  } catch (error) {
    if (!(error instanceof CliProblem)) throw error;
    reportProblem(io, error.message);
    return error.exitCode;
  }

  let host: ParleyHost;
  try {
    host = await startHost({
      port: args.port,
      host: args.bind,
      roomName: history.store.room.name,
      password: args.password,
      store: history.store,
      limits: args.limits,
      allowPlain: args.allowPlain,
    });
  } catch (error) {
    await history.store.close().catch(() => undefined);
    const failure = describeListenFailure(error, args);
    reportProblem(io, failure.problem);
    return failure.exitCode;
  }

  printBanner(io, host, args, history.description);
  host.on('joined', (peer) => writeLine(io.stdout, presenceLine(peer.name, 'joined')));
  host.on('left', (peer) => writeLine(io.stdout, presenceLine(peer.name, 'left')));

  await whenAborted(io.stop);
  writeLine(io.stdout, 'Stopping the room…');
  await host.close();
  await history.store.close();
  return ExitCode.ok;
}

function printBanner(io: CliIo, host: ParleyHost, args: HostArgs, historyLine: string): void {
  const addresses = addressesFor(args.bind, host.port);
  const width = Math.max(...addresses.map(({ address }) => address.length)) + 2;
  const lines = [
    `Room "${host.room.name}" is open on port ${host.port}.`,
    historyLine,
    args.password
      ? 'People need the password to join.'
      : 'Anyone who can reach this machine can join.',
    'Join with `parley join ADDRESS --name NAME`, the Parley app, or a browser at http://ADDRESS/:',
    ...addresses.map(
      ({ address, interfaceName }) => `  ${address.padEnd(width)}(${interfaceName})`,
    ),
    'Press Ctrl+C to stop the room.',
  ];
  for (const line of lines) writeLine(io.stdout, line);
}

/** Every address of this machine when listening on all of them, else just the bound one. */
function addressesFor(bind: string, port: number): RoomAddress[] {
  const all = joinAddresses(port);
  if (WILDCARD_ADDRESSES.has(bind)) return all;
  const address = isIP(bind) === 6 ? `[${bind}]:${port}` : `${bind}:${port}`;
  const known = all.find((candidate) => candidate.address === address);
  return [known ?? { address, interfaceName: 'bound address' }];
}

function describeListenFailure(
  error: unknown,
  args: HostArgs,
): { problem: string; exitCode: number } {
  const coded = v.safeParse(listenErrorSchema, error);
  const usage = (problem: string) => ({ problem, exitCode: ExitCode.usage });
  switch (coded.success ? coded.output.code : undefined) {
    case 'EADDRINUSE':
      return usage(
        `port ${args.port} is already in use; pick another with --port (--port 0 picks a free one)`,
      );
    case 'EACCES':
      return usage(`port ${args.port} needs administrator rights; pick a port above 1023`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return usage(`cannot listen on ${args.bind}: this machine has no such address`);
    default: {
      const detail = error instanceof Error ? error.message : String(error);
      return { problem: `could not start the room: ${detail}`, exitCode: ExitCode.failure };
    }
  }
}
