/**
 * Argument parsing shared by the commands: `node:util` parseArgs in strict mode, with its
 * developer-worded errors turned into one plain line for the person at the terminal.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import * as v from 'valibot';
import { ExitCode } from './exit-codes';

/** A problem the person has to fix (a flag, a port, a file): one line on stderr and an exit code. */
export class CliProblem extends Error {
  override readonly name: string = 'CliProblem';
  readonly exitCode: number;

  constructor(message: string, exitCode: number = ExitCode.usage) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** Bad command-line arguments: exit code 2. */
export class UsageError extends CliProblem {
  override readonly name = 'UsageError';
}

const nodeErrorSchema = v.object({ code: v.string(), message: v.string() });

export function parseCommandArgs<T extends ParseArgsConfig['options']>(
  args: string[],
  options: T,
  allowPositionals: boolean,
) {
  try {
    return parseArgs({
      args: withNegativeValues(args, options),
      options,
      strict: true,
      allowPositionals,
    });
  } catch (error) {
    const parsed = v.safeParse(nodeErrorSchema, error);
    if (!parsed.success || !parsed.output.code.startsWith('ERR_PARSE_ARGS')) throw error;
    throw new UsageError(plainParseError(parsed.output.code, parsed.output.message));
  }
}

const NEGATIVE_NUMBER = /^-\d/;

/**
 * `--port -1` as `--port=-1`: parseArgs takes a value that starts with a dash for a flag and
 * calls it "ambiguous", where the person only gave a number out of range. No flag starts with a
 * digit, so the value's own check can then say what the flag takes.
 */
function withNegativeValues(args: string[], options: ParseArgsConfig['options']): string[] {
  const joined: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    const next = args[index + 1];
    if (arg === '--') return [...joined, ...args.slice(index)];
    const option = arg.startsWith('--') ? options?.[arg.slice(2)] : undefined;
    if (option?.type === 'string' && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      joined.push(`${arg}=${next}`);
      index++;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

function plainParseError(code: string, message: string): string {
  // Node's messages name the flag first; keep that part and drop its advice to developers.
  const firstLine = message.split('\n')[0] ?? message;
  const firstSentence = (firstLine.split('. ')[0] ?? firstLine).replace(/\.$/, '');
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `${firstSentence.replace(/^Unknown option/, 'unknown option')} (see --help)`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `${firstSentence.replace(/^Unexpected argument/, 'unexpected argument')} (see --help)`;
    default:
      return `${firstSentence.charAt(0).toLowerCase()}${firstSentence.slice(1)} (see --help)`;
  }
}
