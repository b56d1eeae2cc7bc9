/**
 * Electron shell: answers the bridge's requests on ipcMain and forwards room events to the window.
 * The decisions (sender check, argument validation, what each request does) live in plain
 * modules; this file only connects them to Electron.
 */
import { ipcMain, type BrowserWindow } from 'electron';
import { ROOM_EVENT_CHANNEL } from '../../../protocol/bridge';
import { createIpcHandlers, type BridgeActions } from '../room/ipc-handlers';
import { isTrustedSender } from './security-policy';
import type { RoomEventSource } from '../room/room-events';

export interface IpcRegistration {
  actions: BridgeActions;
  /** The RoomEvents forwarded to the window. */
  events: RoomEventSource;
  /** The one Parley window, if it is open. */
  getWindow: () => BrowserWindow | undefined;
  /** URL of the renderer page (parley-app://): the only page allowed to call the bridge. */
  rendererUrl: string;
}

/** Registers every handler; returns the function that removes them again. */
export function registerIpc(registration: IpcRegistration): () => void {
  const { actions, events, getWindow, rendererUrl } = registration;
  const handlers = createIpcHandlers({
    actions,
    isTrustedSender: (sender) =>
      isTrustedSender(sender, { webContentsId: liveWindow()?.webContents.id, rendererUrl }),
  });

  function liveWindow(): BrowserWindow | undefined {
    const window = getWindow();
    return window && !window.isDestroyed() ? window : undefined;
  }

  for (const handler of handlers) {
    ipcMain.handle(handler.channel, (event, arg: unknown) => handler.handle(event, arg));
  }
  const stopForwarding = events.subscribe((event) => {
    const contents = liveWindow()?.webContents;
    if (contents && !contents.isDestroyed()) contents.send(ROOM_EVENT_CHANNEL, event);
  });

  return () => {
    stopForwarding();
    for (const handler of handlers) ipcMain.removeHandler(handler.channel);
  };
}
