import { describe, expect, it } from 'vitest';
import {
  UnreadCounter,
  badgeText,
  windowTitle,
  type UnreadState,
} from '../../../../main/app/comforts/unread-counter';

describe('UnreadCounter', () => {
  it('counts others’ messages only while the window is unfocused', () => {
    const counter = new UnreadCounter();
    counter.startRoom(10);
    expect(counter.add({ seq: 11, fromSelf: false })).toBe(false);
    counter.setFocused(false);
    expect(counter.add({ seq: 12, fromSelf: false })).toBe(true);
    expect(counter.add({ seq: 13, fromSelf: true })).toBe(false);
    expect(counter.add({ seq: 14, fromSelf: false, mentionsMe: true })).toBe(true);
    expect(counter.state).toEqual({ count: 2, mentions: 1, focused: false });
  });

  it('reads everything when the window gets focus', () => {
    const counter = new UnreadCounter({ focused: false });
    counter.add({ seq: 1, fromSelf: false });
    counter.add({ seq: 2, fromSelf: false });
    expect(counter.count).toBe(2);
    counter.setFocused(true);
    expect(counter.count).toBe(0);
    expect(counter.title('Kitchen')).toBe('Kitchen — Parley');
  });

  it('does not count history delivered on joining, nor a message delivered twice', () => {
    const counter = new UnreadCounter({ focused: false });
    counter.startRoom(100);
    for (let seq = 1; seq <= 100; seq++) counter.add({ seq, fromSelf: false });
    expect(counter.count).toBe(0);
    counter.add({ seq: 101, fromSelf: false });
    counter.add({ seq: 101, fromSelf: false });
    counter.add({ seq: Number.NaN, fromSelf: false });
    expect(counter.count).toBe(1);
  });

  it('starts from zero in a new room', () => {
    const counter = new UnreadCounter({ focused: false });
    counter.add({ seq: 5, fromSelf: false });
    counter.startRoom(2);
    expect(counter.count).toBe(0);
    expect(counter.add({ seq: 3, fromSelf: false })).toBe(true);
  });

  it('tells listeners about every change of count or focus, and only then', () => {
    const counter = new UnreadCounter();
    const seen: UnreadState[] = [];
    const stop = counter.onChange((state) => seen.push(state));
    counter.setFocused(true);
    counter.setFocused(false);
    counter.add({ seq: 1, fromSelf: false });
    counter.add({ seq: 2, fromSelf: true });
    counter.setFocused(true);
    stop();
    counter.setFocused(false);
    expect(seen).toEqual([
      { count: 0, mentions: 0, focused: false },
      { count: 1, mentions: 0, focused: false },
      { count: 0, mentions: 0, focused: true },
    ]);
  });

  it('gives the window title and badge for the count', () => {
    const counter = new UnreadCounter({ focused: false });
    for (let seq = 1; seq <= 3; seq++) counter.add({ seq, fromSelf: false });
    expect(counter.title('Kitchen')).toBe('(3) Kitchen — Parley');
    expect(counter.badge()).toBe('3');
    for (let seq = 4; seq <= 120; seq++) counter.add({ seq, fromSelf: false });
    expect(counter.title('Kitchen')).toBe('(99+) Kitchen — Parley');
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
