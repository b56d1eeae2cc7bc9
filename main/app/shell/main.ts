/**
 * Electron shell, main process entry (built to dist/app/main.js): one hardened window showing
 * the renderer from its own scheme (renderer-scheme.ts), the desktop app (desktop-app.ts), IPC
 * between them, `parley://` invite links (invite-links/), and the comforts: notifications,
 * title, badge, tray. Everything that decides something lives in plain modules.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, protocol, session, shell, type BrowserWindow } from 'electron';
import { protocolClientArguments } from '../invite-links/invite-argv';
import { InviteInbox, withJoinScreenSignals } from '../invite-links/invite-inbox';
import {
  RENDERER_SCHEME,
  RENDERER_SCHEME_PRIVILEGES,
  RENDERER_URL,
  rendererResponse,
} from '../renderer-scheme/renderer-scheme';
import { createDesktopApp, type DesktopApp } from '../room/desktop-app';
import { FILE_SCHEME, FILE_SCHEME_PRIVILEGES } from '../../transfers/room-file-response';
import { createCloseGuard, endRoomDialog, type CloseGuard } from '../comforts/close-guard';
import { attachComforts } from './comforts-shell';
import { registerIpc } from './ipc';
import { createMainWindow, hardenSession, hardenWebContents } from './window';

// dist/app/main.js sits next to preload.cjs, and dist/renderer holds the built UI.
const appDir = path.dirname(fileURLToPath(import.meta.url));
const preloadPath = path.join(appDir, 'preload.cjs');
const rendererDir = path.join(appDir, '..', 'renderer');
const rendererUrl = RENDERER_URL;

let running: DesktopApp | undefined;
let showWindow: (() => void) | undefined;
// Invites opened before the app is ready (the link that started it) wait here too.
const invites = new InviteInbox({
  emit: (event) => running?.events.emit(event),
  inRoom: () => running?.controller.summary !== undefined,
});

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
  session.defaultSession.protocol.handle(RENDERER_SCHEME, (request) =>
    rendererResponse(request, rendererDir),
  );
  const desktop = await createDesktopApp({
    userDataDir: app.getPath('userData'),
    defaultName: systemUserName(),
    openExternal: (url) => shell.openExternal(url),
    showItemInFolder: (path) => shell.showItemInFolder(path),
    controller: { hostOptions: { staticDir: rendererDir }, downloadsDir: app.getPath('downloads') },
  });
  running = desktop;
  // The room's images, for the window: fetched by main over the room's pinned connection.
  session.defaultSession.protocol.handle(FILE_SCHEME, (request) =>
    desktop.controller.transfers.fileResponse(request),
  );
  const unregister = registerIpc({
    actions: withJoinScreenSignals(desktop.actions, invites),
    events: desktop.events,
    getWindow: liveWindow,
    rendererUrl,
  });

  const show = () => {
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
    showWindow: show,
    quit,
  });

  function openWindow(): BrowserWindow {
    const window = createMainWindow({ preloadPath, rendererUrl, devTools: !app.isPackaged });
    const windowGuard = createCloseGuard({
      isHosting: () => desktop.controller.hosting,
      askToEndRoom: async () => {
        // The question may come from the tray while the window is hidden.
        show();
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
      invites.joinScreenHidden();
      // Nobody is looking at the list of rooms any more: stop the multicast traffic.
      void desktop.discovery.stop();
    });
    comforts.watchWindow(window);
    mainWindow = window;
    guard = windowGuard;
    return window;
  }
  openWindow();
  showWindow = show;

  // macOS: a click on the dock icon brings back a hidden or closed window.
  app.on('activate', () => show());
  // Quitting (the app menu, Cmd+Q) asks a host first and leaves cleanly, like closing.
  app.on('before-quit', (event) => guard?.onBeforeQuit(event));
  app.on('will-quit', () => {
    unregister();
    comforts.dispose();
    void desktop.close();
  });
}

function run(): void {
  // Before the app is ready, or the scheme would not be standard and secure.
  protocol.registerSchemesAsPrivileged([
    { scheme: RENDERER_SCHEME, privileges: { ...RENDERER_SCHEME_PRIVILEGES } },
    { scheme: FILE_SCHEME, privileges: { ...FILE_SCHEME_PRIVILEGES } },
  ]);
  // parley:// links open this app (Windows, Linux; macOS reads it from the packaged Info.plist).
  const client = protocolClientArguments({
    defaultApp: process.defaultApp === true,
    execPath: process.execPath,
    argv: process.argv,
    cwd: process.cwd(),
  });
  if (!app.setAsDefaultProtocolClient(client.scheme, client.executable, client.args)) {
    console.warn('parley: could not register as the handler of parley:// links');
  }
  // Started by a link: Windows and Linux put it on the command line, macOS sends open-url.
  invites.openArgv(process.argv);
  app.on('open-url', (event, url) => {
    event.preventDefault();
    if (invites.openUrl(url)) showWindow?.();
  });
  // A link clicked while running starts a second instance, which hands its command line here.
  app.on('second-instance', (_event, argv) => {
    invites.openArgv(argv);
    showWindow?.();
  });
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
