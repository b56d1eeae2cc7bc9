import { describe, expect, it } from 'vitest';
import type { ChatMessage, Peer } from '../../protocol/frames';
import type { OutgoingMessage } from '../../protocol/client-types';
import { buildTimeline, formatDay, formatTime } from '../../renderer/timeline';
import type { PresenceLine } from '../../renderer/room-state';

const ADA: Peer = { id: 'a', name: 'Ada' };
const BOB: Peer = { id: 'b', name: 'Bob' };
const DAY1 = new Date(2025, 2, 14, 9, 5).getTime();
const DAY2 = new Date(2025, 2, 15, 18, 30).getTime();

const message = (seq: number, from: Peer, ts: number, id = `id-${seq}`): ChatMessage => ({
  seq,
  id,
  from,
  text: `m${seq}`,
  ts,
});
const presence = (
  kind: 'joined' | 'left',
  peer: Peer,
  afterSeq: number,
  at: number,
): PresenceLine => ({
  key: `p-${kind}-${afterSeq}`,
  kind,
  peer,
  afterSeq,
  at,
});

describe('timeline', () => {
  it('orders days, messages and presence lines, and marks own messages', () => {
    const rows = buildTimeline({
      self: ADA,
      messages: [message(1, BOB, DAY1), message(2, ADA, DAY1 + 1000), message(3, BOB, DAY2)],
      presence: [presence('joined', BOB, 0, DAY1 - 1000), presence('left', BOB, 3, DAY2 + 5)],
      outbox: [],
    });
    expect(
      rows.map((row) =>
        row.kind === 'message' ? `m${row.message.seq}${row.own ? '*' : ''}` : row.kind,
      ),
    ).toEqual(['day', 'presence', 'm1', 'm2*', 'day', 'm3', 'presence']);
    expect(new Set(rows.map((row) => row.key)).size).toBe(rows.length);
  });

  it('puts unacknowledged messages last, once: an echoed message replaces its pending row', () => {
    const outbox: OutgoingMessage[] = [
      { id: 'echoed', text: 'm2', state: 'pending' },
      { id: 'waiting', text: 'later', state: 'pending' },
      { id: 'refused', text: 'too fast', state: 'failed', error: 'rate_limited' },
    ];
    const rows = buildTimeline({
      self: ADA,
      messages: [message(1, BOB, DAY1), message(2, ADA, DAY1, 'echoed')],
      presence: [],
      outbox,
    });
    expect(rows.filter((row) => row.kind === 'outgoing').map((row) => row.key)).toEqual([
      'owaiting',
      'orefused',
    ]);
    expect(rows[rows.length - 1]!.kind).toBe('outgoing');
  });

  it('formats times as HH:MM and days as Today, Yesterday or a date', () => {
    expect(formatTime(new Date(2025, 0, 2, 7, 4).getTime())).toBe('07:04');
    expect(formatTime(new Date(2025, 0, 2, 23, 59).getTime())).toBe('23:59');
    const now = new Date(2025, 2, 15, 12, 0).getTime();
    expect(formatDay(DAY2, now)).toBe('Today');
    expect(formatDay(DAY1, now)).toBe('Yesterday');
    expect(formatDay(new Date(2024, 11, 24, 8).getTime(), now)).toMatch(/2024/);
  });
});
