import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MessageOrder } from '../../../protocol/client/message-order';
import type { ChatMessage } from '../../../protocol/wire/frames';

const message = (seq: number): ChatMessage => ({
  seq,
  id: `m${seq}`,
  from: { id: 'p', name: 'bob' },
  text: `text ${seq}`,
  ts: seq,
});
const seqs = (messages: ChatMessage[]) => messages.map((m) => m.seq);

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
          const delivered = arrivals.flatMap((seq) => order.accept(message(seq)).messages);
          expect(seqs(delivered)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
        },
      ),
    );
  });

  it('delivers welcome history after a hole, skips what was seen, and continues after lastSeq', () => {
    const order = new MessageOrder();
    expect(seqs(order.acceptWelcome([message(50), message(51)], 51))).toEqual([50, 51]);
    expect(seqs(order.acceptWelcome([message(51), message(52), message(53)], 53))).toEqual([
      52, 53,
    ]);
    expect(order.lastSeq).toBe(53);
    expect(seqs(order.accept(message(54)).messages)).toEqual([54]);
  });

  it('releases held messages a welcome makes current', () => {
    const order = new MessageOrder();
    order.acceptWelcome([], 1);
    expect(order.accept(message(4)).messages).toEqual([]);
    expect(seqs(order.acceptWelcome([message(2)], 3))).toEqual([2, 4]);
  });

  it('stops holding messages behind a hole that never fills', () => {
    const order = new MessageOrder(3);
    expect(order.accept(message(3)).messages).toEqual([]);
    expect(order.accept(message(4)).messages).toEqual([]);
    expect(order.accept(message(5)).messages).toEqual([]);
    const delivery = order.accept(message(6));
    expect(delivery.skipped).toBe(true);
    expect(seqs(delivery.messages)).toEqual([3, 4, 5, 6]);
    expect(seqs(order.accept(message(7)).messages)).toEqual([7]);
  });

  it('starts over on reset', () => {
    const order = new MessageOrder();
    order.acceptWelcome([message(9)], 9);
    order.reset();
    expect(seqs(order.accept(message(1)).messages)).toEqual([1]);
  });
});
