import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RoomEvent } from '../../protocol/bridge';
import type { ChatMessage, Peer } from '../../protocol/wire/frames';
import type { OutgoingMessage } from '../../protocol/client/client-types';
import { TimelineBuilder, buildTimeline, formatDay, formatTime } from '../../renderer/timeline';
import { applyRoomEvents, createRoomState, insertMessages } from '../../renderer/room-state';
import type { PresenceLine, RoomState } from '../../renderer/room-state';

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

const CY: Peer = { id: 'c', name: 'Cy' };
const HOUR = 3_600_000;

/** One change to a room: a frame of events, or a page of older messages loaded above. */
type Step = { kind: 'events'; events: RoomEvent[] } | { kind: 'older'; seqs: number[] };

const liveMessage = (seq: number, from: Peer, id = `id-${seq}`): RoomEvent => ({
  type: 'message',
  // Some hours apart, so day separators come and go.
  message: { ...message(seq, from, DAY1 + seq * 5 * HOUR, id), text: `m${seq}` },
});
const eventArb: fc.Arbitrary<RoomEvent> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 60 }), fc.constantFrom(ADA, BOB, CY), fc.boolean())
      .map(([seq, from, echoed]) => liveMessage(seq, from, echoed ? 'o-1' : `id-${seq}`)),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(BOB, CY).map((peer) => ({ type: 'joined', peer }) as RoomEvent),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(BOB, CY).map((peer) => ({ type: 'left', peer }) as RoomEvent),
  },
  {
    weight: 1,
    arbitrary: fc.nat(2).map(
      (n) =>
        ({
          type: 'outbox',
          outbox: Array.from({ length: n }, (_, i) => ({
            id: `o-${i}`,
            text: 'x',
            state: 'pending',
          })),
        }) as RoomEvent,
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<RoomEvent>(
      { type: 'typing', peer: BOB },
      {
        type: 'roomChanged',
        previous: { id: 'r1', name: 'Lab' },
        current: { id: 'r2', name: 'Two' },
      },
      {
        type: 'summary',
        summary: {
          room: { id: 'r1', name: 'Lab' },
          self: BOB,
          peers: [BOB],
          hosting: false,
          addresses: [],
        },
      },
    ),
  },
);
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .array(eventArb, { maxLength: 12 })
      .map((events) => ({ kind: 'events' as const, events })),
  },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 10 })
      .map((seqs) => ({ kind: 'older' as const, seqs })),
  },
);

function applyStep(state: RoomState, step: Step, now: number): RoomState {
  if (step.kind === 'events') return applyRoomEvents(state, step.events, now);
  const page = step.seqs.map((seq) => (liveMessage(seq, BOB) as { message: ChatMessage }).message);
  return insertMessages(state, page);
}

describe('timeline, built a frame at a time', () => {
  it('gives the same rows as building from nothing, after every change', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 25 }), (steps) => {
        const builder = new TimelineBuilder();
        let state = createRoomState({
          room: { id: 'r1', name: 'Lab' },
          self: ADA,
          peers: [ADA, BOB],
          hosting: false,
          addresses: [],
        });
        expect(builder.rows(state)).toEqual(buildTimeline(state));
        steps.forEach((step, index) => {
          // Presence lines are stamped with this time: also hours apart.
          state = applyStep(state, step, DAY1 + index * 7 * HOUR);
          expect(builder.rows(state)).toEqual(buildTimeline(state));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the rows it already built when messages arrive at the end, and starts over for older ones', () => {
    const builder = new TimelineBuilder();
    let state = createRoomState({
      room: { id: 'r1', name: 'Lab' },
      self: ADA,
      peers: [ADA, BOB],
      hosting: false,
      addresses: [],
    });
    state = applyRoomEvents(
      state,
      [11, 12, 13].map((seq) => liveMessage(seq, BOB)),
      0,
    );
    const first = builder.rows(state);
    // Nothing changed: the very same array.
    expect(builder.rows({ ...state })).toBe(first);

    state = applyRoomEvents(state, [liveMessage(14, ADA), { type: 'joined', peer: CY }], DAY2);
    const second = builder.rows(state);
    expect(second).not.toBe(first);
    expect(second.slice(0, first.length).every((row, index) => row === first[index])).toBe(true);
    expect(second.slice(first.length).map((row) => row.key)).toEqual(
      buildTimeline(state)
        .slice(first.length)
        .map((row) => row.key),
    );

    state = insertMessages(state, [(liveMessage(10, BOB) as { message: ChatMessage }).message]);
    const third = builder.rows(state);
    expect(third).toEqual(buildTimeline(state));
    expect(third.find((row) => row.key === 'm11')).not.toBe(
      second.find((row) => row.key === 'm11'),
    );
  });

  it('puts a presence line anchored above the newest message in its place, not at the end', () => {
    const builder = new TimelineBuilder();
    const messages = [message(1, BOB, DAY1), message(2, BOB, DAY1 + 1000)];
    builder.rows({ self: ADA, messages, presence: [], outbox: [] });
    const input = {
      self: ADA,
      messages,
      presence: [presence('joined', CY, 1, DAY1 + 500)],
      outbox: [],
    };
    const rows = builder.rows(input);
    expect(rows.map((row) => row.key)).toEqual(['d2025-3-14', 'm1', 'p-joined-1', 'm2']);
    expect(rows).toEqual(buildTimeline(input));
  });
});
