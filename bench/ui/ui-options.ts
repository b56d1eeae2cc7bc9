/**
 * The UI benchmark's command line: `--messages`, `--rate`, `--seconds` (or `--tiny` for the smoke
 * test), `--json FILE`, `--write-docs` (into `--docs FILE`, docs/benchmarks.md by default).
 * Validated with valibot; the bounds keep every run well under two minutes.
 */
import { parseArgs } from 'node:util';
import * as v from 'valibot';
import { UI_MODES } from './ui-results';
import type { UiMode } from './ui-results';

export interface UiBenchPlan {
  /** History messages loaded before the stream. */
  messages: number;
  /** Live messages per second during the stream. */
  rate: number;
  seconds: number;
}

export const FULL_PLAN: UiBenchPlan = { messages: 10_000, rate: 500, seconds: 5 };
export const TINY_PLAN: UiBenchPlan = { messages: 500, rate: 500, seconds: 1 };

export interface UiBenchOptions {
  plan: UiBenchPlan;
  /** The modes to run, in UI_MODES order. */
  modes: UiMode[];
  tiny: boolean;
  json: string | undefined;
  writeDocs: boolean;
  docs: string;
  help: boolean;
}

export const USAGE = `Usage: node dist/bench/ui-bench.js [options]

Measures the message list in headless Chromium: loading history, then a live stream on top,
with room events batched per frame (as shipped) and unbatched (one fold and render per event).

  --messages N     history messages loaded first (default ${FULL_PLAN.messages}, 1-50000)
  --rate N         live messages per second (default ${FULL_PLAN.rate}, 1-5000)
  --seconds N      length of the stream (default ${FULL_PLAN.seconds}, 0.2-10)
  --modes LIST     which of ${UI_MODES.join(',')} to run (default: all)
  --tiny           ${TINY_PLAN.messages} messages and a ${TINY_PLAN.seconds} s stream: seconds, for the smoke test
  --json FILE      also write every number as JSON (bench/ui/ui-results.ts)
  --write-docs     replace the "UI under load" section of the docs page
  --docs FILE      the docs page (default docs/benchmarks.md)
  --help           this text`;

const numberText = (min: number, max: number, integer: boolean) =>
  v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.regex(integer ? /^\d+$/ : /^\d+(\.\d+)?$/, 'must be a number'),
      v.transform(Number),
      v.number(),
      v.minValue(min),
      v.maxValue(max),
    ),
  );

const argsSchema = v.object({
  messages: numberText(1, 50_000, true),
  rate: numberText(1, 5000, true),
  seconds: numberText(0.2, 10, false),
  modes: v.optional(
    v.pipe(
      v.string(),
      v.transform((list) => list.split(',').map((mode) => mode.trim())),
      v.array(v.picklist(UI_MODES, `must be some of ${UI_MODES.join(',')}`)),
      v.minLength(1),
    ),
  ),
  tiny: v.optional(v.boolean(), false),
  json: v.optional(v.pipe(v.string(), v.minLength(1))),
  'write-docs': v.optional(v.boolean(), false),
  docs: v.optional(v.pipe(v.string(), v.minLength(1)), 'docs/benchmarks.md'),
  help: v.optional(v.boolean(), false),
});

export class UiBenchUsageError extends Error {
  readonly code = 'bad_arguments';
}

export function parseUiBenchArgs(argv: string[]): UiBenchOptions {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      options: {
        messages: { type: 'string' },
        rate: { type: 'string' },
        seconds: { type: 'string' },
        modes: { type: 'string' },
        tiny: { type: 'boolean' },
        json: { type: 'string' },
        'write-docs': { type: 'boolean' },
        docs: { type: 'string' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    throw new UiBenchUsageError(error instanceof Error ? error.message : String(error));
  }
  const parsed = v.safeParse(argsSchema, values);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const key = issue.path?.map((item) => String(item.key)).join('.') ?? 'arguments';
    throw new UiBenchUsageError(`--${key}: ${issue.message}`);
  }
  const args = parsed.output;
  const base = args.tiny ? TINY_PLAN : FULL_PLAN;
  return {
    plan: {
      messages: args.messages ?? base.messages,
      rate: args.rate ?? base.rate,
      seconds: args.seconds ?? base.seconds,
    },
    modes: UI_MODES.filter((mode) => !args.modes || args.modes.includes(mode)),
    tiny: args.tiny,
    json: args.json,
    writeDocs: args['write-docs'],
    docs: args.docs,
    help: args.help,
  };
}
