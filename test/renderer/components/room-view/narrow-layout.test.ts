/**
 * The room screen on a phone-sized window: the conversations and the people live in a drawer
 * that the header's button (or the "N people" line) opens, so both stay reachable.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { RoomSummary } from '../../../../protocol/bridge';
import { isFocused, useFixturePages } from '../../helpers/fixture';
import { GENERAL_VIEW, channelView, summaryOf } from '../../helpers/entries';

const pages = useFixturePages();

const ADA = { id: 'a', name: 'Ada' };
const BOB = { id: 'b', name: 'Bob' };
const CY = { id: 'c', name: 'Cy' };
const DESIGN = channelView({ id: 'c_design', name: 'design', unread: 4 });
const SUMMARY: RoomSummary = summaryOf([ADA, BOB, CY], {
  conversations: [GENERAL_VIEW, DESIGN],
});
const PHONE = { viewport: { width: 390, height: 760 }, hasTouch: true };

async function enterRoom(page: Page): Promise<void> {
  await page.evaluate((summary) => {
    const fixture = parleyFixture;
    fixture.createBridge('browser', {
      openDirect: { value: fixture.entries.directView({ id: 'd_bob', peer: summary.peers[1]! }) },
    });
    fixture.mount('parley-app', {}, 'bridge');
    fixture.bridge!.emit({ type: 'summary', summary });
  }, SUMMARY);
  await page.locator('parley-app room-view').waitFor();
}

const drawer = (page: Page) => page.locator('room-view aside');
const toggle = (page: Page) => page.locator('room-view .drawer-toggle');

describe('room-view on a narrow screen', () => {
  it('reaches the people through the "3 people" line, and a person’s direct conversation', async () => {
    const page = await pages.newPage(PHONE);
    await enterRoom(page);
    expect(await drawer(page).isVisible()).toBe(false);
    const people = page.getByRole('button', { name: '3 people' });
    await people.tap();
    await expect.poll(() => drawer(page).isVisible()).toBe(true);
    const heading = page.locator('peer-list h2');
    await expect.poll(() => isFocused(heading)).toBe(true);
    // The drawer lies over the conversation, within the window.
    const box = (await drawer(page).boundingBox())!;
    expect(box.x).toBe(0);
    expect(box.width).toBeLessThanOrEqual(390);

    await page.getByRole('button', { name: 'Message Bob directly' }).tap();
    await expect.poll(() => page.locator('conversation-header h2').textContent()).toBe('Bob');
    // Choosing a conversation closes the drawer and shows it.
    await expect.poll(() => drawer(page).isVisible()).toBe(false);
  });

  it('opens the conversations from the header, shows unread elsewhere, and closes on Escape', async () => {
    const page = await pages.newPage(PHONE);
    await enterRoom(page);
    expect(await toggle(page).getAttribute('aria-label')).toBe(
      'Conversations and people, 4 unread',
    );
    expect(await toggle(page).locator('.dot').count()).toBe(1);
    expect(await toggle(page).getAttribute('aria-expanded')).toBe('false');

    await toggle(page).tap();
    await expect.poll(() => drawer(page).isVisible()).toBe(true);
    expect(await toggle(page).getAttribute('aria-expanded')).toBe('true');
    const general = page.locator('conversation-sidebar button[data-conv="general"]');
    await expect.poll(() => isFocused(general)).toBe(true);

    await page.keyboard.press('Escape');
    await expect.poll(() => drawer(page).isVisible()).toBe(false);
    expect(await isFocused(toggle(page))).toBe(true);

    await toggle(page).tap();
    await page.locator('conversation-sidebar button[data-conv="c_design"]').tap();
    await expect.poll(() => page.locator('conversation-header h2').textContent()).toBe('#design');
    await expect.poll(() => drawer(page).isVisible()).toBe(false);

    // Tapping beside the drawer closes it too.
    await toggle(page).tap();
    await expect.poll(() => drawer(page).isVisible()).toBe(true);
    await page.mouse.click(380, 500);
    await expect.poll(() => drawer(page).isVisible()).toBe(false);
  });

  it('keeps the conversations and people beside the conversation on a wide screen', async () => {
    const page = await pages.newPage();
    await enterRoom(page);
    expect(await drawer(page).isVisible()).toBe(true);
    expect(await toggle(page).isVisible()).toBe(false);
    await page.getByRole('button', { name: '3 people' }).click();
    await expect.poll(() => isFocused(page.locator('peer-list h2'))).toBe(true);
    expect(await drawer(page).isVisible()).toBe(true);
    expect(await page.locator('room-view .scrim').count()).toBe(0);
  });
});
