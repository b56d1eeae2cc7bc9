/**
 * The UI benchmark's table, for the terminal and for docs/benchmarks.md. In the docs only the
 * text between the ui-bench markers is replaced (added at the end when absent): the rest of the
 * page belongs to the load benchmark and its hand-written notes.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import type { ModeResult, UiBenchResult } from './ui-results';

export const UI_SECTION_START = '<!-- ui-bench:start -->';
export const UI_SECTION_END = '<!-- ui-bench:end -->';

interface Measurement {
  label: string;
  read: (mode: ModeResult) => number | null;
  /** Whole numbers (counts) are shown without decimals. */
  whole?: boolean;
}

function measurements(result: UiBenchResult): Measurement[] {
  const { messages, rate, seconds } = result.plan;
  const loading = `${messages.toLocaleString('en-US')} history messages`;
  const streaming = `+${rate} msg/s for ${seconds} s`;
  return [
    { label: `${loading}: newest shown after (ms)`, read: (m) => m.load.shownMs },
    { label: `${loading}: longest frame (ms)`, read: (m) => m.load.frames.longestMs },
    { label: `${loading}: JS heap after GC (MiB)`, read: (m) => m.heapAfterLoadMiB },
    { label: `${streaming}: room renders`, read: (m) => m.stream.renders, whole: true },
    { label: `${streaming}: longest frame (ms)`, read: (m) => m.stream.frames.longestMs },
    { label: `${streaming}: p95 frame time (ms)`, read: (m) => m.stream.frames.p95Ms },
    {
      label: `${streaming}: dropped frames`,
      read: (m) => m.stream.frames.dropped,
      whole: true,
    },
    { label: `${streaming}: dropped frames (%)`, read: (m) => m.stream.frames.droppedPercent },
    {
      label: `${streaming}: long frames (> 50 ms)`,
      read: (m) => m.stream.frames.longFrames,
      whole: true,
    },
    { label: `${streaming}: blocking time (ms)`, read: (m) => m.stream.frames.blockingMs },
    {
      label: `${streaming}: messages queued at the last send`,
      read: (m) => m.stream.backlogAtEnd,
      whole: true,
    },
    { label: `${streaming}: last message shown after (ms)`, read: (m) => m.stream.catchUpMs },
    { label: `${streaming}: peak JS heap (MiB)`, read: (m) => m.stream.peakHeapMiB },
    { label: `${streaming}: JS heap after GC (MiB)`, read: (m) => m.heapAfterStreamMiB },
  ];
}

export const TABLE_HEADER = [
  'measurement',
  'batched (as shipped)',
  'unbatched',
  'unbatched ÷ batched',
  'formatted (as shipped)',
  'formatted ÷ batched',
];

/**
 * One row per measurement: label, batched, unbatched and its ratio to batched, formatted and its
 * ratio to batched (plain text).
 */
export function buildUiTable(result: UiBenchResult): string[][] {
  const byMode = (name: string) => result.modes.find((mode) => mode.mode === name);
  const batched = byMode('batched');
  const unbatched = byMode('unbatched');
  const formatted = byMode('formatted');
  return measurements(result).map((measurement) => {
    const a = batched ? measurement.read(batched) : null;
    const b = unbatched ? measurement.read(unbatched) : null;
    const c = formatted ? measurement.read(formatted) : null;
    return [
      measurement.label,
      formatValue(a, measurement.whole),
      formatValue(b, measurement.whole),
      formatRatio(b, a),
      formatValue(c, measurement.whole),
      formatRatio(c, a),
    ];
  });
}

export function formatValue(value: number | null, whole = false): string {
  if (value === null) return 'n/a';
  if (whole || Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(1);
}

/** `numerator ÷ denominator` as ×N.NN; a dash where it means nothing (a zero or a missing part). */
export function formatRatio(numerator: number | null, denominator: number | null): string {
  if (numerator === null || denominator === null || denominator === 0) return '—';
  return `×${(numerator / denominator).toFixed(2)}`;
}

/** Columns padded for the terminal. */
export function renderText(rows: string[][]): string {
  const all = [TABLE_HEADER, ...rows];
  const widths = TABLE_HEADER.map((_, column) =>
    Math.max(...all.map((row) => [...(row[column] ?? '')].length)),
  );
  return all
    .map((row) =>
      row
        .map((cell, column) =>
          column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
        )
        .join('  '),
    )
    .join('\n');
}

export function renderMarkdownTable(rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(TABLE_HEADER),
    line(TABLE_HEADER.map((_, column) => (column === 0 ? '---' : '---:'))),
    ...rows.map(line),
  ].join('\n');
}

export function renderUiSection(result: UiBenchResult): string {
  const { machine, plan } = result;
  const failures = result.modes.flatMap((mode) =>
    mode.failures.map((failure) => `- ${mode.mode}: ${failure}`),
  );
  const interval = result.modes[0]?.frameIntervalMs;
  const source = result.modes[0]?.longFrameSource ?? 'none';
  return [
    UI_SECTION_START,
    '',
    '## UI under load',
    '',
    wrap(
      `The real \`parley-app\` in headless Chromium with a stand-in bridge that hands it room ` +
        `events the way the desktop bridge does (one task per event): ` +
        `${plan.messages.toLocaleString('en-US')} history messages, then ${plan.rate} new ` +
        `messages per second for ${plan.seconds} s on top. **batched** is the app as shipped: the ` +
        `events that arrive between two frames are folded into the room state and rendered once, ` +
        `before the next frame. **unbatched** folds and renders every event as it arrives ` +
        `(\`batchRoomEvents = false\`): above ×1 in its ratio column, batching made the number ` +
        `smaller. **formatted** is the app as shipped with every message in Markdown (bold, ` +
        `code, links, quotes, lists, code blocks: the same words formatted), rendered and ` +
        `sanitised; its ratio compares it with the plain-text batched run.`,
    ),
    '',
    wrap(
      `- Command: \`${result.command}\` (${(result.durationMs / 1000).toFixed(0)} s, started ` +
        `${result.startedAt})`,
      '  ',
    ),
    wrap(
      `- Machine: ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, Chromium ` +
        `${machine.chromium}; load average ${machine.loadAverage} when the run started`,
      '  ',
    ),
    wrap(
      `- Frames are timed with requestAnimationFrame` +
        `${interval ? ` (idle interval ${interval} ms)` : ''}; a gap of n intervals counts as ` +
        `n - 1 dropped frames. Long frames come from the browser's \`${source}\` entries; their ` +
        `blocking time is the part no input could get through (one event at a time makes many ` +
        `short tasks: long frames, little blocking). Heaps after GC come from the DevTools ` +
        `protocol, peaks from \`performance.memory\`.`,
      '  ',
    ),
    '',
    renderMarkdownTable(buildUiTable(result)),
    '',
    ...(failures.length > 0 ? ['Parts that did not finish:', '', ...failures, ''] : []),
    UI_SECTION_END,
  ].join('\n');
}

/** Breaks prose at spaces into lines of at most `width`, as the rest of the page is written. */
export function wrap(text: string, continuation = '', width = 100): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = continuation + word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

/** `page` with its ui-bench section replaced by `section`, or `section` added at its end. */
export function replaceUiSection(page: string, section: string): string {
  const start = page.indexOf(UI_SECTION_START);
  const end = page.indexOf(UI_SECTION_END, start);
  if (start >= 0 && end > start) {
    return page.slice(0, start) + section + page.slice(end + UI_SECTION_END.length);
  }
  return page.trim().length > 0
    ? `${page.trimEnd()}\n\n${section}\n`
    : `# Benchmarks\n\n${section}\n`;
}

/** Writes the section into the docs page, formatted, so `npm run format:check` stays green. */
export async function writeUiSection(file: string, result: UiBenchResult): Promise<void> {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const next = replaceUiSection(current, renderUiSection(result));
  const config = (await resolveConfig(file)) ?? {};
  writeFileSync(file, await format(next, { ...config, filepath: file }));
}
