/** Finding a message or system line among a conversation's rows by seq, without a full scan. */
import type { TextEntry } from '../protocol/wire/entries';
import type { TimelineRow } from './timeline';

/** The seq of a row that has one (messages and system lines), else undefined. */
function seqOf(row: TimelineRow): number | undefined {
  if (row.kind === 'message') return row.message.seq;
  if (row.kind === 'event') return row.entry.seq;
  return undefined;
}

/**
 * The index of the row of message or system line `seq`, or -1. Rows with a seq are in ascending
 * seq order (day and presence lines between them, outgoing ones after): a binary search that
 * steps over rows without a seq.
 */
export function rowIndexOfSeq(rows: readonly TimelineRow[], seq: number): number {
  let low = 0;
  let high = rows.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    // The nearest row at or after the middle that has a seq (within the range).
    let at = middle;
    let found = seqOf(rows[at]!);
    while (found === undefined && at < high) found = seqOf(rows[++at]!);
    if (found === undefined) {
      high = middle - 1;
      continue;
    }
    if (found === seq) return at;
    if (found < seq) low = at + 1;
    else high = middle - 1;
  }
  return -1;
}

/** The message `seq` among `rows`, when they hold it. */
export function messageOfSeq(rows: readonly TimelineRow[], seq: number): TextEntry | undefined {
  const index = rowIndexOfSeq(rows, seq);
  const row = index < 0 ? undefined : rows[index];
  return row?.kind === 'message' ? row.message : undefined;
}
