import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MessageOrder } from '../../../protocol/client/message-order';

const message = (seq: number) => ({ seq, text: `text ${seq}` });
const seqs = (items: { seq: number }[]) => items.map((item) => item.seq);

describe('MessageOrder', () => {
  it('delivers every seq once and in order, whatever order and repeats they arrive in', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 200 }),
        fc.integer({ min: 1, max: 40 }),
        (noise, count) => {
          const order = new MessageOrder();
          const arrivals = [
            ...noise.filter((seq) => seq <= count),
            ...Array.from({ length: count }, (_, i) => i + 1),
          ];
          const delivered = arrivals.flatMap((seq) => order.accept(message(seq)).items);
          expect(seqs(delivered)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
        },
      ),
    );
  });

  it('delivers a catchup after a hole, skips what was seen, and continues after it', () => {
    const order = new MessageOrder<{ seq: number }>();
    const first = order.acceptBatch([message(51), message(50)]);
    expect(seqs(first.items)).toEqual([50, 51]);
    // Nothing delivered before: starting at 50 is a fresh start, not a hole.
    expect(first.skipped).toBe(false);
    expect(seqs(order.acceptBatch([message(51), message(52), message(53)]).items)).toEqual([
      52, 53,
    ]);
    expect(order.lastSeq).toBe(53);
    expect(seqs(order.accept(message(54)).items)).toEqual([54]);
  });

  it('tells a catchup that starts past what was delivered', () => {
    const order = new MessageOrder<{ seq: number }>(1000, 10);
    const delivery = order.acceptBatch([message(20)]);
    expect(delivery).toEqual({ items: [message(20)], skipped: true });
  });

  it('releases held entries a catchup makes current', () => {
    const order = new MessageOrder<{ seq: number }>(1000, 1);
    expect(order.accept(message(4)).items).toEqual([]);
    expect(seqs(order.acceptBatch([message(2), message(3)]).items)).toEqual([2, 3, 4]);
  });

  it('stops holding entries behind a hole that never fills', () => {
    const order = new MessageOrder<{ seq: number }>(3);
    expect(order.accept(message(3)).items).toEqual([]);
    expect(order.accept(message(4)).items).toEqual([]);
    expect(order.accept(message(5)).items).toEqual([]);
    const delivery = order.accept(message(6));
    expect(delivery.skipped).toBe(true);
    expect(seqs(delivery.items)).toEqual([3, 4, 5, 6]);
    expect(seqs(order.accept(message(7)).items)).toEqual([7]);
  });

  it('starts over on reset', () => {
    const order = new MessageOrder<{ seq: number }>();
    order.acceptBatch([message(9)]);
    order.reset();
    expect(seqs(order.accept(message(1)).items)).toEqual([1]);
  });
});
