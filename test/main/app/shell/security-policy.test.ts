import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  isAllowedExternalUrl,
  isRendererPage,
  isTrustedSender,
  shouldAllowNavigation,
  shouldGrantPermission,
  windowOpenDecision,
  windowOptions,
  withContentSecurityPolicy,
} from '../../../../main/app/shell/security-policy';

const rendererUrl = 'file:///opt/Parley/resources/app.asar/dist/renderer/index.html';

describe('windowOptions', () => {
  it('turns on every isolation Electron recommends and uses our preload', () => {
    const { webPreferences } = windowOptions('/opt/Parley/dist/app/preload.cjs');
    expect(webPreferences).toMatchObject({
      preload: '/opt/Parley/dist/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
    });
    expect(webPreferences.allowRunningInsecureContent).not.toBe(true);
  });

  it('keeps developer tools off unless asked for', () => {
    expect(windowOptions('/p.cjs').webPreferences.devTools).toBe(false);
    expect(windowOptions('/p.cjs', { devTools: true }).webPreferences.devTools).toBe(true);
  });
});

describe('contentSecurityPolicy', () => {
  const directives = new Map(
    contentSecurityPolicy.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );

  it('denies by default and allows scripts only from the app itself', () => {
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(contentSecurityPolicy).not.toContain('unsafe-eval');
    expect(directives.get('script-src')).not.toContain("'unsafe-inline'");
  });

  it('gives the desktop page no network, plugins, frames or base changes', () => {
    expect(directives.get('connect-src')).toEqual(["'none'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
  });

  it('replaces a CSP header of any case and keeps the other headers', () => {
    const headers = withContentSecurityPolicy({
      'content-security-policy': ['default-src *'],
      'Content-Type': ['text/html'],
    });
    expect(headers).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [contentSecurityPolicy],
    });
    expect(withContentSecurityPolicy(undefined)).toEqual({
      'Content-Security-Policy': [contentSecurityPolicy],
    });
  });
});

describe('isAllowedExternalUrl', () => {
  it.each(['https://example.org/page?q=1#top', 'http://192.168.1.20:7420/'])(
    'lets the web link %s open in the browser',
    (url) => expect(isAllowedExternalUrl(url)).toBe(true),
  );

  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'smb://server/share',
    'parley://192.168.1.20:7420/',
    'ms-settings:',
    'https://user:secret@example.org/',
    'not a url',
    '',
    `https://example.org/${'a'.repeat(3000)}`,
  ])('refuses %s', (url) => expect(isAllowedExternalUrl(url)).toBe(false));

  it('refuses values that are not strings', () => {
    expect(isAllowedExternalUrl(undefined)).toBe(false);
    expect(isAllowedExternalUrl({ href: 'https://example.org' })).toBe(false);
  });
});

describe('navigation', () => {
  it('allows only the renderer page itself, whatever its fragment or query', () => {
    expect(shouldAllowNavigation(rendererUrl, rendererUrl)).toBe(true);
    expect(shouldAllowNavigation(`${rendererUrl}#room`, rendererUrl)).toBe(true);
    expect(shouldAllowNavigation(`${rendererUrl}?x=1`, rendererUrl)).toBe(true);
  });

  it.each([
    'https://example.org/',
    'file:///etc/passwd',
    'file:///opt/Parley/resources/app.asar/dist/renderer/other.html',
    'http://127.0.0.1:7420/',
    'javascript:alert(1)',
    'garbage',
  ])('refuses to navigate to %s', (url) => {
    expect(shouldAllowNavigation(url, rendererUrl)).toBe(false);
  });

  it('treats an unparsable renderer URL as matching nothing', () => {
    expect(isRendererPage(rendererUrl, 'not a url')).toBe(false);
  });
});

describe('windowOpenDecision', () => {
  it('never opens an app window; web links go to the system browser', () => {
    expect(windowOpenDecision('https://example.org/')).toEqual({
      action: 'deny',
      openExternally: true,
    });
    expect(windowOpenDecision('file:///etc/passwd')).toEqual({
      action: 'deny',
      openExternally: false,
    });
    expect(windowOpenDecision('about:blank')).toEqual({ action: 'deny', openExternally: false });
  });
});

describe('permissions', () => {
  it.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'unknown'])(
    'refuses %s',
    (permission) => expect(shouldGrantPermission(permission)).toBe(false),
  );
});

describe('isTrustedSender', () => {
  const trusted = { webContentsId: 7, rendererUrl };
  const ours = { webContentsId: 7, frameUrl: `${rendererUrl}#x`, isMainFrame: true };

  it('trusts our window top frame showing our page', () => {
    expect(isTrustedSender(ours, trusted)).toBe(true);
  });

  it('refuses another webContents, a subframe, a foreign page or a vanished frame', () => {
    expect(isTrustedSender({ ...ours, webContentsId: 8 }, trusted)).toBe(false);
    expect(isTrustedSender({ ...ours, isMainFrame: false }, trusted)).toBe(false);
    expect(isTrustedSender({ ...ours, frameUrl: 'https://evil.example/' }, trusted)).toBe(false);
    expect(isTrustedSender({ ...ours, frameUrl: undefined }, trusted)).toBe(false);
  });

  it('refuses everyone while there is no window', () => {
    expect(isTrustedSender(ours, { ...trusted, webContentsId: undefined })).toBe(false);
  });
});
