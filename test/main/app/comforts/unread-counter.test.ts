import { describe, expect, it } from 'vitest';
import { badgeText, unreadTotals, windowTitle } from '../../../../main/app/comforts/unread-counter';
import type { ConversationView } from '../../../../protocol/bridge';

const view = (id: string, unread: number, mentioned = false): ConversationView => ({
  id,
  kind: 'channel',
  member: true,
  lastSeq: 10,
  readSeq: 10 - unread,
  unread,
  mentioned,
  muted: false,
});

describe('unreadTotals', () => {
  it('sums the unread messages of every conversation and counts those that mention the person', () => {
    expect(unreadTotals([])).toEqual({ count: 0, mentions: 0 });
    expect(
      unreadTotals([view('general', 2), view('c_design', 5, true), view('d_bob', 1, true)]),
    ).toEqual({ count: 8, mentions: 2 });
  });

  it('ignores counts no list should have', () => {
    expect(unreadTotals([view('a', -3), view('b', Number.NaN), view('c', 1)])).toEqual({
      count: 1,
      mentions: 0,
    });
  });

  it('gives the window title and badge for the total', () => {
    const total = unreadTotals([view('general', 2), view('c_design', 1)]).count;
    expect(windowTitle(total, 'Kitchen')).toBe('(3) Kitchen — Parley');
    expect(badgeText(total)).toBe('3');
    const many = unreadTotals([view('general', 60), view('c_design', 60)]).count;
    expect(windowTitle(many, 'Kitchen')).toBe('(99+) Kitchen — Parley');
  });
});

describe('windowTitle and badgeText', () => {
  it('formats the title with and without a room or unread messages', () => {
    expect(windowTitle(0)).toBe('Parley');
    expect(windowTitle(2)).toBe('(2) Parley');
    expect(windowTitle(0, '  Team\nroom ')).toBe('Team room — Parley');
    expect(windowTitle(7, '')).toBe('(7) Parley');
  });

  it('shows nothing for no messages and caps large counts', () => {
    expect(badgeText(0)).toBe('');
    expect(badgeText(-3)).toBe('');
    expect(badgeText(Number.NaN)).toBe('');
    expect(badgeText(99)).toBe('99');
    expect(badgeText(100)).toBe('99+');
  });
});
