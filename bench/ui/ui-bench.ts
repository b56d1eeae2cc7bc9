/**
 * The UI benchmark: is the message list smooth with 10,000 messages loaded and 500 arriving per
 * second? Runs the real parley-app in headless Chromium twice, with room events batched per
 * frame (as shipped) and unbatched, prints a table of both and their ratio, and with
 * `--write-docs` puts it into docs/benchmarks.md. Build first: `node bench/ui/build.js`.
 * Every part has a time limit, and the whole run stops after two minutes at the latest.
 */
import { writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../../tools/chromium';
import { servePage } from '../../tools/page-server';
import { parseUiBenchArgs, UiBenchUsageError, USAGE } from './ui-options';
import type { UiBenchOptions } from './ui-options';
import { buildUiTable, renderText, writeUiSection } from './ui-report';
import type { ModeResult, UiBenchResult, UiMode } from './ui-results';
import { runMode } from './ui-run';
import type { ModeLimits } from './ui-run';

/** Past this the run is stopped, whatever it is doing. */
const RUN_DEADLINE_MS = 240_000;
// Three modes at these limits, with the longest stream --seconds allows (10 s), stay under ~160 s
// on an idle machine; the rest is room for a busy one.
const FULL_LIMITS: ModeLimits = { loadMs: 20_000, settleMs: 3000, catchUpMs: 15_000 };
const TINY_LIMITS: ModeLimits = { loadMs: 10_000, settleMs: 1000, catchUpMs: 5000 };

/** The page bundle sits next to this script (see bench/ui/build.js). */
const PAGE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'ui');

async function run(options: UiBenchOptions, argv: string[]): Promise<UiBenchResult> {
  const started = Date.now();
  const limits = options.tiny ? TINY_LIMITS : FULL_LIMITS;
  const server = await servePage(PAGE_DIR);
  // Unrounded performance.memory, for the peak heap during the stream.
  const browser = await launchChromium({ extraArgs: ['--enable-precise-memory-info'] });
  try {
    const modes: ModeResult[] = [];
    for (const mode of options.modes) {
      console.error(`ui-bench: ${mode}…`);
      modes.push(
        await runOrFail(() => runMode(browser, server.url, mode, options.plan, limits), mode),
      );
    }
    return {
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      command: describeCommand(argv),
      tiny: options.tiny,
      plan: options.plan,
      machine: {
        cpuModel: cpus()[0]?.model.trim() || 'unknown CPU',
        cores: availableParallelism(),
        node: process.version,
        chromium: browser.version(),
        loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
      },
      modes,
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

/** A mode that breaks down still gets a column, with its reason, so the others' numbers stand. */
async function runOrFail(measure: () => Promise<ModeResult>, mode: UiMode): Promise<ModeResult> {
  try {
    return await measure();
  } catch (error) {
    const empty = { frames: 0, longestMs: 0, p95Ms: 0, medianMs: 0, dropped: 0 };
    const frames = {
      ...empty,
      droppedPercent: 0,
      longFrames: 0,
      longestLongFrameMs: 0,
      blockingMs: 0,
    };
    return {
      mode,
      frameIntervalMs: 0,
      longFrameSource: 'none',
      load: { messages: 0, shownMs: null, renders: 0, frames },
      heapAfterLoadMiB: null,
      stream: {
        sent: 0,
        durationMs: 0,
        renders: 0,
        events: 0,
        backlogAtEnd: 0,
        catchUpMs: null,
        frames,
        peakHeapMiB: null,
      },
      heapAfterStreamMiB: null,
      failures: [error instanceof Error ? error.message : String(error)],
    };
  }
}

function describeCommand(argv: string[]): string {
  const args = argv.join(' ');
  return `node dist/bench/ui-bench.js${args ? ` ${args}` : ''}`;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  let options: UiBenchOptions;
  try {
    options = parseUiBenchArgs(argv);
  } catch (error) {
    if (!(error instanceof UiBenchUsageError)) throw error;
    console.error(`ui-bench: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const deadline = setTimeout(() => {
    console.error(`ui-bench: stopped after ${RUN_DEADLINE_MS / 1000} s`);
    process.exit(1);
  }, RUN_DEADLINE_MS);
  deadline.unref();

  const result = await run(options, argv);
  console.log(renderText(buildUiTable(result)));
  for (const mode of result.modes) {
    for (const failure of mode.failures) console.log(`${mode.mode}: ${failure}`);
  }
  if (options.json) await writeFile(options.json, `${JSON.stringify(result, null, 2)}\n`);
  if (options.writeDocs) {
    await writeUiSection(options.docs, result);
    console.log(`wrote the "UI under load" section of ${options.docs}`);
  }
  clearTimeout(deadline);
  return result.modes.some((mode) => mode.failures.length > 0) ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(
      `ui-bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exitCode = 1;
  },
);
