import { describe, expect, it } from 'vitest';
import {
  peopleText,
  shouldShowWindowAgain,
  trayView,
} from '../../../../main/app/comforts/tray-model';

describe('tray while hosting', () => {
  it('has no tray icon outside a hosted room', () => {
    expect(trayView({ hosting: false, roomName: 'Lab', people: 2, unread: 0 })).toBeUndefined();
  });

  it('names the room and the people in it, and offers Show Parley and Quit', () => {
    expect(trayView({ hosting: true, roomName: 'Lab', people: 3, unread: 0 })).toEqual({
      tooltip: 'Lab — 3 people — Parley',
      items: [
        { kind: 'label', label: 'Hosting Lab: 3 people' },
        { kind: 'separator' },
        { kind: 'action', action: 'show', label: 'Show Parley' },
        { kind: 'action', action: 'quit', label: 'Quit' },
      ],
    });
  });

  it('mentions unread messages in the tooltip and keeps it on one line', () => {
    const view = trayView({ hosting: true, roomName: ' Big\n room ', people: 1, unread: 120 });
    expect(view?.tooltip).toBe('Big room — 1 person — 99+ unread — Parley');
  });

  it('counts people in plain words', () => {
    expect([0, 1, 2, -1, Number.NaN].map(peopleText)).toEqual([
      '0 people',
      '1 person',
      '2 people',
      '0 people',
      '0 people',
    ]);
  });

  it('brings a window hidden in the tray back when the tray goes away', () => {
    expect(
      shouldShowWindowAgain({ trayWasShown: true, trayShown: false, windowVisible: false }),
    ).toBe(true);
    // Not while hosting goes on, not when the window is on screen, not without a tray before.
    expect(
      shouldShowWindowAgain({ trayWasShown: true, trayShown: true, windowVisible: false }),
    ).toBe(false);
    expect(
      shouldShowWindowAgain({ trayWasShown: true, trayShown: false, windowVisible: true }),
    ).toBe(false);
    expect(
      shouldShowWindowAgain({ trayWasShown: false, trayShown: false, windowVisible: false }),
    ).toBe(false);
  });
});
