/**
 * The browser of the renderer tests: headless Chromium with the launch settings shared with the
 * UI benchmark (tools/chromium.ts), and pages that record whatever goes wrong in them.
 */
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';

export { launchChromium as launchBrowser } from '../../../tools/chromium';

export interface OpenedPage {
  page: Page;
  /** Uncaught errors and console errors of the page, to assert there were none. */
  errors: string[];
  close(): Promise<void>;
}

/** A fresh context (own storage) and page, recording whatever goes wrong in the page. */
export async function openPage(
  browser: Browser,
  url: string,
  options: BrowserContextOptions = {},
): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 720 }, ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  await page.goto(url);
  return { page, errors, close: () => context.close() };
}
