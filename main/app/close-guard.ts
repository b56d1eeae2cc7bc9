/**
 * What happens when the user closes the window: a host is asked first (closing ends the room for
 * everyone), then the room is left cleanly (the host flushes its history) before the window goes.
 * Plain code; window.ts plugs Electron's close event and dialog into it.
 */

/** Options for the confirmation dialog (structurally Electron's MessageBoxOptions). */
export const endRoomDialog = {
  type: 'warning' as const,
  title: 'End the room?',
  message: 'Closing Parley ends this room for everyone in it.',
  detail: 'Everyone in the room is disconnected. The history stays on this computer.',
  buttons: ['Keep the room open', 'End the room and close'],
  defaultId: 0,
  cancelId: 0,
  noLink: true,
};

/** The dialog button that confirms ending the room. */
export const END_ROOM_BUTTON = 1;

export interface CloseGuardOptions {
  isHosting: () => boolean;
  /** Shows endRoomDialog; resolves with the index of the button pressed. */
  askToEndRoom: () => Promise<number>;
  /** Leaves the room (stopping the host, if any). */
  leave: () => Promise<void>;
  /** Closes the window for real; the guard lets that second close through. */
  close: () => void;
  /** Longest wait for leave() before the window closes anyway. Default 5 s. */
  leaveTimeoutMs?: number;
  log?: (message: string, detail?: unknown) => void;
}

export interface CloseGuard {
  /** The window's 'close' handler. */
  onClose(event: { preventDefault(): void }): void;
  /** Settles when the close started by the last onClose is done (for tests and app quit). */
  readonly settled: Promise<void>;
}

export function createCloseGuard(options: CloseGuardOptions): CloseGuard {
  const { isHosting, askToEndRoom, leave, close, leaveTimeoutMs, log } = {
    leaveTimeoutMs: 5_000,
    log: (message: string, detail?: unknown) => console.warn(message, detail ?? ''),
    ...options,
  };
  let allowed = false;
  let busy = false;
  let settled: Promise<void> = Promise.resolve();

  async function leaveWithin(ms: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        log('parley: leaving the room took too long; closing anyway');
        resolve();
      }, ms);
    });
    try {
      await Promise.race([
        leave().catch((error: unknown) => log('parley: leave failed', error)),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function closeCarefully(): Promise<void> {
    try {
      if (isHosting() && (await askToEndRoom()) !== END_ROOM_BUTTON) return;
      await leaveWithin(leaveTimeoutMs);
      allowed = true;
      close();
    } finally {
      busy = false;
    }
  }

  return {
    onClose(event) {
      if (allowed) return;
      event.preventDefault();
      // A second click on the close button while the dialog is up changes nothing.
      if (busy) return;
      busy = true;
      settled = closeCarefully().catch((error: unknown) => log('parley: close failed', error));
    },
    get settled() {
      return settled;
    },
  };
}
