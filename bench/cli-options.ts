/** The command line of `npm run bench -- [options]`, parsed and validated. */
import { parseArgs } from 'node:util';
import * as v from 'valibot';
import type { BenchMode } from './plan';
import { TARGET_NAMES, type TargetName } from './targets';

export const USAGE = `usage: npm run bench -- [options]
  --quick             a ~1-2 minute version (smaller counts, shorter windows)
  --smoke             the smallest run (C=20, about a second per target); used by the tests
  --targets a,b       only these targets (${TARGET_NAMES.join(', ')})
  --write-docs        also write the table, command and machine into docs/benchmarks.md
  --json FILE         also write every number as JSON
  --cpu-prof DIR      run servers and generator with node --cpu-prof, profiles into DIR
  --skip-cases        leave out the joins and durable-ack cases (only the targets run)
  --help              this text`;

export interface BenchOptions {
  mode: BenchMode;
  targets: TargetName[];
  writeDocs: boolean;
  jsonPath?: string;
  cpuProfileDir?: string;
  /** Leave out the cases beside the targets (joins, durable acks). */
  skipCases: boolean;
  help: boolean;
}

const targetList = v.pipe(
  v.string(),
  v.transform((list) =>
    list
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name.length > 0),
  ),
  v.array(v.picklist(TARGET_NAMES, `unknown target; pick from ${TARGET_NAMES.join(', ')}`)),
  v.minLength(1, 'name at least one target'),
);

const parsedSchema = v.pipe(
  v.object({
    quick: v.optional(v.boolean(), false),
    smoke: v.optional(v.boolean(), false),
    targets: v.optional(targetList),
    'write-docs': v.optional(v.boolean(), false),
    json: v.optional(v.pipe(v.string(), v.nonEmpty('--json needs a file name'))),
    'cpu-prof': v.optional(v.pipe(v.string(), v.nonEmpty('--cpu-prof needs a directory'))),
    'skip-cases': v.optional(v.boolean(), false),
    help: v.optional(v.boolean(), false),
  }),
  v.check((options) => !(options.quick && options.smoke), 'pick one of --quick and --smoke'),
);

export class UsageError extends Error {
  readonly code = 'bad_usage';
}

const countSchema = v.pipe(v.string(), v.transform(Number), v.safeInteger(), v.minValue(1));

/** A flag of the bench commands that takes a count (`--clients N`), or undefined when not given. */
export function countFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = v.safeParse(countSchema, value);
  if (!parsed.success) throw new UsageError(`${flag} needs a whole number above 0, not ${value}`);
  return parsed.output;
}

export function parseBenchOptions(argv: string[]): BenchOptions {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        quick: { type: 'boolean' },
        smoke: { type: 'boolean' },
        targets: { type: 'string' },
        'write-docs': { type: 'boolean' },
        json: { type: 'string' },
        'cpu-prof': { type: 'string' },
        'skip-cases': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const parsed = v.safeParse(parsedSchema, values);
  if (!parsed.success) throw new UsageError(v.summarize(parsed.issues));
  const options = parsed.output;
  return {
    mode: options.smoke ? 'smoke' : options.quick ? 'quick' : 'full',
    targets: options.targets ?? [...TARGET_NAMES],
    writeDocs: options['write-docs'],
    ...(options.json !== undefined && { jsonPath: options.json }),
    ...(options['cpu-prof'] !== undefined && { cpuProfileDir: options['cpu-prof'] }),
    skipCases: options['skip-cases'],
    help: options.help,
  };
}
