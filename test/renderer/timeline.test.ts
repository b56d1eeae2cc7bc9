import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RoomEvent } from '../../protocol/bridge';
import type { Entry, PeerV2, TextEntry } from '../../protocol/wire/entries';
import type { OutgoingMessage } from '../../protocol/client/client-types';
import { TimelineBuilder, buildTimeline, formatDay, formatTime } from '../../renderer/timeline';
import type { TimelineInput } from '../../renderer/timeline';
import { applyRoomEvents, createRoomState, insertEntries, logOf } from '../../renderer/room-state';
import type { PresenceLine, RoomState } from '../../renderer/room-state';
import { summaryOf, systemEntry, textEntry } from './helpers/entries';

const ADA: PeerV2 = { id: 'a', name: 'Ada' };
const BOB: PeerV2 = { id: 'b', name: 'Bob' };
const DAY1 = new Date(2025, 2, 14, 9, 5).getTime();
const DAY2 = new Date(2025, 2, 15, 18, 30).getTime();

const message = (seq: number, from: PeerV2, ts: number, id = `id-${seq}`): TextEntry =>
  textEntry({ seq, id, from, text: `m${seq}`, ts });
const presence = (
  kind: 'joined' | 'left',
  peer: PeerV2,
  afterSeq: number,
  at: number,
): PresenceLine => ({
  key: `p-${kind}-${afterSeq}`,
  kind,
  peer,
  afterSeq,
  at,
});
/** The rows' input of `general` in a room state, as room-view builds it. */
const generalOf = (state: RoomState): TimelineInput => ({
  entries: logOf(state, 'general').entries,
  presence: state.presence,
  outbox: state.outbox,
  self: state.self,
});

describe('timeline', () => {
  it('orders days, messages and presence lines, and marks own messages', () => {
    const rows = buildTimeline({
      self: ADA,
      entries: [message(1, BOB, DAY1), message(2, ADA, DAY1 + 1000), message(3, BOB, DAY2)],
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
      { id: 'echoed', conv: 'general', text: 'm2', state: 'pending' },
      { id: 'waiting', conv: 'general', text: 'later', state: 'pending' },
      {
        id: 'refused',
        conv: 'general',
        text: 'too fast',
        state: 'failed',
        error: 'rate_limited',
      },
    ];
    const rows = buildTimeline({
      self: ADA,
      entries: [message(1, BOB, DAY1), message(2, ADA, DAY1, 'echoed')],
      presence: [],
      outbox,
    });
    expect(rows.filter((row) => row.kind === 'outgoing').map((row) => row.key)).toEqual([
      'owaiting',
      'orefused',
    ]);
    expect(rows[rows.length - 1]!.kind).toBe('outgoing');
  });

  it('shows system entries as lines of their own, among the messages', () => {
    const rows = buildTimeline({
      self: ADA,
      entries: [
        systemEntry({
          seq: 1,
          conv: 'c_x',
          by: BOB,
          ts: DAY1,
          event: 'channel_created',
          name: 'x',
        }),
        message(2, BOB, DAY1 + 1000),
        systemEntry({ seq: 3, conv: 'c_x', by: ADA, ts: DAY1 + 2000, event: 'joined_channel' }),
      ],
      presence: [],
      outbox: [],
    });
    expect(rows.map((row) => row.key)).toEqual(['d2025-3-14', 'e1', 'm2', 'e3']);
    expect(rows.map((row) => row.kind)).toEqual(['day', 'event', 'message', 'event']);
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

const CY: PeerV2 = { id: 'c', name: 'Cy' };
const HOUR = 3_600_000;

/** One change to a room: a frame of events, or a page of older messages loaded above. */
type Step = { kind: 'events'; events: RoomEvent[] } | { kind: 'older'; seqs: number[] };

const liveEntry = (seq: number, from: PeerV2, id = `id-${seq}`): Entry =>
  // Some hours apart, so day separators come and go; every fifth one a channel's system line.
  seq % 5 === 0
    ? systemEntry({ seq, conv: 'general', by: from, ts: DAY1 + seq * 5 * HOUR, event: 'topic' })
    : message(seq, from, DAY1 + seq * 5 * HOUR, id);
const liveMessage = (seq: number, from: PeerV2, id = `id-${seq}`): RoomEvent => ({
  type: 'entry',
  entry: liveEntry(seq, from, id),
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
            conv: 'general',
            text: 'x',
            state: 'pending',
          })),
        }) as RoomEvent,
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<RoomEvent>(
      { type: 'typing', conv: 'general', peer: BOB },
      {
        type: 'roomChanged',
        previous: { id: 'r1', name: 'Lab' },
        current: { id: 'r2', name: 'Two' },
      },
      { type: 'summary', summary: summaryOf([BOB]) },
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
  return insertEntries(
    state,
    step.seqs.map((seq) => liveEntry(seq, BOB)),
  );
}

describe('timeline, built a frame at a time', () => {
  it('gives the same rows as building from nothing, after every change', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 25 }), (steps) => {
        const builder = new TimelineBuilder();
        let state = createRoomState(summaryOf([ADA, BOB]));
        expect(builder.rows(generalOf(state))).toEqual(buildTimeline(generalOf(state)));
        steps.forEach((step, index) => {
          // Presence lines are stamped with this time: also hours apart.
          state = applyStep(state, step, DAY1 + index * 7 * HOUR);
          expect(builder.rows(generalOf(state))).toEqual(buildTimeline(generalOf(state)));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the rows it already built when messages arrive at the end, and starts over for older ones', () => {
    const builder = new TimelineBuilder();
    let state = createRoomState(summaryOf([ADA, BOB]));
    state = applyRoomEvents(
      state,
      [11, 12, 13].map((seq) => liveMessage(seq, BOB)),
      0,
    );
    const first = builder.rows(generalOf(state));
    // Nothing changed: the very same array.
    expect(builder.rows(generalOf({ ...state }))).toBe(first);

    state = applyRoomEvents(state, [liveMessage(14, ADA), { type: 'joined', peer: CY }], DAY2);
    const second = builder.rows(generalOf(state));
    expect(second).not.toBe(first);
    expect(second.slice(0, first.length).every((row, index) => row === first[index])).toBe(true);
    expect(second.slice(first.length).map((row) => row.key)).toEqual(
      buildTimeline(generalOf(state))
        .slice(first.length)
        .map((row) => row.key),
    );

    state = insertEntries(state, [liveEntry(9, BOB)]);
    const third = builder.rows(generalOf(state));
    expect(third).toEqual(buildTimeline(generalOf(state)));
    expect(third.find((row) => row.key === 'm11')).not.toBe(
      second.find((row) => row.key === 'm11'),
    );
  });

  it('puts a presence line anchored above the newest message in its place, not at the end', () => {
    const builder = new TimelineBuilder();
    const entries = [message(1, BOB, DAY1), message(2, BOB, DAY1 + 1000)];
    builder.rows({ self: ADA, entries, presence: [], outbox: [] });
    const input = {
      self: ADA,
      entries,
      presence: [presence('joined', CY, 1, DAY1 + 500)],
      outbox: [],
    };
    const rows = builder.rows(input);
    expect(rows.map((row) => row.key)).toEqual(['d2025-3-14', 'm1', 'p-joined-1', 'm2']);
    expect(rows).toEqual(buildTimeline(input));
  });
});
