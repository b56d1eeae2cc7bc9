/**
 * Electron shell: the Parley window and the guards every webContents and the session get.
 * Every decision comes from security-policy.ts; this file applies them.
 */
import { BrowserWindow, shell, type Session, type WebContents } from 'electron';
import {
  shouldAllowNavigation,
  shouldGrantPermission,
  windowOpenDecision,
  windowOptions,
  withContentSecurityPolicy,
} from './security-policy';

export interface MainWindowOptions {
  preloadPath: string;
  /** The page, on the app's own scheme (renderer-scheme.ts). */
  rendererUrl: string;
  devTools: boolean;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow(
    windowOptions(options.preloadPath, { devTools: options.devTools }),
  );
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.rendererUrl);
  return window;
}

/** For every webContents the app ever creates: no navigation, no popups, no webviews. */
export function hardenWebContents(contents: WebContents, rendererUrl: string): void {
  contents.on('will-navigate', (event) => {
    if (!shouldAllowNavigation(event.url, rendererUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!shouldAllowNavigation(event.url, rendererUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url);
    if (decision.openExternally) void shell.openExternal(url);
    return { action: decision.action };
  });
}

/** Permissions refused, and our CSP on every response the session loads. */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(shouldGrantPermission(permission)),
  );
  session.setPermissionCheckHandler((_contents, permission) => shouldGrantPermission(permission));
  session.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) }),
  );
}
