import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useFixturePages } from '../../helpers/fixture';

const pages = useFixturePages();

async function mountBanner(page: Page, properties: Record<string, unknown>): Promise<void> {
  await page.evaluate(
    (properties) => parleyFixture.mount('connection-banner', properties),
    properties,
  );
}

const text = (page: Page) =>
  page
    .locator('connection-banner [role="status"]')
    .textContent()
    .then((value) => (value ?? '').replace(/\s+/g, ' ').trim());

describe('connection-banner', () => {
  it('says nothing while the room is connected', async () => {
    const page = await pages.newPage();
    await mountBanner(page, { connection: 'open' });
    await page.locator('connection-banner [role="status"]').waitFor({ state: 'attached' });
    expect(await text(page)).toBe('');
  });

  it('tells connecting, reconnecting and offline apart', async () => {
    const page = await pages.newPage();
    await mountBanner(page, { connection: 'connecting' });
    await expect.poll(() => text(page)).toBe('Connecting to the room…');

    await page.evaluate(() => (parleyFixture.element!.connection = 'reconnecting'));
    await expect
      .poll(() => text(page))
      .toBe('Connection lost. Reconnecting… Messages you write are sent once it is back.');

    await page.evaluate(() => (parleyFixture.element!.connection = 'closed'));
    await expect.poll(() => text(page)).toBe('Offline: you are not connected to the room.');

    await page.evaluate(() => (parleyFixture.element!.connection = 'open'));
    await page.context().setOffline(true);
    await expect.poll(() => text(page)).toContain('This device is offline.');
    await page.context().setOffline(false);
    await expect.poll(() => text(page)).toBe('');
  });

  it('explains a gap and a changed room, and can be dismissed', async () => {
    const page = await pages.newPage();
    await mountBanner(page, {
      connection: 'open',
      gap: true,
      roomChange: {
        previous: { id: 'r1', name: 'Old room' },
        current: { id: 'r2', name: 'New room' },
      },
    });
    await expect
      .poll(() => text(page))
      .toContain('The host now runs a different room, “New room”.');
    expect(await text(page)).toContain('Messages from “Old room” are no longer shown.');
    expect(await text(page)).toContain('some messages from that time are not shown');
    await page.getByRole('button', { name: 'Dismiss' }).first().click();
    expect(await page.evaluate(() => parleyFixture.events)).toEqual([
      { type: 'dismiss-notices', detail: {} },
    ]);
  });
});
