/**
 * `parley host`: runs a room until the process is asked to stop, printing where to join, the
 * fingerprint to compare, and who comes and goes; advertises it on the local network meanwhile.
 */
import { join } from 'node:path';
import * as v from 'valibot';
import type { AdvertiseRoom } from '../discovery/host-advert';
import { startHost } from '../host/server';
import type { ParleyHost } from '../host/types';
import { presenceLine } from './chat-lines';
import { defaultDataDir } from './data-dir';
import { prepareDataFolder, type DataFolder } from './data-folder';
import { ExitCode } from './exit-codes';
import { bannerLines } from './host-banner';
import { DISCOVERY_DEFAULTS, startHostDiscovery } from './host-discovery';
import { parseHostArgs, type HostArgs } from './host-flags';
import { hostHelp } from './host-help';
import { identityNote, loadHostIdentity, type HostIdentity } from './host-identity';
import { mkdir } from 'node:fs/promises';
import { hostOptionDefault } from '../host/host-options';
import { openHistory, sharedHistory, type OpenedHistory } from './host-store';
import { reportProblem, whenAborted, writeLine, type CliIo } from './io';
import { CliProblem } from './usage-error';

export const CLEARTEXT_WARNING =
  'warning: --allow-cleartext: other machines may join without encryption (ws://, http://); anyone on the network can read their messages. Passwords are still accepted only over encrypted connections.';

const listenErrorSchema = v.object({ code: v.string() });

/** What tests replace; the process uses the defaults. */
export interface HostCommandOptions {
  /** Starts the room's DNS-SD advert (default: multicast DNS on the local network). */
  advertise?: AdvertiseRoom;
}

export async function runHost(
  argv: string[],
  io: CliIo,
  options: HostCommandOptions = {},
): Promise<number> {
  const { advertise } = { ...DISCOVERY_DEFAULTS, ...options };
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

  let folder: DataFolder;
  try {
    folder = await prepareDataFolder(args.data ?? defaultDataDir(io.env));
  } catch (error) {
    if (!(error instanceof CliProblem)) throw error;
    reportProblem(io, error.message);
    return error.exitCode;
  }
  let history: OpenedHistory | undefined;
  const shared = args.redis === undefined ? undefined : sharedHistory(args, io.env);
  try {
    if (args.files !== undefined) await prepareFilesDir(args.files);
    if (!shared) history = await openHistory(args, io.env);
  } catch (error) {
    await folder.discardIfNew();
    if (!(error instanceof CliProblem)) throw error;
    reportProblem(io, error.message);
    return error.exitCode;
  }
  let identity: HostIdentity;
  try {
    identity = await loadHostIdentity(args, io.env);
  } catch (error) {
    await history?.store.close().catch(() => undefined);
    await folder.discardIfNew();
    if (!(error instanceof CliProblem)) throw error;
    reportProblem(io, error.message);
    return error.exitCode;
  }

  let host: ParleyHost;
  try {
    host = await startHost({
      port: args.port,
      host: args.bind,
      roomName: history?.store.room.name ?? args.room ?? hostOptionDefault('roomName'),
      password: args.password,
      store: history?.store,
      redis: args.redis,
      roomId: args.roomId,
      openReplica: shared?.openReplica,
      limits: args.limits,
      allowPlain: args.allowPlain,
      tls: { cert: identity.certificate.cert, key: identity.certificate.key },
      allowCleartext: args.allowCleartext,
      guestPage: args.guestPage,
      maxConnectionsPerAddress: args.maxConnectionsPerAddress,
      maxChannels: args.maxChannels,
      sessionRetentionDays: args.sessionRetentionDays,
      // Files live beside the history they are posted in; a memory room's go with the host.
      filesDir: args.files ?? (args.memory ? undefined : join(folder.dir, 'files')),
      maxFileSize: args.maxFileSize,
      maxRoomFiles: args.maxRoomFiles,
      maxUploads: args.maxUploads,
    });
  } catch (error) {
    await history?.store.close().catch(() => undefined);
    await folder.discardIfNew();
    const failure = describeListenFailure(error, args);
    reportProblem(io, failure.problem);
    return failure.exitCode;
  }

  if (args.allowCleartext) reportProblem(io, CLEARTEXT_WARNING);
  if (host.shared) {
    writeLine(io.stdout, host.shared.persistence.line);
    if (host.shared.persistence.warning) reportProblem(io, host.shared.persistence.warning);
  }
  const discovery = await startHostDiscovery({ host, args, io, advertise });
  const banner = bannerLines({
    host,
    args,
    historyLine: history?.description ?? shared?.description ?? '',
    identityLine: identityNote(identity),
    discoveryLine: discovery.line,
  });
  for (const line of banner) writeLine(io.stdout, line);
  host.on('joined', (peer) => writeLine(io.stdout, presenceLine(peer.name, 'joined')));
  host.on('left', (peer) => writeLine(io.stdout, presenceLine(peer.name, 'left')));

  await whenAborted(io.stop);
  writeLine(io.stdout, 'Stopping the room…');
  // Goodbye first, so no list offers the room while it is closing.
  await discovery.stop();
  await host.close();
  // A shared host closes its own replica.
  await history?.store.close();
  return ExitCode.ok;
}

/** --files: created if missing (mode 0700); a folder the host cannot create is a clear error. */
async function prepareFilesDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new CliProblem(`cannot use --files ${dir}: ${detail}`);
  }
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
