import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConversationView, RoomEvent, RoomSummary } from '../../protocol/bridge';
import { readableFingerprint } from '../../protocol/client/fingerprint';
import type { Entry, PeerV2, TextEntry } from '../../protocol/wire/entries';
import {
  TYPING_EXPIRY_MS,
  activeTypers,
  applyRoomEvent,
  applyRoomEvents,
  createRoomState,
  currentConversation,
  dismissNotices,
  insertEntries,
  logOf,
  nextTypingExpiry,
  olderBeforeSeq,
  selectConversation,
  typingIn,
  withConversation,
} from '../../renderer/room-state';
import type { RoomState } from '../../renderer/room-state';
import { GENERAL_VIEW, channelView, directView, summaryOf, systemEntry } from './helpers/entries';

const ADA: PeerV2 = { id: 'a', name: 'Ada' };
const BOB: PeerV2 = { id: 'b', name: 'Bob' };
const CY: PeerV2 = { id: 'c', name: 'Cy' };
const DESIGN = channelView({ id: 'c_design', name: 'design', lastSeq: 4 });
const WITH_BOB = directView({ id: 'd_bob', peer: BOB });
const SUMMARY: RoomSummary = summaryOf([ADA, BOB], {
  conversations: [GENERAL_VIEW, DESIGN, WITH_BOB],
});

const text = (seq: number, from: PeerV2 = BOB, conv = 'general'): TextEntry => ({
  seq,
  conv,
  id: `id-${conv}-${seq}`,
  from,
  ts: 1_000 * seq,
  kind: 'text',
  text: `m${seq}`,
});
const entry = (seq: number, from?: PeerV2, conv?: string): RoomEvent => ({
  type: 'entry',
  entry: text(seq, from, conv),
});
const seqsOf = (state: RoomState, conv = 'general') =>
  logOf(state, conv).entries.map((shown) => shown.seq);

function fold(
  events: RoomEvent[],
  state: RoomState = createRoomState(SUMMARY),
  now = 0,
): RoomState {
  return events.reduce((current, event) => applyRoomEvent(current, event, now), state);
}

describe('room state', () => {
  it('starts from a summary: room, self, people, conversations, with general on screen', () => {
    const state = createRoomState(SUMMARY);
    expect(state).toMatchObject({
      connection: 'open',
      room: SUMMARY.room,
      self: ADA,
      peers: [ADA, BOB],
      peerCount: 2,
      conversations: [GENERAL_VIEW, DESIGN, WITH_BOB],
      current: 'general',
    });
    expect(currentConversation(state)).toEqual(GENERAL_VIEW);
    expect(createRoomState().connection).toBe('connecting');
    // What each conversation held on entering is history, not news.
    expect(logOf(state, 'c_design').historySeq).toBe(4);
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

  it('keeps each conversation’s entries unique and in seq order, however they arrive', () => {
    const state = fold([
      ...[3, 1, 2, 3, 5, 4, 1].map((seq) => entry(seq)),
      entry(2, ADA, 'c_design'),
      entry(1, BOB, 'c_design'),
    ]);
    expect(seqsOf(state)).toEqual([1, 2, 3, 4, 5]);
    expect(seqsOf(state, 'c_design')).toEqual([1, 2]);
    expect(insertEntries(state, [text(1), text(2)])).toBe(state);
  });

  it('shows text and system entries, and sees edits, deletions and reactions without showing them', () => {
    const created = systemEntry({
      seq: 1,
      conv: 'c_design',
      by: BOB,
      ts: 1,
      event: 'channel_created',
      name: 'design',
    });
    const later: Entry[] = [
      { seq: 3, conv: 'c_design', id: 'e', from: BOB, ts: 3, kind: 'edit', target: 2, text: 'x' },
      {
        seq: 4,
        conv: 'c_design',
        id: 'r',
        from: ADA,
        ts: 4,
        kind: 'reaction',
        target: 2,
        emoji: '👍',
        on: true,
      },
      { seq: 5, conv: 'c_design', id: 'd', from: BOB, ts: 5, kind: 'delete', target: 2 },
    ];
    const state = fold(
      [created, text(2, BOB, 'c_design'), ...later].map((shown) => ({
        type: 'entry',
        entry: shown,
      })),
    );
    expect(logOf(state, 'c_design').entries.map((shown) => shown.kind)).toEqual(['system', 'text']);
    // A page of nothing but reactions still counts as seen: older ones are asked for below it.
    const reactions = fold(
      later.map((seen) => ({ type: 'entry', entry: { ...seen, conv: 'd_bob' } }) as RoomEvent),
    );
    expect(logOf(reactions, 'd_bob').entries).toEqual([]);
    expect(olderBeforeSeq(reactions, 'd_bob')).toBe(3);
  });

  it('adds a page of older entries in one step and knows when none are left', () => {
    let state = fold([entry(101), entry(102)]);
    expect(olderBeforeSeq(state)).toBe(101);
    state = insertEntries(
      state,
      Array.from({ length: 100 }, (_, i) => text(i + 1)),
    );
    expect(seqsOf(state)).toHaveLength(102);
    expect(seqsOf(state)[0]).toBe(1);
    expect(olderBeforeSeq(state)).toBeUndefined();
    expect(olderBeforeSeq(createRoomState(SUMMARY), 'c_design')).toBeUndefined();
  });

  it('tracks presence: joins and leaves change the people and leave a line in general', () => {
    const state = fold([
      entry(1),
      { type: 'joined', peer: CY },
      { type: 'joined', peer: CY },
      entry(2, CY),
      entry(9, CY, 'c_design'),
      { type: 'left', peer: BOB },
    ]);
    expect(state.peers).toEqual([ADA, CY]);
    expect(state.peerCount).toBe(2);
    expect(state.presence.map((line) => [line.kind, line.peer.name, line.afterSeq])).toEqual([
      ['joined', 'Cy', 1],
      ['joined', 'Cy', 1],
      ['left', 'Bob', 2],
    ]);
    expect(new Set(state.presence.map((line) => line.key)).size).toBe(3);
  });

  it('shows someone typing in one conversation for a few seconds, until they post there or leave', () => {
    let state = fold(
      [{ type: 'typing', conv: 'c_design', peer: BOB }],
      createRoomState(SUMMARY),
      10_000,
    );
    expect(activeTypers({ typing: typingIn(state, 'c_design') }, 10_000)).toEqual([BOB]);
    expect(activeTypers({ typing: typingIn(state, 'general') }, 10_000)).toEqual([]);
    expect(nextTypingExpiry({ typing: typingIn(state, 'c_design') }, 10_000)).toBe(
      10_000 + TYPING_EXPIRY_MS,
    );
    expect(
      activeTypers({ typing: typingIn(state, 'c_design') }, 10_000 + TYPING_EXPIRY_MS),
    ).toEqual([]);
    expect(TYPING_EXPIRY_MS).toBeGreaterThanOrEqual(3000);
    expect(TYPING_EXPIRY_MS).toBeLessThanOrEqual(4000);

    // Posting elsewhere does not end it; posting there does.
    state = applyRoomEvent(state, entry(1, BOB, 'general'), 10_500);
    expect(activeTypers({ typing: typingIn(state, 'c_design') }, 10_500)).toEqual([BOB]);
    state = applyRoomEvent(state, entry(5, BOB, 'c_design'), 10_500);
    expect(activeTypers({ typing: typingIn(state, 'c_design') }, 10_500)).toEqual([]);

    state = fold(
      [
        { type: 'typing', conv: 'd_bob', peer: CY },
        { type: 'left', peer: CY },
      ],
      state,
      11_000,
    );
    expect(activeTypers({ typing: typingIn(state, 'd_bob') }, 11_000)).toEqual([]);
    // Your own typing echo (should a host send one) is not shown to you.
    state = applyRoomEvent(state, { type: 'typing', conv: 'general', peer: ADA }, 12_000);
    expect(activeTypers({ typing: typingIn(state, 'general') }, 12_000)).toEqual([]);
  });

  it('opens the conversations this person is in, and returns to general when one is left', () => {
    const notJoined = channelView({ id: 'c_random', name: 'random', member: false });
    let state = createRoomState({
      ...SUMMARY,
      conversations: [...SUMMARY.conversations, notJoined],
    });
    expect(selectConversation(state, 'c_random')).toBe(state);
    expect(selectConversation(state, 'c_nowhere')).toBe(state);
    state = selectConversation(state, 'c_design');
    expect(currentConversation(state)?.name).toBe('design');
    state = fold([{ type: 'openConversation', conv: 'd_bob' }], state);
    expect(state.current).toBe('d_bob');

    // Left from another device: the channel can no longer be on screen.
    state = selectConversation(state, 'c_design');
    state = fold(
      [
        {
          type: 'conversations',
          conversations: [GENERAL_VIEW, { ...DESIGN, member: false }, WITH_BOB],
        },
      ],
      state,
    );
    expect(state.current).toBe('general');
  });

  it('knows a conversation a request answered before the conversations event lists it', () => {
    const newChannel = channelView({ id: 'c_new', name: 'new', lastSeq: 1 });
    const state = selectConversation(
      withConversation(createRoomState(SUMMARY), newChannel),
      'c_new',
    );
    expect(state.current).toBe('c_new');
    expect(state.conversations.map((view) => view.id)).toEqual([
      'general',
      'c_design',
      'd_bob',
      'c_new',
    ]);
    // Its log up to then is history; the view is replaced, not repeated, when it changes.
    expect(logOf(state, 'c_new').historySeq).toBe(1);
    const topic: ConversationView = { ...newChannel, topic: 'news' };
    expect(withConversation(state, topic).conversations.filter((v) => v.id === 'c_new')).toEqual([
      topic,
    ]);
  });

  it('starts afresh when the host runs a different room, keeping the outbox', () => {
    const outbox = [{ id: 'o1', conv: 'general', text: 'pending', state: 'pending' as const }];
    const state = fold([
      entry(1),
      { type: 'openConversation', conv: 'c_design' },
      { type: 'joined', peer: CY },
      { type: 'outbox', outbox },
      { type: 'gap', conv: 'general' },
      { type: 'roomChanged', previous: SUMMARY.room, current: { id: 'r2', name: 'New' } },
    ]);
    expect(state.logs.size).toBe(0);
    expect(state.presence).toEqual([]);
    expect(state.outbox).toBe(outbox);
    expect(state.room).toEqual({ id: 'r2', name: 'New' });
    expect(state.current).toBe('general');
    expect(state.gaps.size).toBe(0);
    expect(state.roomChange?.previous.name).toBe('Lab');
    expect(dismissNotices(state).roomChange).toBeUndefined();
  });

  it('records gaps per conversation, connection states and the end; an error leaves the room as it was', () => {
    const open = createRoomState(SUMMARY);
    expect(
      applyRoomEvent(open, { type: 'error', code: 'rate_limited', message: 'slow down' }, 5),
    ).toBe(open);
    const state = fold(
      [
        { type: 'state', state: 'reconnecting' },
        { type: 'gap', conv: 'c_design' },
        { type: 'error', code: 'rate_limited', message: 'slow down' },
        { type: 'typing', conv: 'general', peer: BOB },
        { type: 'ended', reason: { code: 'replaced', message: 'elsewhere' } },
      ],
      createRoomState(SUMMARY),
      5,
    );
    expect([...state.gaps]).toEqual(['c_design']);
    expect(dismissNotices(state).gaps.size).toBe(0);
    expect(state.connection).toBe('closed');
    expect(state.ended).toEqual({ code: 'replaced', message: 'elsewhere' });
    expect(state.typing.size).toBe(0);
  });

  it('never changes a state it was given', () => {
    const before = createRoomState(SUMMARY);
    const snapshot = structuredClone(before);
    fold(
      [
        entry(1),
        entry(1, BOB, 'c_design'),
        { type: 'joined', peer: CY },
        { type: 'typing', conv: 'general', peer: BOB },
        { type: 'gap', conv: 'general' },
        { type: 'conversations', conversations: [GENERAL_VIEW] },
      ],
      before,
    );
    expect(before).toEqual(snapshot);
  });
});

/** Any event a room can see, with seqs, peers and conversations drawn from small pools. */
const peerArb = fc.constantFrom(ADA, BOB, CY);
const convArb = fc.constantFrom('general', 'c_design', 'd_bob');
const eventArb: fc.Arbitrary<RoomEvent> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .record({
        seq: fc.integer({ min: 1, max: 40 }),
        from: peerArb,
        conv: convArb,
        reaction: fc.boolean(),
      })
      .map(({ seq, from, conv, reaction }): RoomEvent => ({
        type: 'entry',
        entry: reaction
          ? {
              seq,
              conv,
              id: `r${seq}`,
              from,
              ts: seq,
              kind: 'reaction',
              target: 1,
              emoji: '🎉',
              on: true,
            }
          : text(seq, from, conv),
      })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(peerArb, convArb)
      .map(([peer, conv]) => ({ type: 'typing' as const, conv, peer })),
  },
  { weight: 1, arbitrary: peerArb.map((peer) => ({ type: 'joined' as const, peer })) },
  { weight: 1, arbitrary: peerArb.map((peer) => ({ type: 'left' as const, peer })) },
  { weight: 1, arbitrary: convArb.map((conv) => ({ type: 'openConversation' as const, conv })) },
  { weight: 1, arbitrary: convArb.map((conv) => ({ type: 'gap' as const, conv })) },
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
        id: `id-general-${i + 1}`,
        conv: 'general',
        text: 'x',
        state: 'pending' as const,
      })),
    })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<RoomEvent>(
      { type: 'error', code: 'rate_limited', message: 'slow down' },
      { type: 'notice', code: 'not_advertised', message: 'hidden' },
      { type: 'roomChanged', previous: SUMMARY.room, current: { id: 'r2', name: 'Other' } },
      { type: 'summary', summary: SUMMARY },
      { type: 'conversations', conversations: [GENERAL_VIEW, { ...DESIGN, unread: 3 }] },
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

  it('adds a frame of live entries to 10,000 held ones, keeping every held entry as it was', () => {
    const held = Array.from({ length: 10_000 }, (_, index) => text(index + 1));
    const before = insertEntries(createRoomState(SUMMARY), held);
    const live = Array.from({ length: 8 }, (_, index) => entry(10_001 + index, CY));
    const typing = applyRoomEvent(before, { type: 'typing', conv: 'general', peer: CY }, 0);
    const after = applyRoomEvents(typing, [...live, entry(1, BOB, 'c_design')], 1);
    const entries = logOf(after, 'general').entries;
    expect(entries).toHaveLength(10_008);
    expect(entries.slice(0, 10_000).every((shown, index) => shown === held[index])).toBe(true);
    expect(entries.slice(10_000).map((shown) => shown.seq)).toEqual(
      live.map((event) => (event.type === 'entry' ? event.entry.seq : 0)),
    );
    // Cy posted, so Cy no longer shows as typing.
    expect(activeTypers({ typing: typingIn(after, 'general') }, 1)).toEqual([]);
    expect(logOf(before, 'general').entries).toHaveLength(10_000);
    expect(seqsOf(after, 'c_design')).toEqual([1]);
  });

  it('merges a page of older entries and repeats into place in one step', () => {
    const state = fold([20, 21, 22].map((seq) => entry(seq)));
    const merged = applyRoomEvents(
      state,
      [22, 5, 19, 5, 23, 1].map((seq) => entry(seq, CY)),
      0,
    );
    expect(seqsOf(merged)).toEqual([1, 5, 19, 20, 21, 22, 23]);
    // A seq already held keeps its first entry.
    expect(logOf(merged, 'general').entries.find((shown) => shown.seq === 22)!.from).toEqual(BOB);
    expect(applyRoomEvents(state, [], 0)).toBe(state);
  });
});
