/**
 * Edits, deletions and reactions as the renderer folds them: into the conversation's log (the
 * same objects for what did not change) and into the rows the incremental timeline keeps.
 */
import { describe, expect, it } from 'vitest';
import type { RoomEvent } from '../../protocol/bridge';
import type { Entry, PeerV2 } from '../../protocol/wire/entries';
import { applyRoomEvents, createRoomState, logOf } from '../../renderer/room-state';
import type { RoomState } from '../../renderer/room-state';
import { TimelineBuilder, buildTimeline } from '../../renderer/timeline';
import type { TimelineInput } from '../../renderer/timeline';
import { summaryOf, textEntry } from './helpers/entries';

const ADA: PeerV2 = { id: 'a', name: 'Ada' };
const BOB: PeerV2 = { id: 'b', name: 'Bob' };
const TS = Date.now();

const entry = (init: Record<string, unknown>): RoomEvent =>
  ({
    type: 'entry',
    entry: { conv: 'general', ts: TS, from: BOB, ...init },
  }) as unknown as RoomEvent;
const text = (seq: number, words: string): RoomEvent => ({
  type: 'entry',
  entry: textEntry({ seq, from: seq % 2 ? BOB : ADA, text: words, ts: TS }),
});

const inputOf = (state: RoomState): TimelineInput => {
  const log = logOf(state, 'general');
  return {
    entries: log.entries,
    presence: [],
    outbox: [],
    self: ADA,
    revision: log.revision,
    recent: log.recent,
  };
};

const shownTexts = (input: TimelineInput) =>
  buildTimeline(input).flatMap((row) => (row.kind === 'message' ? [row.message] : []));

describe('message changes in the renderer', () => {
  it('folds edits, deletions and reactions into the messages the log holds', () => {
    const start = applyRoomEvents(
      createRoomState(summaryOf([ADA, BOB])),
      [text(1, 'one'), text(2, 'two'), text(3, 'three')],
      TS,
    );
    const before = logOf(start, 'general').entries;
    const state = applyRoomEvents(
      start,
      [
        entry({ seq: 4, id: 'e4', kind: 'edit', target: 1, text: 'one!' }),
        entry({ seq: 5, id: 'd5', from: ADA, kind: 'delete', target: 2 }),
        entry({ seq: 6, id: 'r6', from: ADA, kind: 'reaction', target: 3, emoji: '🎉', on: true }),
        entry({ seq: 7, id: 'r7', kind: 'reaction', target: 3, emoji: '🎉', on: true }),
        entry({ seq: 8, id: 'r8', from: ADA, kind: 'reaction', target: 3, emoji: '🎉', on: false }),
        // A change to a message not held is left for the history that brings it, current.
        entry({ seq: 9, id: 'e9', kind: 'edit', target: 99, text: 'nobody' }),
      ],
      TS,
    );
    const log = logOf(state, 'general');
    const [one, two, three] = log.entries as Entry[];
    expect(one).toMatchObject({ seq: 1, text: 'one!', edited: TS });
    expect(two).toMatchObject({ seq: 2, text: '', deleted: true });
    expect(three).toMatchObject({ seq: 3, text: 'three', reactions: { '🎉': ['b'] } });
    // Only messages are shown: the change entries are not rows of their own.
    expect(log.entries.map((shown) => shown.seq)).toEqual([1, 2, 3]);
    expect(log.revision).toBe(5);
    expect(log.recent.map((change) => change.seq)).toEqual([1, 2, 3, 3, 3]);
    // What nothing changed keeps its object; the log before is untouched.
    expect(before.map((shown) => ('text' in shown ? shown.text : ''))).toEqual([
      'one',
      'two',
      'three',
    ]);
  });

  it('redoes only the changed rows in the incremental timeline, ending where a rebuild ends', () => {
    const builder = new TimelineBuilder();
    let state = applyRoomEvents(
      createRoomState(summaryOf([ADA, BOB])),
      Array.from({ length: 30 }, (_, index) => text(index + 1, `m${index + 1}`)),
      TS,
    );
    const first = builder.rows(inputOf(state));
    state = applyRoomEvents(
      state,
      [
        entry({ seq: 31, id: 'e31', kind: 'edit', target: 29, text: 'edited' }),
        text(32, 'new one'),
      ],
      TS,
    );
    const second = builder.rows(inputOf(state));
    expect(second).toEqual(buildTimeline(inputOf(state)));
    const messages = second.flatMap((row) => (row.kind === 'message' ? [row] : []));
    expect(messages.find((row) => row.message.seq === 29)?.message.text).toBe('edited');
    // Rows nothing changed are the very same objects as before.
    expect(second[1]).toBe(first[1]);
    expect(shownTexts(inputOf(state)).map((message) => message.seq)).toContain(32);
  });
});
