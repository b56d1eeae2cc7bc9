/**
 * Electron shell, main process entry (built to dist/app/main.js): one hardened window, the
 * desktop app (desktop-app.ts), IPC between them, and the comforts: notifications, title, badge,
 * tray. Everything that decides something lives in plain modules.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, dialog, session, shell, type BrowserWindow } from 'electron';
import { createDesktopApp } from '../room/desktop-app';
import { createCloseGuard, endRoomDialog, type CloseGuard } from '../comforts/close-guard';
import { attachComforts } from './comforts-shell';
import { registerIpc } from './ipc';
import { createMainWindow, hardenSession, hardenWebContents } from './window';

// dist/app/main.js sits next to preload.cjs, and dist/renderer holds the built UI.
const appDir = path.dirname(fileURLToPath(import.meta.url));
const preloadPath = path.join(appDir, 'preload.cjs');
const rendererDir = path.join(appDir, '..', 'renderer');
const rendererFile = path.join(rendererDir, 'index.html');
const rendererUrl = pathToFileURL(rendererFile).href;

function systemUserName(): string {
  try {
    return os.userInfo().username.slice(0, 32);
  } catch {
    // No passwd entry (some containers): the user types a name instead.
    return '';
  }
}

async function start(): Promise<void> {
  let mainWindow: BrowserWindow | undefined;
  let guard: CloseGuard | undefined;
  const liveWindow = () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow : undefined);

  hardenSession(session.defaultSession);
  const desktop = await createDesktopApp({
    userDataDir: app.getPath('userData'),
    defaultName: systemUserName(),
    openExternal: (url) => shell.openExternal(url),
    controller: { hostOptions: { staticDir: rendererDir } },
  });
  const unregister = registerIpc({
    actions: desktop.actions,
    events: desktop.events,
    getWindow: liveWindow,
    rendererUrl,
  });

  const showWindow = () => {
    const window = liveWindow() ?? openWindow();
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };
  const quit = () => {
    if (guard) void guard.requestQuit();
    else app.quit();
  };
  const comforts = attachComforts({
    events: desktop.events,
    notificationsEnabled: () => desktop.settings.get().notifications,
    getWindow: liveWindow,
    showWindow,
    quit,
  });

  function openWindow(): BrowserWindow {
    const window = createMainWindow({ preloadPath, rendererFile, devTools: !app.isPackaged });
    const windowGuard = createCloseGuard({
      isHosting: () => desktop.controller.hosting,
      askToEndRoom: async () => {
        // The question may come from the tray while the window is hidden.
        showWindow();
        return (await dialog.showMessageBox(window, endRoomDialog)).response;
      },
      leave: () => desktop.controller.leave(),
      close: () => window.close(),
      keepHostingInTray: () => desktop.settings.get().keepHostingInTray,
      hide: () => window.hide(),
      quit: () => app.quit(),
    });
    window.on('close', (event) => windowGuard.onClose(event));
    window.on('closed', () => {
      if (mainWindow !== window) return;
      mainWindow = undefined;
      guard = undefined;
      // Nobody is looking at the list of rooms any more: stop the multicast traffic.
      void desktop.discovery.stop();
    });
    comforts.watchWindow(window);
    mainWindow = window;
    guard = windowGuard;
    return window;
  }
  openWindow();

  app.on('second-instance', () => showWindow());
  // macOS: a click on the dock icon brings back a hidden or closed window.
  app.on('activate', () => showWindow());
  // Quitting (the app menu, Cmd+Q) asks a host first and leaves cleanly, like closing.
  app.on('before-quit', (event) => guard?.onBeforeQuit(event));
  app.on('will-quit', () => {
    unregister();
    comforts.dispose();
    void desktop.close();
  });
}

function run(): void {
  // Registered before any window exists, so no webContents escapes the guards.
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, rendererUrl));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  void app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      console.error('parley: the app could not start', error);
      app.exit(1);
    });
}

// A second Parley would fight the first over the port and the history store: hand over instead.
if (app.requestSingleInstanceLock()) run();
else app.quit();
