import { describe, expect, it } from 'vitest';
import type { PeerV2 } from '../../protocol/wire/entries';
import type { TimelineRow } from '../../renderer/timeline';
import {
  firstMessageKey,
  messageKeyFrom,
  rowsAppended,
  truncate,
} from '../../renderer/timeline-diff';
import { textEntry } from './helpers/entries';

const BOB: PeerV2 = { id: 'b', name: 'Bob' };
const message = (seq: number): TimelineRow => ({
  kind: 'message',
  key: `m${seq}`,
  own: false,
  message: textEntry({ seq, id: `i${seq}`, from: BOB, text: 't', ts: 0 }),
});
const outgoing = (id: string): TimelineRow => ({
  kind: 'outgoing',
  key: `o${id}`,
  from: undefined,
  entry: { id, conv: 'general', text: 't', state: 'pending' },
});
const day: TimelineRow = { kind: 'day', key: 'd1', ts: 0 };
const keys = (rows: TimelineRow[]) => rows.map((row) => row.key);

describe('timeline diff', () => {
  it('finds what arrived at the end, past pending rows that stay last', () => {
    expect(keys(rowsAppended([], [day, message(1)]))).toEqual(['d1', 'm1']);
    expect(keys(rowsAppended([day, message(1)], [day, message(1), message(2)]))).toEqual(['m2']);
    // A message from someone else lands before my pending one.
    expect(
      keys(rowsAppended([message(1), outgoing('a')], [message(1), message(2), outgoing('a')])),
    ).toEqual(['m2']);
    // My pending message is acknowledged and becomes a message row.
    expect(keys(rowsAppended([message(1), outgoing('a')], [message(1), message(2)]))).toEqual([
      'm2',
    ]);
    expect(keys(rowsAppended([outgoing('a')], [message(1), outgoing('a')]))).toEqual(['m1']);
    // Older rows above are not news.
    expect(keys(rowsAppended([message(5)], [message(4), message(5)]))).toEqual([]);
  });

  it('anchors on messages, not on day separators', () => {
    const rows = [day, message(3), message(4)];
    expect(messageKeyFrom(rows, 0)).toBe('m3');
    expect(messageKeyFrom(rows, -1)).toBe('m3');
    expect(messageKeyFrom(rows, 2)).toBe('m4');
    expect(messageKeyFrom([day], 0)).toBeUndefined();
    expect(firstMessageKey(rows)).toBe('m3');
  });

  it('shortens by code points', () => {
    expect(truncate('😀'.repeat(3), 2)).toBe('😀😀…');
    expect(truncate('short')).toBe('short');
  });
});
