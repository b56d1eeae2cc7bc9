/**
 * The cases of issue 16 beside the targets' table: joins and held connections against plain `ws`
 * holding presence, and durable acks against the disk, plain `ws` and the memory store, each from
 * the same run. Printed by run.ts and written into docs/benchmarks.md alike.
 */
import { renderAckTable } from './acks-table';
import { JOIN_TABLE_HEADERS, joinRows } from '../joins';
import type { BenchResult } from '../results';
import { renderMarkdown } from './table';

export const JOINS_HEADING = 'Joins and held connections against plain ws holding presence';
export const ACKS_HEADING = 'Durable acks against the disk, plain `ws` and the memory store';

export interface CaseSection {
  heading: string;
  table: string;
  /** What the reader needs to know to judge the table. */
  footnote: string;
}

export function caseSections(result: BenchResult): CaseSection[] {
  const sections: CaseSection[] = [];
  const { joins, acks } = result;
  if (joins) {
    sections.push({
      heading: JOINS_HEADING,
      table: renderMarkdown({ headers: JOIN_TABLE_HEADERS, rows: joinRows(joins) }),
      footnote:
        `Servers pinned to core 0, \`ws\` clients to core 1; soft open-file limit ` +
        `${joins.openFiles ?? 'unknown'} (the hard limit), so ${joins.held.toLocaleString('en-US')} ` +
        'connections were asked for in the held case (baseline and parley.v1). parley.v2 clients ' +
        'say `hello` with an identity each, as the desktop and browser clients do. RSS per ' +
        'connection is after gc().',
    });
  }
  if (acks) {
    sections.push({
      heading: ACKS_HEADING,
      table: renderAckTable(acks),
      footnote:
        `Plain \`ws\` acking each turn's messages (with no disk, then after appending them to a ` +
        `file and fdatasyncing it), then the real host with the memory store, then plain \`ws\` ` +
        `again with the sync and, before it, a busy loop as long as the memory store's time per ` +
        `message beyond plain \`ws\`'s, then the host with SQLite (rate limit lifted for the ` +
        `hosts), each pinned to core 0; ` +
        `one sender with one \`say\` in flight, then ${acks.senders} senders with one each; ` +
        'fdatasync measured on appends to a file in the same temp folder.',
    });
  }
  return sections;
}
