/**
 * Per-file setup for component fixture tests: one fixture server and one browser for the file,
 * a fresh page per test, and typed access to the in-page `fixture` object.
 */
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Browser, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { launchBrowser, openPage } from './browser';
import type { OpenedPage } from './browser';
import { startFixtureServer } from './fixture-server';
import type { FixtureServer } from './fixture-server';
import type { FixtureApi } from './fixture-page';
import { usePatientPolls } from './poll';

export type { FixtureApi };

/** True when the element is the focused one of its document or shadow root. */
export function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element.getRootNode().activeElement === element);
}

export interface FixtureContext {
  /** A fresh page with the fixture loaded (no element mounted yet). */
  newPage(options?: BrowserContextOptions): Promise<Page>;
}

/** Registers the hooks of a fixture test file; call once at the top level of the file. */
export function useFixturePages(): FixtureContext {
  let server: FixtureServer | undefined;
  let browser: Browser | undefined;
  let opened: OpenedPage[] = [];

  beforeAll(async () => {
    usePatientPolls();
    [server, browser] = await Promise.all([startFixtureServer(), launchBrowser()]);
  });

  afterEach(async () => {
    const pages = opened;
    opened = [];
    for (const page of pages) {
      // Every component must get through its test without an uncaught error or console error.
      expect(page.errors).toEqual([]);
      await page.close();
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  return {
    async newPage(options = {}) {
      if (!server || !browser) throw new Error('fixture server or browser did not start');
      const page = await openPage(browser, server.url, options);
      opened.push(page);
      await page.page.waitForFunction(
        "'parleyFixture' in globalThis && customElements.get('parley-app') !== undefined",
      );
      return page.page;
    },
  };
}
