import { describe, expect, it, vi } from 'vitest';
import {
  createCloseGuard,
  END_ROOM_BUTTON,
  endRoomDialog,
} from '../../../../main/app/comforts/close-guard';

function closeEvent() {
  return { preventDefault: vi.fn() };
}

function setup(options: {
  hosting: boolean;
  answer?: number;
  leave?: () => Promise<void>;
  keepInTray?: boolean;
}) {
  const calls: string[] = [];
  const guard = createCloseGuard({
    isHosting: () => options.hosting,
    keepHostingInTray: () => options.keepInTray ?? false,
    hide: vi.fn(() => calls.push('hide')),
    quit: vi.fn(() => calls.push('quit')),
    askToEndRoom: vi.fn(async () => {
      calls.push('ask');
      return options.answer ?? 0;
    }),
    leave: vi.fn(async () => {
      calls.push('leave');
      await options.leave?.();
    }),
    close: vi.fn(() => calls.push('close')),
    leaveTimeoutMs: 200,
    log: () => undefined,
  });
  return { guard, calls };
}

describe('close guard', () => {
  it('asks a host first, with the room-ending warning', () => {
    expect(endRoomDialog.buttons[END_ROOM_BUTTON]).toBe('End the room and close');
    expect(endRoomDialog.cancelId).not.toBe(END_ROOM_BUTTON);
    expect(endRoomDialog.message).toMatch(/ends this room for everyone/);
  });

  it('keeps the window and the room when the host says no', async () => {
    const { guard, calls } = setup({ hosting: true, answer: 0 });
    const event = closeEvent();
    guard.onClose(event);
    await guard.settled;
    expect(event.preventDefault).toHaveBeenCalled();
    expect(calls).toEqual(['ask']);
  });

  it('ends the room, then closes, when the host confirms; the second close goes through', async () => {
    const { guard, calls } = setup({ hosting: true, answer: END_ROOM_BUTTON });
    guard.onClose(closeEvent());
    await guard.settled;
    expect(calls).toEqual(['ask', 'leave', 'close']);
    const second = closeEvent();
    guard.onClose(second);
    expect(second.preventDefault).not.toHaveBeenCalled();
  });

  it('lets a guest close without asking, after leaving the room cleanly', async () => {
    const { guard, calls } = setup({ hosting: false });
    guard.onClose(closeEvent());
    await guard.settled;
    expect(calls).toEqual(['leave', 'close']);
  });

  it('asks only once when close is clicked again while the dialog is open', async () => {
    const { guard, calls } = setup({ hosting: true, answer: END_ROOM_BUTTON });
    const events = [closeEvent(), closeEvent(), closeEvent()];
    for (const event of events) guard.onClose(event);
    await guard.settled;
    expect(calls).toEqual(['ask', 'leave', 'close']);
    for (const event of events) expect(event.preventDefault).toHaveBeenCalled();
  });

  it('closes anyway when leaving hangs or fails', async () => {
    const hanging = setup({ hosting: false, leave: () => new Promise<void>(() => undefined) });
    hanging.guard.onClose(closeEvent());
    await hanging.guard.settled;
    expect(hanging.calls).toEqual(['leave', 'close']);

    const failing = setup({ hosting: false, leave: () => Promise.reject(new Error('boom')) });
    failing.guard.onClose(closeEvent());
    await failing.guard.settled;
    expect(failing.calls).toEqual(['leave', 'close']);
  });
});

describe('close guard with the tray', () => {
  it('hides the window of a hosting app and keeps the room, without asking', async () => {
    const { guard, calls } = setup({ hosting: true, keepInTray: true });
    const event = closeEvent();
    guard.onClose(event);
    await guard.settled;
    expect(event.preventDefault).toHaveBeenCalled();
    expect(calls).toEqual(['hide']);
    // Closing again (the window shown from the tray) hides it again: the room stays.
    guard.onClose(closeEvent());
    expect(calls).toEqual(['hide', 'hide']);
  });

  it('asks as before when keeping the room in the tray is off', async () => {
    const { guard, calls } = setup({ hosting: true, keepInTray: false, answer: END_ROOM_BUTTON });
    guard.onClose(closeEvent());
    await guard.settled;
    expect(calls).toEqual(['ask', 'leave', 'close']);
  });

  it('lets a guest close (and leave) whatever the tray setting: only a hosted room stays', async () => {
    const { guard, calls } = setup({ hosting: false, keepInTray: true });
    guard.onClose(closeEvent());
    await guard.settled;
    expect(calls).toEqual(['leave', 'close']);
  });

  it('quits from the tray only after the same question as closing', async () => {
    const kept = setup({ hosting: true, keepInTray: true, answer: 0 });
    expect(await kept.guard.requestQuit()).toBe(false);
    expect(kept.calls).toEqual(['ask']);

    const ended = setup({ hosting: true, keepInTray: true, answer: END_ROOM_BUTTON });
    expect(await ended.guard.requestQuit()).toBe(true);
    expect(ended.calls).toEqual(['ask', 'leave', 'quit']);
    // The closes that quitting causes go through, tray or not.
    const close = closeEvent();
    ended.guard.onClose(close);
    expect(close.preventDefault).not.toHaveBeenCalled();
  });

  it('routes any other quit (Cmd+Q, the app menu) through the question and a clean leave', async () => {
    const { guard, calls } = setup({ hosting: true, keepInTray: true, answer: END_ROOM_BUTTON });
    const quitting = closeEvent();
    guard.onBeforeQuit(quitting);
    expect(quitting.preventDefault).toHaveBeenCalled();
    await guard.settled;
    expect(calls).toEqual(['ask', 'leave', 'quit']);
    const again = closeEvent();
    guard.onBeforeQuit(again);
    expect(again.preventDefault).not.toHaveBeenCalled();
  });

  it('asks once when quit is chosen again while the question is open', async () => {
    const { guard, calls } = setup({ hosting: true, keepInTray: true, answer: END_ROOM_BUTTON });
    const first = guard.requestQuit();
    const second = guard.requestQuit();
    guard.onClose(closeEvent());
    expect(await first).toBe(true);
    expect(await second).toBe(true);
    expect(calls).toEqual(['ask', 'leave', 'quit']);
  });

  it('keeps the room when the question cannot be shown', async () => {
    const calls: string[] = [];
    const guard = createCloseGuard({
      isHosting: () => true,
      askToEndRoom: () => Promise.reject(new Error('no window for the dialog')),
      leave: async () => {
        calls.push('leave');
      },
      close: () => calls.push('close'),
      quit: () => calls.push('quit'),
      log: () => undefined,
    });
    expect(await guard.requestQuit()).toBe(false);
    expect(calls).toEqual([]);
    // And the guard is free for the next attempt.
    guard.onClose(closeEvent());
    await guard.settled;
    expect(calls).toEqual([]);
  });
});
