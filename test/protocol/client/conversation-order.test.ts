import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConversationOrder } from '../../../protocol/client/conversation-order';
import { text } from './support/scripted-host';

const CONVS = ['general', 'c_crew', 'd_pair'];

describe('ConversationOrder', () => {
  it('delivers each conversation once and in order, however their entries interleave and repeat', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...CONVS), fc.integer({ min: 1, max: 15 })), {
          maxLength: 150,
        }),
        fc.integer({ min: 1, max: 15 }),
        (noise, count) => {
          const order = new ConversationOrder();
          const complete = CONVS.flatMap((conv) =>
            Array.from({ length: count }, (_, i) => [conv, i + 1] as const),
          );
          const arrivals = [...noise.filter(([, seq]) => seq <= count), ...complete];
          const delivered = arrivals.flatMap(
            ([conv, seq]) => order.accept(text(seq, 'x', { conv })).items,
          );
          for (const conv of CONVS) {
            const seqs = delivered.filter((entry) => entry.conv === conv).map((e) => e.seq);
            expect(seqs).toEqual(Array.from({ length: count }, (_, i) => i + 1));
          }
        },
      ),
    );
  });

  it('resumes from cursors, reports them, and ignores entries of other conversations in a catchup', () => {
    const order = new ConversationOrder({ general: 4 });
    expect(order.accept(text(4, 'seen')).items).toEqual([]);
    const delivery = order.acceptCatchup('c_crew', [
      text(2, 'crew', { conv: 'c_crew' }),
      text(5, 'stray', { conv: 'general' }),
    ]);
    expect(delivery.items.map((entry) => entry.id)).toEqual(['c_crew-2']);
    expect(order.cursors()).toEqual({ general: 4, c_crew: 2 });
    order.clamp('general', 1);
    order.clamp('c_crew', 7);
    expect(order.cursors()).toEqual({ general: 1, c_crew: 2 });
    order.clear();
    expect(order.cursors()).toEqual({});
    expect(order.cursor('general')).toBeUndefined();
  });
});
