/**
 * Electron shell, main process entry (built to dist/app/main.js): one hardened window, one room
 * controller, IPC between them. Everything that decides something lives in plain modules.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, session, shell } from 'electron';
import { RoomController } from './room-controller';
import { createPreferencesStore } from './preferences-store';
import { createBridgeActions } from './bridge-actions';
import { createCloseGuard, endRoomDialog } from './close-guard';
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

function run(): void {
  let mainWindow: BrowserWindow | undefined;

  // Registered before any window exists, so no webContents escapes the guards.
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, rendererUrl));

  app.on('second-instance', () => {
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });

  void app.whenReady().then(() => {
    hardenSession(session.defaultSession);
    const userData = app.getPath('userData');
    const controller = new RoomController({
      dataDir: path.join(userData, 'host'),
      hostOptions: { staticDir: rendererDir },
    });
    const preferences = createPreferencesStore({
      dir: userData,
      defaults: { name: systemUserName() },
    });
    const unregister = registerIpc({
      actions: createBridgeActions({
        controller,
        preferences,
        openExternal: (url) => shell.openExternal(url),
      }),
      controller,
      getWindow: () => mainWindow,
      rendererUrl,
    });

    const openWindow = () => {
      const window = createMainWindow({ preloadPath, rendererFile, devTools: !app.isPackaged });
      const guard = createCloseGuard({
        isHosting: () => controller.hosting,
        askToEndRoom: async () => (await dialog.showMessageBox(window, endRoomDialog)).response,
        leave: () => controller.leave(),
        close: () => window.close(),
      });
      window.on('close', (event) => guard.onClose(event));
      window.on('closed', () => {
        if (mainWindow === window) mainWindow = undefined;
      });
      mainWindow = window;
    };
    openWindow();

    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow();
    });
    app.on('will-quit', () => unregister());
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}

// A second Parley would fight the first over the port and the history store: hand over instead.
if (app.requestSingleInstanceLock()) run();
else app.quit();
