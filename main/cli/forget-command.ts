/**
 * `parley forget ROOM_ID`: drops the fingerprint remembered for a room, so the next join trusts the
 * room's current certificate as on a first visit. The way out of an "identity has changed" refusal,
 * once the host has read out their fingerprint and it matched.
 */
import * as v from 'valibot';
import { KnownRoomsError, openKnownRooms, roomIdSchema } from '../tls/known-rooms';
import { knownRoomsFile } from './config-dir';
import { ExitCode } from './exit-codes';
import { reportProblem, writeLine, type CliIo } from './io';
import { CliProblem, UsageError, parseCommandArgs } from './usage-error';

export const FORGET_HELP = `Usage: parley forget ROOM_ID

Forgets the certificate fingerprint Parley remembered for the room ROOM_ID
(shown in the warning that refused to connect), so the next \`parley join\`
treats the room as new, shows its fingerprint and remembers it again.
Do this only after the host has read out their fingerprint and it matched
the presented one.`;

const FORGET_FLAGS = { help: { type: 'boolean', short: 'h' } } as const;

export async function runForget(argv: string[], io: CliIo): Promise<number> {
  let roomId: string | 'help';
  try {
    roomId = parseForgetArgs(argv);
  } catch (error) {
    if (!(error instanceof CliProblem)) throw error;
    reportProblem(io, error.message);
    return error.exitCode;
  }
  if (roomId === 'help') {
    writeLine(io.stdout, FORGET_HELP);
    return ExitCode.ok;
  }
  const knownRooms = openKnownRooms(knownRoomsFile(io.env));
  try {
    const forgotten = await knownRooms.forget(roomId);
    writeLine(
      io.stdout,
      forgotten
        ? `Forgot room ${roomId}: the next join will show its fingerprint and remember it again.`
        : `Parley did not know room ${roomId}: nothing to forget.`,
    );
    return ExitCode.ok;
  } catch (error) {
    if (!(error instanceof KnownRoomsError)) throw error;
    reportProblem(io, error.message);
    return ExitCode.failure;
  }
}

function parseForgetArgs(argv: string[]): string | 'help' {
  const { values, positionals } = parseCommandArgs(argv, FORGET_FLAGS, true);
  if (values.help) return 'help';
  if (positionals.length !== 1) {
    throw new UsageError(
      'forget takes one room id, as shown in the warning: parley forget ROOM_ID',
    );
  }
  const checked = v.safeParse(roomIdSchema, positionals[0]);
  if (!checked.success) throw new UsageError(`not a room id: ${checked.issues[0].message}`);
  return checked.output;
}
