/**
 * `node dist/bench/profile-summary.js FILE.cpuprofile [--top N] [--messages M --deliveries D]`:
 * the busiest functions and areas of a profile taken with `npm run bench -- --cpu-prof DIR`,
 * optionally as cost per message and per delivery.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as v from 'valibot';
import { cpuProfileSchema, summarizeProfile, type FunctionCost } from './profile/analyze';
import { createSourceMapResolver } from './profile/source-maps';

/** The repository root, two levels above dist/bench/ where this runs from. */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const argsSchema = v.object({
  top: v.optional(v.pipe(v.string(), v.toNumber(), v.safeInteger(), v.minValue(1)), '25'),
  messages: v.optional(v.pipe(v.string(), v.toNumber(), v.safeInteger(), v.minValue(1))),
  deliveries: v.optional(v.pipe(v.string(), v.toNumber(), v.safeInteger(), v.minValue(1))),
});

function main(): number {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      top: { type: 'string' },
      messages: { type: 'string' },
      deliveries: { type: 'string' },
    },
  });
  const args = v.safeParse(argsSchema, values);
  if (!args.success || positionals.length !== 1) {
    console.error('usage: profile-summary FILE.cpuprofile [--top N] [--messages M --deliveries D]');
    return 2;
  }
  const profile = v.safeParse(cpuProfileSchema, JSON.parse(readFileSync(positionals[0]!, 'utf8')));
  if (!profile.success) {
    console.error(`${positionals[0]} is not a V8 CPU profile: ${v.summarize(profile.issues)}`);
    return 2;
  }
  const summary = summarizeProfile(profile.output, {
    root: repoRoot,
    resolve: createSourceMapResolver(),
  });
  const top = Number(args.output.top);
  const ms = (value: number) => value.toFixed(1).padStart(9);
  const share = (value: number) => `${((100 * value) / summary.busyMs).toFixed(1).padStart(5)}%`;
  const { messages, deliveries } = args.output;
  const per = (value: number) =>
    (messages ? `  ${((value * 1000) / messages).toFixed(2).padStart(8)} µs/msg` : '') +
    (deliveries ? `  ${((value * 1000) / deliveries).toFixed(3).padStart(8)} µs/delivery` : '');

  console.log(
    `wall ${summary.wallMs.toFixed(0)} ms, busy ${summary.busyMs.toFixed(0)} ms${per(summary.busyMs)}`,
  );
  console.log('\nby area (self time):');
  for (const area of summary.areas.slice(0, top)) {
    console.log(`${ms(area.selfMs)} ms ${share(area.selfMs)}${per(area.selfMs)}  ${area.area}`);
  }
  const list = (title: string, key: keyof Pick<FunctionCost, 'selfMs' | 'totalMs'>) => {
    console.log(`\nby function (${title}):`);
    // (root) and (idle) are V8 bookkeeping, not work anyone could make cheaper.
    const sorted = summary.functions
      .filter((f) => f.area !== '(idle)' && f.area !== '(root)')
      .sort((a, b) => b[key] - a[key]);
    for (const fn of sorted.slice(0, top))
      console.log(`${ms(fn[key])} ms ${share(fn[key])}${per(fn[key])}  ${fn.name}`);
  };
  list('self time', 'selfMs');
  list('inclusive time', 'totalMs');
  return 0;
}

process.exitCode = main();
