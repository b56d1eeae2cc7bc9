/**
 * What happens when the user closes the window or quits: a host is asked first (ending the room
 * ends it for everyone), then the room is left cleanly (the host flushes its history) before the
 * window or the app goes. With "keep hosting in the tray" on, closing the window of a hosting app
 * only hides it: the room goes on and the tray offers "Show Parley" and "Quit".
 * Plain code; main.ts plugs Electron's close and quit events and the dialog into it.
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
  /** Whether closing the window of a hosting app only hides it (the setting). Default never. */
  keepHostingInTray?: () => boolean;
  /** Hides the window, leaving the room running (the tray shows it). */
  hide?: () => void;
  /** Quits the app for real (app.quit); the guard lets the closes that follow through. */
  quit?: () => void;
  /** Longest wait for leave() before the window closes anyway. Default 5 s. */
  leaveTimeoutMs?: number;
  log?: (message: string, detail?: unknown) => void;
}

export interface CloseGuard {
  /** The window's 'close' handler. */
  onClose(event: { preventDefault(): void }): void;
  /** The app's 'before-quit' handler: quitting goes through the same question and clean leave. */
  onBeforeQuit(event: { preventDefault(): void }): void;
  /** Quit from the tray menu: asks a host first; resolves true when the app is quitting. */
  requestQuit(): Promise<boolean>;
  /** Settles when the close or quit started last is done (for tests and app quit). */
  readonly settled: Promise<void>;
}

export function createCloseGuard(options: CloseGuardOptions): CloseGuard {
  const { isHosting, askToEndRoom, leave, close, keepHostingInTray, hide, quit, log } = {
    keepHostingInTray: () => false,
    quit: () => undefined,
    log: (message: string, detail?: unknown) => console.warn(message, detail ?? ''),
    ...options,
  };
  const leaveTimeoutMs = options.leaveTimeoutMs ?? 5_000;
  let allowed = false;
  let busy: Promise<boolean> | undefined;
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

  async function endRoomThen(finish: () => void): Promise<boolean> {
    try {
      if (isHosting() && (await askToEndRoom()) !== END_ROOM_BUTTON) return false;
      await leaveWithin(leaveTimeoutMs);
      allowed = true;
      finish();
      return true;
    } catch (error) {
      log('parley: close failed', error);
      return false;
    }
  }

  /** Asks a host, leaves, then lets `finish` through; false when the host kept the room. */
  function endThen(finish: () => void): Promise<boolean> {
    // A second click while the dialog is up (or while leaving) changes nothing.
    if (busy) return busy;
    const attempt: Promise<boolean> = endRoomThen(finish).finally(() => {
      if (busy === attempt) busy = undefined;
    });
    busy = attempt;
    settled = attempt.then(() => undefined);
    return attempt;
  }

  return {
    onClose(event) {
      if (allowed) return;
      event.preventDefault();
      if (busy) return;
      if (hide && isHosting() && keepHostingInTray()) {
        hide();
        return;
      }
      void endThen(close);
    },
    onBeforeQuit(event) {
      if (allowed) return;
      event.preventDefault();
      void endThen(quit);
    },
    requestQuit() {
      if (allowed) {
        quit();
        return Promise.resolve(true);
      }
      return endThen(quit);
    },
    get settled() {
      return settled;
    },
  };
}
