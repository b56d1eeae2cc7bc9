/**
 * Writes a run into docs/benchmarks.md. Only the block between the two markers is replaced, so
 * the hand-written parts of the page (method, profile notes) survive every re-run.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { availableParallelism, cpus, loadavg, release, totalmem, type } from 'node:os';
import type { BenchResult, Machine } from '../results';
import { caseSections } from './cases-tables';
import { buildConversationsTable } from './conversations-table';
import { buildTable, renderMarkdown, tableFootnotes } from './table';

export const RESULTS_START = '<!-- bench:results:start -->';
export const RESULTS_END = '<!-- bench:results:end -->';
export const CONVERSATIONS_HEADING =
  'Channels and direct conversations (v2) against everyone in general, same host, same run';

export function describeMachine(): Machine {
  return {
    cpuModel: cpus()[0]?.model.trim() || 'unknown CPU',
    cores: availableParallelism(),
    node: process.version,
    os: `${type()} ${release()}`,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

/** The command as a reader would type it: through npm when npm started us. */
export function describeCommand(argv: string[]): string {
  const args = argv.join(' ');
  if (process.env.npm_lifecycle_event === 'bench') {
    return args ? `npm run bench -- ${args}` : 'npm run bench';
  }
  return `node dist/bench/run.js${args ? ` ${args}` : ''}`;
}

export function renderResultsBlock(result: BenchResult): string {
  const { machine } = result;
  const minutes = (result.durationMs / 60_000).toFixed(1);
  const lines = [
    RESULTS_START,
    `## Latest run`,
    '',
    `- Command: \`${result.command}\` (${result.mode} mode, ${minutes} min, started ${result.startedAt})`,
    `- Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}, ` +
      `Node ${machine.node}; load average ${machine.loadAverage} when the run started`,
    `- Ratios (×) are to \`${result.baseline}\`; above 1 means more than the baseline.`,
    '',
  ];
  const table = buildTable(result);
  lines.push(renderMarkdown(table), '');
  for (const footnote of tableFootnotes(table)) lines.push(footnote, '');
  const conversations = buildConversationsTable(result);
  if (conversations)
    lines.push(`### ${CONVERSATIONS_HEADING}`, '', renderMarkdown(conversations), '');
  for (const { heading, table, footnote } of caseSections(result)) {
    lines.push(`### ${heading}`, '', table, '', footnote, '');
  }
  if (result.notes.length > 0) {
    lines.push('Notes from the run:', '', ...result.notes.map((note) => `- ${note}`), '');
  }
  const failures = [
    ...result.targets.flatMap((t) => t.failures.map((f) => `- ${t.name}: ${f}`)),
    ...(result.caseFailures ?? []).map((failure) => `- ${failure}`),
  ];
  if (failures.length > 0) lines.push('Parts that produced no numbers:', '', ...failures, '');
  lines.push(RESULTS_END);
  return lines.join('\n');
}

const NEW_PAGE_HEAD = `# Benchmarks

How the Parley host compares with plain WebSocket and Socket.IO servers under the same chat load.
Run \`npm run bench\` (about 10 minutes), \`npm run bench -- --quick\` (1-2 minutes), and add
\`--write-docs\` to refresh the block below.

`;

/** Writes the page already formatted, so `npm run format:check` stays green after a run. */
export async function writeResultsIntoDocs(file: string, result: BenchResult): Promise<void> {
  const block = renderResultsBlock(result);
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const start = current.indexOf(RESULTS_START);
  const end = current.indexOf(RESULTS_END);
  let next: string;
  if (start >= 0 && end > start) {
    next = current.slice(0, start) + block + current.slice(end + RESULTS_END.length);
  } else if (current.length > 0) {
    next = `${current.trimEnd()}\n\n${block}\n`;
  } else {
    next = `${NEW_PAGE_HEAD}${block}\n`;
  }
  const config = (await resolveConfig(file)) ?? {};
  writeFileSync(file, await format(next, { ...config, filepath: file }));
}
