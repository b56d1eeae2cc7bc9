/**
 * Comparing two versions of the message list's rows: what arrived at the end (to announce and
 * count), and which message to keep in place when older ones arrive above.
 */
import type { TimelineRow } from './timeline';

/** How far back from the end two row lists are compared; keeps 10,000 rows cheap. */
const TAIL_WINDOW = 500;

/** The rows after the last row both lists share, i.e. what arrived at the end (never outgoing rows). */
export function rowsAppended(previous: TimelineRow[], current: TimelineRow[]): TimelineRow[] {
  const window = Math.min(current.length, TAIL_WINDOW);
  const indexByKey = new Map<string, number>();
  for (let index = current.length - window; index < current.length; index++) {
    indexByKey.set(current[index]!.key, index);
  }
  // Outgoing rows always sit at the end and come and go with acks: they never mark "seen up to here".
  for (let back = previous.length - 1; back >= Math.max(0, previous.length - window); back--) {
    const row = previous[back]!;
    if (row.kind === 'outgoing') continue;
    const index = indexByKey.get(row.key);
    if (index !== undefined) return current.slice(index + 1).filter((r) => r.kind !== 'outgoing');
  }
  const onlyOutgoingBefore = previous.every((row) => row.kind === 'outgoing');
  return onlyOutgoingBefore ? current.filter((row) => row.kind !== 'outgoing') : [];
}

export function firstMessageKey(rows: TimelineRow[]): string | undefined {
  return rows.find((row) => row.kind === 'message')?.key;
}

/**
 * The key of the first message row at or after `index`. Day separators move when older messages
 * of the same day arrive, so they make poor anchors.
 */
export function messageKeyFrom(rows: TimelineRow[], index: number): string | undefined {
  for (let at = Math.max(0, index); at < rows.length; at++) {
    const row = rows[at]!;
    if (row.kind === 'message') return row.key;
  }
  return undefined;
}

/** Shortens text for a screen reader announcement. */
export function truncate(text: string, max = 200): string {
  const codePoints = [...text];
  return codePoints.length > max ? `${codePoints.slice(0, max).join('')}…` : text;
}
