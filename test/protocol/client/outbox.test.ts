import { describe, expect, it } from 'vitest';
import { Outbox } from '../../../protocol/client/outbox';

const post = (id: string, text: string) => ({ id, conv: 'general', text });

describe('Outbox', () => {
  it('keeps posting order, and sends only what is pending and not in flight', () => {
    const outbox = new Outbox();
    outbox.add(post('a', 'one'));
    outbox.add({ id: 'b', conv: 'c_crew', text: 'two', replyTo: 4 });
    outbox.add(post('c', 'three'));
    outbox.markSent('a');
    outbox.fail('c', 'too_long');
    expect(outbox.unsent()).toEqual([{ id: 'b', conv: 'c_crew', text: 'two', replyTo: 4 }]);
    expect(outbox.pendingCount()).toBe(2);
    expect(outbox.list()).toEqual([
      { id: 'a', conv: 'general', text: 'one', state: 'pending' },
      { id: 'b', conv: 'c_crew', text: 'two', replyTo: 4, state: 'pending' },
      { id: 'c', conv: 'general', text: 'three', state: 'failed', error: 'too_long' },
    ]);
  });

  it('puts everything back in line when a connection ends', () => {
    const outbox = new Outbox();
    outbox.add(post('a', 'one'));
    outbox.add(post('b', 'two'));
    outbox.markSent('a');
    outbox.markSent('b');
    expect(outbox.unsent()).toEqual([]);
    outbox.markAllUnsent();
    expect(outbox.unsent().map((entry) => entry.id)).toEqual(['a', 'b']);
  });

  it('names the entry sent last, which is not always the one posted last', () => {
    const outbox = new Outbox();
    outbox.add(post('a', 'one'));
    outbox.add(post('b', 'two'));
    outbox.markSent('b');
    outbox.markSent('a');
    expect(outbox.lastInFlight()).toBe('a');
  });

  it('revives only failed entries and forgets settled ones', () => {
    const outbox = new Outbox();
    outbox.add(post('a', 'one'));
    expect(outbox.revive('a')).toBe(false);
    outbox.fail('a', 'bad_message');
    expect(outbox.revive('a')).toBe(true);
    expect(outbox.get('a')).toEqual({ id: 'a', conv: 'general', text: 'one', state: 'pending' });
    expect(outbox.settle('a')).toBe(true);
    expect(outbox.settle('a')).toBe(false);
    expect(outbox.list()).toEqual([]);
  });
});
