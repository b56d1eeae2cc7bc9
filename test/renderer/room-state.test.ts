import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RoomEvent, RoomSummary } from '../../protocol/bridge';
import { readableFingerprint } from '../../protocol/client/fingerprint';
import type { ChatMessage, Peer } from '../../protocol/wire/frames';
import {
  TYPING_EXPIRY_MS,
  activeTypers,
  applyRoomEvent,
  applyRoomEvents,
  createRoomState,
  dismissNotices,
  insertMessages,
  nextTypingExpiry,
  olderBeforeSeq,
} from '../../renderer/room-state';
import type { RoomState } from '../../renderer/room-state';

const ADA: Peer = { id: 'a', name: 'Ada' };
const BOB: Peer = { id: 'b', name: 'Bob' };
const CY: Peer = { id: 'c', name: 'Cy' };
const SUMMARY: RoomSummary = {
  room: { id: 'r1', name: 'Lab' },
  self: ADA,
  peers: [ADA, BOB],
  hosting: false,
  addresses: [],
};

const message = (seq: number, from: Peer = BOB, text = `m${seq}`): ChatMessage => ({
  seq,
  id: `id-${seq}`,
  from,
  text,
  ts: 1_000 * seq,
});

function fold(
  events: RoomEvent[],
  state: RoomState = createRoomState(SUMMARY),
  now = 0,
): RoomState {
  return events.reduce((current, event) => applyRoomEvent(current, event, now), state);
}

describe('room state', () => {
  it('starts from a summary: room, self, peers, open', () => {
    const state = createRoomState(SUMMARY);
    expect(state).toMatchObject({
      connection: 'open',
      room: SUMMARY.room,
      self: ADA,
      peers: [ADA, BOB],
    });
    expect(createRoomState().connection).toBe('connecting');
  });

  it("carries the room's fingerprint from the summary, and follows a new summary", () => {
    const fingerprint = readableFingerprint(Array.from({ length: 32 }, () => 'AB').join(':'));
    expect(createRoomState(SUMMARY).fingerprint).toBeUndefined();
    expect(createRoomState().fingerprint).toBeUndefined();
    const pinned = createRoomState({ ...SUMMARY, fingerprint });
    expect(pinned.fingerprint).toEqual(fingerprint);

    const other = readableFingerprint(Array.from({ length: 32 }, () => 'CD').join(':'));
    const renewed = fold(
      [{ type: 'summary', summary: { ...SUMMARY, fingerprint: other } }],
      pinned,
    );
    expect(renewed.fingerprint?.short).toBe(other.short);
    // A summary without one (a room without TLS) shows none, rather than a stale one.
    expect(fold([{ type: 'summary', summary: SUMMARY }], pinned).fingerprint).toBeUndefined();
  });

  it('keeps messages unique and in seq order, however they arrive', () => {
    const state = fold(
      [3, 1, 2, 3, 5, 4, 1].map((seq) => ({ type: 'message', message: message(seq) }) as RoomEvent),
    );
    expect(state.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    const paged = insertMessages(state, [message(0 + 1), message(2)]);
    expect(paged).toBe(state);
  });

  it('adds a page of older messages in one step and knows when none are left', () => {
    let state = fold(
      [message(101), message(102)].map((m) => ({ type: 'message', message: m }) as RoomEvent),
    );
    expect(olderBeforeSeq(state)).toBe(101);
    state = insertMessages(
      state,
      Array.from({ length: 100 }, (_, i) => message(i + 1)),
    );
    expect(state.messages).toHaveLength(102);
    expect(state.messages[0]!.seq).toBe(1);
    expect(olderBeforeSeq(state)).toBeUndefined();
    expect(olderBeforeSeq(createRoomState(SUMMARY))).toBeUndefined();
  });

  it('tracks presence: joins and leaves change the peers and leave a line after the last message', () => {
    const state = fold([
      { type: 'message', message: message(1) },
      { type: 'joined', peer: CY },
      { type: 'joined', peer: CY },
      { type: 'message', message: message(2, CY) },
      { type: 'left', peer: BOB },
    ]);
    expect(state.peers).toEqual([ADA, CY]);
    expect(state.presence.map((line) => [line.kind, line.peer.name, line.afterSeq])).toEqual([
      ['joined', 'Cy', 1],
      ['joined', 'Cy', 1],
      ['left', 'Bob', 2],
    ]);
    expect(new Set(state.presence.map((line) => line.key)).size).toBe(3);
  });

  it('shows someone typing for a few seconds, until they post or leave', () => {
    let state = fold([{ type: 'typing', peer: BOB }], createRoomState(SUMMARY), 10_000);
    expect(activeTypers(state, 10_000)).toEqual([BOB]);
    expect(nextTypingExpiry(state, 10_000)).toBe(10_000 + TYPING_EXPIRY_MS);
    expect(activeTypers(state, 10_000 + TYPING_EXPIRY_MS)).toEqual([]);
    expect(TYPING_EXPIRY_MS).toBeGreaterThanOrEqual(3000);
    expect(TYPING_EXPIRY_MS).toBeLessThanOrEqual(4000);

    state = applyRoomEvent(state, { type: 'message', message: message(1, BOB) }, 10_500);
    expect(activeTypers(state, 10_500)).toEqual([]);

    state = fold(
      [
        { type: 'typing', peer: CY },
        { type: 'left', peer: CY },
      ],
      state,
      11_000,
    );
    expect(activeTypers(state, 11_000)).toEqual([]);
    // Your own typing echo (should a host send one) is not shown to you.
    state = applyRoomEvent(state, { type: 'typing', peer: ADA }, 12_000);
    expect(activeTypers(state, 12_000)).toEqual([]);
  });

  it('starts afresh when the host runs a different room, keeping the outbox', () => {
    const outbox = [{ id: 'o1', text: 'pending', state: 'pending' as const }];
    const state = fold([
      { type: 'message', message: message(1) },
      { type: 'joined', peer: CY },
      { type: 'outbox', outbox },
      { type: 'gap' },
      { type: 'roomChanged', previous: SUMMARY.room, current: { id: 'r2', name: 'New' } },
    ]);
    expect(state.messages).toEqual([]);
    expect(state.presence).toEqual([]);
    expect(state.outbox).toBe(outbox);
    expect(state.room).toEqual({ id: 'r2', name: 'New' });
    expect(state.gap).toBe(false);
    expect(state.roomChange?.previous.name).toBe('Lab');
    expect(dismissNotices(state).roomChange).toBeUndefined();
  });

  it('records gaps, connection states and the end; an error leaves the room as it was', () => {
    const open = createRoomState(SUMMARY);
    expect(
      applyRoomEvent(open, { type: 'error', code: 'rate_limited', message: 'slow down' }, 5),
    ).toBe(open);
    const state = fold(
      [
        { type: 'state', state: 'reconnecting' },
        { type: 'gap' },
        { type: 'error', code: 'rate_limited', message: 'slow down' },
        { type: 'typing', peer: BOB },
        { type: 'ended', reason: { code: 'replaced', message: 'elsewhere' } },
      ],
      createRoomState(SUMMARY),
      5,
    );
    expect(state.gap).toBe(true);
    expect(state.connection).toBe('closed');
    expect(state.ended).toEqual({ code: 'replaced', message: 'elsewhere' });
    expect(state.typing.size).toBe(0);
  });

  it('never changes a state it was given', () => {
    const before = createRoomState(SUMMARY);
    const snapshot = structuredClone({ ...before, typing: [...before.typing] });
    fold(
      [
        { type: 'message', message: message(1) },
        { type: 'joined', peer: CY },
        { type: 'typing', peer: BOB },
      ],
      before,
    );
    expect({ ...before, typing: [...before.typing] }).toEqual(snapshot);
  });
});

/** Any event a room can see, with seqs and peers drawn from small pools so they collide. */
const peerArb = fc.constantFrom(ADA, BOB, CY);
const eventArb: fc.Arbitrary<RoomEvent> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .record({ seq: fc.integer({ min: 1, max: 40 }), from: peerArb, variant: fc.nat(2) })
      .map(({ seq, from, variant }) => ({
        type: 'message' as const,
        message: { seq, id: `id-${seq}`, from, text: `m${seq}.${variant}`, ts: 1_000 * seq },
      })),
  },
  { weight: 2, arbitrary: peerArb.map((peer) => ({ type: 'typing' as const, peer })) },
  { weight: 1, arbitrary: peerArb.map((peer) => ({ type: 'joined' as const, peer })) },
  { weight: 1, arbitrary: peerArb.map((peer) => ({ type: 'left' as const, peer })) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('open', 'reconnecting', 'closed', 'connecting')
      .map((state) => ({ type: 'state' as const, state })),
  },
  {
    weight: 1,
    arbitrary: fc.nat(3).map((n) => ({
      type: 'outbox' as const,
      outbox: Array.from({ length: n }, (_, i) => ({
        id: `id-${i + 1}`,
        text: 'x',
        state: 'pending' as const,
      })),
    })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<RoomEvent>(
      { type: 'gap' },
      { type: 'error', code: 'rate_limited', message: 'slow down' },
      { type: 'notice', code: 'not_advertised', message: 'hidden' },
      { type: 'roomChanged', previous: SUMMARY.room, current: { id: 'r2', name: 'Other' } },
      { type: 'summary', summary: { ...SUMMARY, lastSeq: 7 } },
      { type: 'ended', reason: { code: 'closed', message: 'bye' } },
    ),
  },
);

describe('room state, folded a frame at a time', () => {
  it('ends where folding the same events one by one ends, however they are cut into batches', () => {
    fc.assert(
      fc.property(
        fc.array(eventArb, { maxLength: 60 }),
        fc.array(fc.nat(60), { maxLength: 6 }),
        (events, cuts) => {
          const expected = fold(events, createRoomState(SUMMARY), 42);
          expect(applyRoomEvents(createRoomState(SUMMARY), events, 42)).toEqual(expected);
          // The same events in frames of random sizes.
          const bounds = [
            ...new Set([0, ...cuts.map((cut) => cut % (events.length + 1)), events.length]),
          ].sort((a, b) => a - b);
          let state = createRoomState(SUMMARY);
          for (let index = 1; index < bounds.length; index++) {
            state = applyRoomEvents(state, events.slice(bounds[index - 1], bounds[index]), 42);
          }
          expect(state).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('adds a frame of live messages to 10,000 held ones, keeping every held message as it was', () => {
    const held = Array.from({ length: 10_000 }, (_, index) => message(index + 1));
    const before = insertMessages(createRoomState(SUMMARY), held);
    const live = Array.from({ length: 8 }, (_, index) => ({
      type: 'message' as const,
      message: message(10_001 + index, CY),
    }));
    const after = applyRoomEvents(applyRoomEvent(before, { type: 'typing', peer: CY }, 0), live, 1);
    expect(after.messages).toHaveLength(10_008);
    expect(after.messages.slice(0, 10_000).every((m, index) => m === held[index])).toBe(true);
    expect(after.messages.slice(10_000).map((m) => m.seq)).toEqual(live.map((e) => e.message.seq));
    // Cy posted, so Cy no longer shows as typing.
    expect(activeTypers(after, 1)).toEqual([]);
    expect(before.messages).toHaveLength(10_000);
  });

  it('merges a page of older messages and repeats into place in one step', () => {
    const state = fold(
      [20, 21, 22].map((seq) => ({ type: 'message', message: message(seq) }) as RoomEvent),
    );
    const merged = applyRoomEvents(
      state,
      [22, 5, 19, 5, 23, 1].map(
        (seq) => ({ type: 'message', message: message(seq, CY) }) as RoomEvent,
      ),
      0,
    );
    expect(merged.messages.map((m) => m.seq)).toEqual([1, 5, 19, 20, 21, 22, 23]);
    // A seq already held keeps its first message.
    expect(merged.messages.find((m) => m.seq === 22)!.from).toEqual(BOB);
    expect(applyRoomEvents(state, [], 0)).toBe(state);
  });
});
