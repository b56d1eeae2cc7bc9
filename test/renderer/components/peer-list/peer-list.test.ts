import { describe, expect, it } from 'vitest';
import { useFixturePages } from '../../helpers/fixture';

const pages = useFixturePages();

describe('peer-list', () => {
  it('lists everyone with you first, and shows who is typing until ~3 s after their last keystroke', async () => {
    const page = await pages.newPage();
    await page.evaluate(() => {
      parleyFixture.mount('peer-list', {
        peers: [
          { id: 'b', name: 'Bob' },
          { id: 'a', name: 'Ada' },
          { id: 'c', name: 'Cy' },
        ],
        selfId: 'a',
        typing: new Map(),
      });
    });
    const items = page.locator('peer-list li');
    await expect.poll(() => items.allTextContents()).toHaveLength(3);
    const names = await page.locator('peer-list .name').allTextContents();
    expect(names).toEqual(['Ada', 'Bob', 'Cy']);
    expect(await page.locator('peer-list h2').textContent()).toContain('3');
    expect(await items.nth(0).textContent()).toContain('you');

    const startedAt = await page.evaluate(() => {
      const now = Date.now();
      const element = parleyFixture.element!;
      element.typing = new Map([['b', { peer: { id: 'b', name: 'Bob' }, until: now + 3000 }]]);
      return now;
    });
    const bob = page.locator('peer-list li[data-peer-id="b"]');
    await expect.poll(() => bob.textContent()).toContain('typing');
    expect(await page.locator('peer-list li[data-peer-id="c"]').textContent()).not.toContain(
      'typing',
    );

    // Nobody re-renders the list: the indicator has to go away by itself.
    await expect
      .poll(() => bob.textContent(), { timeout: 6000, interval: 100 })
      .not.toContain('typing');
    const goneAfter = Date.now() - startedAt;
    expect(goneAfter).toBeGreaterThanOrEqual(2900);
    expect(goneAfter).toBeLessThan(5000);
  });

  it('renders names as text, however they look', async () => {
    const page = await pages.newPage();
    await page.evaluate(() => {
      parleyFixture.mount('peer-list', {
        peers: [{ id: 'x', name: '<img src=x onerror="globalThis.pwned=1">' }],
        selfId: 'me',
        typing: new Map(),
      });
    });
    await expect
      .poll(() => page.locator('peer-list .name').textContent())
      .toBe('<img src=x onerror="globalThis.pwned=1">');
    expect(await page.locator('peer-list img').count()).toBe(0);
    expect(await page.evaluate(() => 'pwned' in globalThis)).toBe(false);
  });
});
