import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useFixturePages } from '../../helpers/fixture';
import type { RecordedEvent } from '../../helpers/fixture-page';

const pages = useFixturePages();

async function mountComposer(page: Page): Promise<void> {
  await page.evaluate(() =>
    parleyFixture.mount('message-composer', { placeholder: 'Message Lab' }),
  );
  await page.getByLabel('Message').waitFor();
}

function events(page: Page, type: string): Promise<RecordedEvent[]> {
  return page.evaluate((type) => parleyFixture.events.filter((event) => event.type === type), type);
}

describe('message-composer', () => {
  it('sends on Enter and starts a new line on Shift+Enter', async () => {
    const page = await pages.newPage();
    await mountComposer(page);
    const field = page.getByLabel('Message');
    await field.click();
    await page.keyboard.type('first line');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('second line');
    expect(await events(page, 'send-message')).toEqual([]);
    expect(await field.inputValue()).toBe('first line\nsecond line');

    await page.keyboard.press('Enter');
    expect(await events(page, 'send-message')).toEqual([
      { type: 'send-message', detail: { text: 'first line\nsecond line' } },
    ]);
    expect(await field.inputValue()).toBe('');

    // Blank messages are not sent at all.
    await page.keyboard.type('   ');
    await page.keyboard.press('Enter');
    expect(await events(page, 'send-message')).toHaveLength(1);
    expect(await page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
  });

  it('shows a counter near the 4000 limit and refuses a message over it', async () => {
    const page = await pages.newPage();
    await mountComposer(page);
    const field = page.getByLabel('Message');
    const counter = page.locator('message-composer .counter');

    await field.fill('a'.repeat(3400));
    expect(await counter.count()).toBe(0);

    // Code points count, not UTF-16 units: 3,600 emoji are 3,600 characters.
    await field.fill('😀'.repeat(3600));
    await expect.poll(() => counter.innerText()).toBe('3,600 / 4,000');

    await field.fill('b'.repeat(4005));
    await expect.poll(() => counter.innerText()).toBe('4,005 / 4,000 · 5 over the limit');
    expect(await page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
    await field.press('Enter');
    expect(await events(page, 'send-message')).toEqual([]);
    expect(await page.getByRole('alert').textContent()).toBe(
      'That message is too long: 4,005 characters, and the limit is 4,000.',
    );
    expect(await field.inputValue()).toHaveLength(4005);

    // Back under the limit, it goes.
    await field.fill('c'.repeat(4000));
    await field.press('Enter');
    await expect.poll(() => events(page, 'send-message')).toHaveLength(1);
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('reports typing at most once every 2 seconds', async () => {
    const page = await pages.newPage();
    await page.clock.install();
    await mountComposer(page);
    const field = page.getByLabel('Message');
    await field.click();
    await page.keyboard.type('abc');
    expect(await events(page, 'composer-typing')).toHaveLength(1);

    await page.clock.fastForward(1500);
    await page.keyboard.type('d');
    expect(await events(page, 'composer-typing')).toHaveLength(1);

    await page.clock.fastForward(600);
    await page.keyboard.type('e');
    expect(await events(page, 'composer-typing')).toHaveLength(2);
  });

  it('shows a send error from the room under the field', async () => {
    const page = await pages.newPage();
    await mountComposer(page);
    await page.evaluate(() => {
      parleyFixture.element!.error = 'You are sending too fast. Wait a moment and try again.';
    });
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('You are sending too fast. Wait a moment and try again.');
  });
});
