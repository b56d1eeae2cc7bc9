import { describe, expect, it } from 'vitest';
import { Outbox } from '../../../protocol/client/outbox';

const post = (id: string, text: string) => ({ type: 'say' as const, id, conv: 'general', text });

describe('Outbox', () => {
  it('keeps posting order, and sends only what is pending and not in flight', () => {
    const outbox = new Outbox();
    outbox.add(post('a', 'one'));
    outbox.add({ type: 'say', id: 'b', conv: 'c_crew', text: 'two', replyTo: 4 });
    outbox.add(post('c', 'three'));
    outbox.markSent('a');
    outbox.fail('c', 'too_long');
    expect(outbox.unsent()).toEqual([
      { type: 'say', id: 'b', conv: 'c_crew', text: 'two', replyTo: 4 },
    ]);
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

  it('keeps edits, deletions and reactions beside messages: same order, listed apart', () => {
    const outbox = new Outbox();
    outbox.add(post('a', 'one'));
    outbox.add({ type: 'edit', id: 'e', conv: 'general', target: 3, text: 'fixed' });
    outbox.add({ type: 'react', id: 'r', conv: 'general', target: 3, emoji: '👍', on: true });
    outbox.add({ type: 'delete', id: 'd', conv: 'general', target: 4 });
    outbox.fail('r', 'not_allowed');
    expect(outbox.unsent().map((entry) => entry.type)).toEqual(['say', 'edit', 'delete']);
    expect(outbox.list()).toEqual([{ id: 'a', conv: 'general', text: 'one', state: 'pending' }]);
    expect(outbox.changes()).toEqual([
      { kind: 'edit', id: 'e', conv: 'general', target: 3, text: 'fixed', state: 'pending' },
      {
        kind: 'react',
        id: 'r',
        conv: 'general',
        target: 3,
        emoji: '👍',
        on: true,
        state: 'failed',
        error: 'not_allowed',
      },
      { kind: 'delete', id: 'd', conv: 'general', target: 4, state: 'pending' },
    ]);
    expect(outbox.get('e')).toBeUndefined();
    expect(outbox.getChange('a')).toBeUndefined();
    expect(outbox.pendingCount()).toBe(3);
  });
});
