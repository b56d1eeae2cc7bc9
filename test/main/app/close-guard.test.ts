import { describe, expect, it, vi } from 'vitest';
import { createCloseGuard, END_ROOM_BUTTON, endRoomDialog } from '../../../main/app/close-guard';

function closeEvent() {
  return { preventDefault: vi.fn() };
}

function setup(options: { hosting: boolean; answer?: number; leave?: () => Promise<void> }) {
  const calls: string[] = [];
  const guard = createCloseGuard({
    isHosting: () => options.hosting,
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
