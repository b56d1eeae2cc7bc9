import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  applyChange,
  applyChanges,
  isMessageChange,
  reactionCounts,
  reactsWith,
  type MessageChange,
} from '../../../protocol/client/message-state';
import type { Entry, SystemEntry, TextEntry } from '../../../protocol/wire/entries';

const ADA = { id: 'u_ada', name: 'ada' };
const BOB = { id: 'u_bob', name: 'bob' };
const at = { conv: 'general', from: ADA, ts: 1_000 };

const text = (seq: number, body: string, extra: Partial<TextEntry> = {}): TextEntry => ({
  ...at,
  seq,
  id: `t${seq}`,
  kind: 'text',
  text: body,
  ...extra,
});
const edit = (seq: number, target: number, body: string): MessageChange => ({
  ...at,
  seq,
  id: `e${seq}`,
  ts: 1_000 + seq,
  kind: 'edit',
  target,
  text: body,
});
const del = (seq: number, target: number): MessageChange => ({
  ...at,
  seq,
  id: `d${seq}`,
  kind: 'delete',
  target,
});
const react = (
  seq: number,
  target: number,
  emoji: string,
  on: boolean,
  from = BOB,
): MessageChange => ({ ...at, from, seq, id: `r${seq}`, kind: 'reaction', target, emoji, on });
const system: SystemEntry = {
  ...at,
  seq: 2,
  id: 's2',
  kind: 'system',
  event: 'joined_channel',
  by: ADA,
};

describe('message state', () => {
  it('an edit replaces the text and says when; a later edit wins', () => {
    const once = applyChange(text(1, 'helo'), edit(2, 1, 'hello'));
    expect(once).toMatchObject({ text: 'hello', edited: 1_002 });
    expect(applyChange(once, edit(3, 1, 'hello!'))).toMatchObject({
      text: 'hello!',
      edited: 1_003,
    });
  });

  it('a deletion empties the message for good: text, files, reactions gone; later changes ignored', () => {
    const file = {
      id: 'f',
      name: 'a.png',
      size: 1,
      mime: 'image/png',
      url: '/api/files/f/c/a.png',
    };
    const rich = text(1, 'secret', { files: [file], reactions: { '👍': [BOB.id] }, edited: 5 });
    const deleted = applyChange(rich, del(2, 1));
    expect(deleted).toEqual({ ...at, seq: 1, id: 't1', kind: 'text', text: '', deleted: true });
    expect(applyChange(deleted, edit(3, 1, 'back'))).toBe(deleted);
    expect(applyChange(deleted, react(4, 1, '👍', true))).toBe(deleted);
  });

  it('reactions count each person once per emoji, in the order they reacted, and can be taken back', () => {
    let message = text(1, 'hi');
    message = applyChange(message, react(2, 1, '👍', true, BOB));
    message = applyChange(message, react(3, 1, '👍', true, BOB));
    message = applyChange(message, react(4, 1, '👍', true, ADA));
    message = applyChange(message, react(5, 1, '🎉', true, ADA));
    expect(message.reactions).toEqual({ '👍': [BOB.id, ADA.id], '🎉': [ADA.id] });
    expect(reactionCounts(message)).toEqual([
      { emoji: '👍', count: 2, peers: [BOB.id, ADA.id] },
      { emoji: '🎉', count: 1, peers: [ADA.id] },
    ]);
    expect(reactsWith(message, '🎉', ADA.id)).toBe(true);
    message = applyChange(message, react(6, 1, '🎉', false, ADA));
    message = applyChange(message, react(7, 1, '👍', false, BOB));
    message = applyChange(message, react(8, 1, '👍', false, ADA));
    expect(message.reactions).toBeUndefined();
    expect(reactsWith(message, '👍', BOB.id)).toBe(false);
  });

  it('returns the same object when a change changes nothing (or targets another message)', () => {
    const message = text(1, 'hi', { reactions: { '👍': [BOB.id] } });
    expect(applyChange(message, react(2, 1, '👍', true, BOB))).toBe(message);
    expect(applyChange(message, react(3, 1, '👎', false, BOB))).toBe(message);
    expect(applyChange(message, edit(4, 9, 'other'))).toBe(message);
    expect(applyChange(message, { ...edit(5, 1, 'x'), conv: 'c_other' })).toBe(message);
  });

  it('folds changes into a seq-sorted list, skipping targets not held and non-text entries', () => {
    const entries = [text(1, 'a'), system, text(3, 'c')];
    const changed = applyChanges(entries, [edit(6, 3, 'C'), react(5, 2, '👍', true), del(4, 99)]);
    expect(changed).not.toBe(entries);
    expect(changed[0]).toBe(entries[0]);
    expect(changed[1]).toBe(system);
    expect(changed[2]).toMatchObject({ seq: 3, text: 'C', edited: 1_006 });
    expect(applyChanges(entries, [del(7, 42)])).toBe(entries);
  });

  it('tells change entries from the others', () => {
    const entries: Entry[] = [
      text(1, 'a'),
      system,
      edit(3, 1, 'b'),
      del(4, 1),
      react(5, 1, 'x', true),
    ];
    expect(entries.filter(isMessageChange).map((entry) => entry.kind)).toEqual([
      'edit',
      'delete',
      'reaction',
    ]);
  });

  it('is idempotent: a log folded twice (a catchup after live entries) ends as folded once', () => {
    const change = fc.oneof(
      fc.record({ kind: fc.constant('edit' as const), text: fc.string({ maxLength: 3 }) }),
      fc.record({ kind: fc.constant('delete' as const) }),
      fc.record({
        kind: fc.constant('reaction' as const),
        emoji: fc.constantFrom('👍', '🎉'),
        on: fc.boolean(),
        who: fc.constantFrom(ADA, BOB),
      }),
    );
    fc.assert(
      fc.property(fc.array(change, { maxLength: 12 }), (specs) => {
        const changes = specs.map((spec, index): MessageChange => {
          const seq = index + 2;
          if (spec.kind === 'edit') return edit(seq, 1, spec.text);
          if (spec.kind === 'delete') return del(seq, 1);
          return react(seq, 1, spec.emoji, spec.on, spec.who);
        });
        const once = applyChanges([text(1, 'start')], changes);
        // Folded again, the text, the deletion and who reacts with what are the same; only a
        // reaction taken back and given again in the log moves to the end of its list (the fold
        // cannot tell that the state already holds it), so who reacted is compared as a set.
        expect(withReactorsSorted(applyChanges(once, changes))).toEqual(withReactorsSorted(once));
        // Live one by one, or all at once: the same state.
        let live: readonly TextEntry[] = [text(1, 'start')];
        for (const item of changes) live = applyChanges(live, [item]);
        expect(live).toEqual(once);
      }),
    );
  });
});

function withReactorsSorted(entries: readonly TextEntry[]): TextEntry[] {
  return entries.map((entry) =>
    entry.reactions
      ? {
          ...entry,
          reactions: Object.fromEntries(
            Object.entries(entry.reactions).map(([emoji, peers]) => [emoji, [...peers].sort()]),
          ),
        }
      : entry,
  );
}
