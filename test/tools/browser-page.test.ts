/**
 * A page built by buildBrowserPage, served by servePage, in Chromium as launchChromium starts it:
 * the three shared pieces the component tests and the UI benchmark stand on.
 */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBrowserPage, PAGE_CSP, pageHtml } from '../../tools/browser-page';
import { launchChromium } from '../../tools/chromium';
import { servePage, type PageServer } from '../../tools/page-server';

const USER_AGENT = 'parley-browser-page-test';

let root: string;
let pageDir: string;
let server: PageServer | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'parley-browser-page-'));
  const first = path.join(root, 'first.ts');
  const second = path.join(root, 'second.ts');
  // Each records that it ran; the second relies on the first having run before it.
  await writeFile(first, "const ran: string[] = ['first'];\nObject.assign(globalThis, { ran });\n");
  await writeFile(
    second,
    'const ran = (globalThis as unknown as { ran: string[] }).ran;\nran.push("second");\n',
  );
  pageDir = path.join(root, 'page');
  await buildBrowserPage({ outdir: pageDir, title: 'Test <page>', entries: { first, second } });
  [server, browser] = await Promise.all([
    servePage(pageDir),
    launchChromium({ extraArgs: [`--user-agent=${USER_AGENT}`] }),
  ]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

describe('buildBrowserPage', () => {
  it('writes the bundles with their source maps, the theme and the page', async () => {
    expect((await readdir(pageDir)).sort()).toEqual([
      'first.js',
      'first.js.map',
      'index.html',
      'second.js',
      'second.js.map',
      'theme.css',
    ]);
    const theme = await readFile(
      path.join(import.meta.dirname, '../../renderer/theme.css'),
      'utf8',
    );
    expect(await readFile(path.join(pageDir, 'theme.css'), 'utf8')).toBe(theme);
    expect(await readFile(path.join(pageDir, 'index.html'), 'utf8')).toBe(
      pageHtml('Test <page>', ['first', 'second']),
    );
  });

  it('puts the source map inside the bundle when asked to', async () => {
    const outdir = path.join(root, 'inline');
    const entry = path.join(root, 'first.ts');
    await buildBrowserPage({ outdir, entries: { only: entry }, sourcemap: 'inline' });
    expect((await readdir(outdir)).sort()).toEqual(['index.html', 'only.js', 'theme.css']);
    expect(await readFile(path.join(outdir, 'only.js'), 'utf8')).toContain(
      'sourceMappingURL=data:application/json',
    );
  });
});

describe('pageHtml', () => {
  it('loads the scripts in the given order under the real page policy, title escaped', () => {
    const page = pageHtml('A & <b>', ['one', 'two']);
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}" />`);
    expect(page).toContain('<title>A &#38; &#60;b&#62;</title>');
    expect(page.indexOf('src="./one.js"')).toBeGreaterThan(0);
    expect(page.indexOf('src="./two.js"')).toBeGreaterThan(page.indexOf('src="./one.js"'));
  });
});

describe('the page in Chromium', () => {
  it('runs the bundles in order, with the theme, under the CSP, without an error', async () => {
    const context = await browser!.newContext();
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      const requested: string[] = [];
      page.on('request', (request) => requested.push(new URL(request.url()).pathname));
      await page.goto(server!.url);
      await page.waitForFunction('(globalThis.ran ?? []).length === 2');
      expect(await page.evaluate('globalThis.ran')).toEqual(['first', 'second']);
      expect(await page.title()).toBe('Test <page>');
      expect(await page.evaluate('navigator.userAgent')).toBe(USER_AGENT);
      const accent = await page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--p-accent').trim()",
      );
      expect(accent).not.toBe('');
      // The icon is inline: no request the server would have to answer with a 404.
      expect(requested).not.toContain('/favicon.ico');
      expect(errors).toEqual([]);

      // The policy holds: an inline script is refused.
      const refused = page.waitForEvent('console', (message) =>
        message.text().includes('Content Security Policy'),
      );
      await page.evaluate(
        "document.head.append(Object.assign(document.createElement('script'), { textContent: 'globalThis.inline = true' }))",
      );
      await refused;
      expect(await page.evaluate('globalThis.inline')).toBeUndefined();
    } finally {
      await context.close();
    }
  });
});
