/**
 * Every security decision of the Electron shell, as plain functions the shell files only apply.
 * Follows Electron's security checklist: isolated sandboxed renderer, no navigation, no new windows,
 * no permissions, a strict CSP, and IPC answered only for our own window's top frame.
 */
import * as v from 'valibot';
import { DESKTOP_FILE_SCHEME } from '../../../protocol/bridge';

/** BrowserWindow options for the one Parley window (structurally a BrowserWindowConstructorOptions). */
export function windowOptions(preloadPath: string, options: { devTools?: boolean } = {}) {
  const { devTools } = { devTools: false, ...options };
  return {
    width: 1040,
    height: 720,
    minWidth: 560,
    minHeight: 420,
    title: 'Parley',
    // Shown on ready-to-show, so the user never sees an empty white frame.
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      devTools,
    },
  };
}

/**
 * The CSP of the desktop window. Stricter than the guest page's: the desktop renderer talks to the
 * main process over IPC only, so it needs no network access at all (connect-src 'none').
 */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  // Lit sets style attributes from bindings; no script comes in through styles.
  "style-src 'self' 'unsafe-inline'",
  `img-src 'self' data: ${DESKTOP_FILE_SCHEME}:`,
  "font-src 'self'",
  "connect-src 'none'",
  "media-src 'none'",
  "object-src 'none'",
  "frame-src 'none'",
  "worker-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Response headers with our CSP in place of any the response carried (matched case-insensitively). */
export function withContentSecurityPolicy(
  headers: Record<string, string[]> | undefined,
): Record<string, string[]> {
  const kept = Object.entries(headers ?? {}).filter(
    ([name]) => name.toLowerCase() !== 'content-security-policy',
  );
  return { ...Object.fromEntries(kept), 'Content-Security-Policy': [contentSecurityPolicy] };
}

function parseUrl(text: string): URL | undefined {
  return URL.canParse(text) ? new URL(text) : undefined;
}

const externalUrlSchema = v.pipe(
  v.string(),
  v.maxLength(2048),
  v.url(),
  v.check((text) => {
    const url = parseUrl(text);
    // Credentials in a link are a classic way to disguise where it really goes.
    return (
      url !== undefined &&
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      url.hostname !== '' &&
      !url.username &&
      !url.password
    );
  }),
);

/** Only plain web links leave the app (file:, javascript:, custom schemes would run things). */
export function isAllowedExternalUrl(url: unknown): url is string {
  return v.is(externalUrlSchema, url);
}

/** The renderer's own page, whatever its query or fragment. */
export function isRendererPage(url: string, rendererUrl: string): boolean {
  const candidate = parseUrl(url);
  const expected = parseUrl(rendererUrl);
  if (!candidate || !expected) return false;
  return (
    candidate.protocol === expected.protocol &&
    candidate.host === expected.host &&
    candidate.pathname === expected.pathname
  );
}

/** The window shows one page for its whole life: any navigation away from it is refused. */
export function shouldAllowNavigation(url: string, rendererUrl: string): boolean {
  return isRendererPage(url, rendererUrl);
}

/** window.open / target=_blank: never a new Electron window; web links go to the system browser. */
export function windowOpenDecision(url: string): { action: 'deny'; openExternally: boolean } {
  return { action: 'deny', openExternally: isAllowedExternalUrl(url) };
}

/** Camera, microphone, geolocation, notifications, clipboard reads...: the renderer needs none. */
export function shouldGrantPermission(_permission: string): boolean {
  return false;
}

/** Who sent an IPC request, as far as the shell can tell from the event. */
export interface SenderInfo {
  webContentsId: number;
  /** URL of the sending frame; undefined when the frame is gone (navigated or destroyed). */
  frameUrl: string | undefined;
  /** True for the top-level frame (no parent): subframes are never trusted. */
  isMainFrame: boolean;
}

/** Only our own window's top frame, showing our own page, may call the bridge. */
export function isTrustedSender(
  sender: SenderInfo,
  trusted: { webContentsId: number | undefined; rendererUrl: string },
): boolean {
  return (
    trusted.webContentsId !== undefined &&
    sender.webContentsId === trusted.webContentsId &&
    sender.isMainFrame &&
    sender.frameUrl !== undefined &&
    isRendererPage(sender.frameUrl, trusted.rendererUrl)
  );
}
