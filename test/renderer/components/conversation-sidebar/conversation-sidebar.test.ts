import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ConversationView } from '../../../../protocol/bridge';
import { isFocused, useFixturePages } from '../../helpers/fixture';
import type { RecordedEvent } from '../../helpers/fixture-page';
import { GENERAL_VIEW, channelView, directView } from '../../helpers/entries';

const pages = useFixturePages();

const CONVERSATIONS: ConversationView[] = [
  channelView({ id: 'c_zoo', name: 'zoo', unread: 120 }),
  GENERAL_VIEW,
  channelView({ id: 'c_design', name: 'design', unread: 3, mentioned: true }),
  channelView({ id: 'c_random', name: 'random', member: false, unread: 0 }),
  directView({ id: 'd_cy', peer: { id: 'c', name: 'Cy' }, unread: 1 }),
  directView({ id: 'd_bob', peer: { id: 'b', name: 'Bob' } }),
];

async function mountSidebar(
  page: Page,
  properties: { conversations?: ConversationView[]; current?: string; reading?: boolean } = {},
): Promise<void> {
  await page.evaluate((properties) => parleyFixture.mount('conversation-sidebar', properties), {
    conversations: CONVERSATIONS,
    current: 'general',
    reading: false,
    ...properties,
  });
  await page.locator('conversation-sidebar nav').waitFor();
}

function events(page: Page, type: string): Promise<RecordedEvent[]> {
  return page.evaluate((type) => parleyFixture.events.filter((event) => event.type === type), type);
}

const item = (page: Page, conv: string) =>
  page.locator(`conversation-sidebar button[data-conv="${conv}"]`);

describe('conversation-sidebar', () => {
  it('lists the channels one is in (general first) and the direct conversations, with counts', async () => {
    const page = await pages.newPage();
    await mountSidebar(page);
    const channels = page.getByRole('list', { name: 'Channels' }).locator('.label');
    expect(await channels.allTextContents()).toEqual(['#general', '#design', '#zoo']);
    const directs = page.getByRole('list', { name: 'Direct messages' }).locator('.label');
    expect(await directs.allTextContents()).toEqual(['Bob', 'Cy']);

    expect(await item(page, 'c_design').locator('.count').textContent()).toBe('3');
    expect(await item(page, 'c_design').locator('.mention').textContent()).toBe('@');
    expect(await item(page, 'c_zoo').locator('.count').textContent()).toBe('99+');
    expect(await item(page, 'c_zoo').locator('.mention').count()).toBe(0);
    expect(await item(page, 'general').locator('.count').count()).toBe(0);
    // What a screen reader says of each.
    await expect
      .poll(() =>
        page.getByRole('button', { name: '#design, 3 unread messages, mentions you' }).count(),
      )
      .toBe(1);
    expect(await page.getByRole('button', { name: 'Cy, 1 unread message' }).count()).toBe(1);

    expect(await item(page, 'general').getAttribute('aria-current')).toBe('page');
    expect(await item(page, 'c_design').getAttribute('aria-current')).toBe('false');
  });

  it('follows the counts as they change, and hides the count of the conversation being read', async () => {
    const page = await pages.newPage();
    await mountSidebar(page, { current: 'c_design', reading: true });
    expect(await item(page, 'c_design').locator('.count').count()).toBe(0);
    expect(await item(page, 'd_cy').locator('.count').textContent()).toBe('1');

    await page.evaluate(() => {
      const element = parleyFixture.element!;
      const views = element.conversations as ConversationView[];
      element.conversations = views.map((view) =>
        view.id === 'd_cy'
          ? { ...view, unread: 4 }
          : view.id === 'general'
            ? { ...view, unread: 2 }
            : view,
      );
      element.reading = false;
    });
    await expect.poll(() => item(page, 'd_cy').locator('.count').textContent()).toBe('4');
    expect(await item(page, 'general').locator('.count').textContent()).toBe('2');
    expect(await item(page, 'c_design').locator('.count').textContent()).toBe('3');
  });

  it('is one tab stop: arrows, Home and End move between conversations, Enter opens one', async () => {
    const page = await pages.newPage();
    await mountSidebar(page, { current: 'c_design' });
    const tabIndexes = await page
      .locator('conversation-sidebar button.conversation')
      .evaluateAll((buttons) => buttons.map((button) => button.getAttribute('tabindex')));
    expect(tabIndexes.filter((index) => index === '0')).toHaveLength(1);

    await item(page, 'c_design').focus();
    await page.keyboard.press('ArrowDown');
    expect(await isFocused(item(page, 'c_zoo'))).toBe(true);
    await page.keyboard.press('ArrowDown');
    expect(await isFocused(item(page, 'd_bob'))).toBe(true);
    await page.keyboard.press('End');
    expect(await isFocused(item(page, 'd_cy'))).toBe(true);
    await page.keyboard.press('Home');
    expect(await isFocused(item(page, 'general'))).toBe(true);
    expect(await item(page, 'general').getAttribute('tabindex')).toBe('0');
    expect(await item(page, 'c_design').getAttribute('tabindex')).toBe('-1');
    await page.keyboard.press('ArrowUp');
    expect(await isFocused(item(page, 'general'))).toBe(true);

    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    expect(await events(page, 'open-conversation')).toEqual([
      { type: 'open-conversation', detail: { conv: 'c_design' } },
    ]);
    await item(page, 'd_bob').click();
    expect((await events(page, 'open-conversation')).at(-1)).toEqual({
      type: 'open-conversation',
      detail: { conv: 'd_bob' },
    });
  });

  it('says how to start a direct conversation while there is none', async () => {
    const page = await pages.newPage();
    await mountSidebar(page, { conversations: [GENERAL_VIEW] });
    expect(await page.locator('conversation-sidebar .hint').textContent()).toContain(
      'to talk to them alone',
    );
  });

  it('counts a muted conversation quietly, unless it mentions you', async () => {
    const page = await pages.newPage();
    await mountSidebar(page, {
      conversations: [
        GENERAL_VIEW,
        channelView({ id: 'c_noisy', name: 'noisy', unread: 7, muted: true }),
        channelView({ id: 'c_calls', name: 'calls', unread: 2, muted: true, mentioned: true }),
      ],
    });
    const noisy = item(page, 'c_noisy');
    expect(await noisy.locator('.count').textContent()).toBe('7');
    expect(await noisy.locator('.count').getAttribute('class')).toContain('quiet');
    expect(await noisy.getAttribute('class')).not.toMatch(/\bunread\b/);
    expect(await noisy.getAttribute('aria-label')).toBe('#noisy, 7 unread messages, muted');
    // A mention always calls for attention.
    const calls = item(page, 'c_calls');
    expect(await calls.getAttribute('class')).toMatch(/\bunread\b/);
    expect(await calls.locator('.count').getAttribute('class')).not.toContain('quiet');
    expect(await calls.locator('.mention').count()).toBe(1);
  });
});
