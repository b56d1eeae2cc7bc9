import { describe, expect, it } from 'vitest';
import type { FileInfo } from '../../../../protocol/wire/entries';
import { useFixturePages } from '../../helpers/fixture';

const pages = useFixturePages();

/** A 1×1 GIF: the page's policy loads images from itself or data: URLs. */
const PIXEL = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';
const PHOTO: FileInfo = {
  id: 'f1',
  name: 'harbour.jpg',
  size: 512_000,
  mime: 'image/jpeg',
  width: 4000,
  height: 3000,
  thumb: '/api/files/t1/cap/thumb.webp',
  url: '/api/files/f1/cap/harbour.jpg',
};

describe('image-viewer', () => {
  it('shows the image full size with its name and a download, and closes on Escape', async () => {
    const page = await pages.newPage();
    await page.evaluate(
      ({ photo, pixel }) => {
        parleyFixture.mount('image-viewer', {
          links: { href: (path: string) => `${pixel}#${path}`, appDownloads: false },
        });
        void (parleyFixture.element as unknown as { show(file: unknown): Promise<void> }).show(
          photo,
        );
      },
      { photo: PHOTO, pixel: PIXEL },
    );
    const dialog = page.locator('image-viewer dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getAttribute('aria-label')).toBe('Image harbour.jpg');
    // The file itself, not its thumbnail.
    expect(await dialog.locator('img').getAttribute('src')).toBe(
      `${PIXEL}#/api/files/f1/cap/harbour.jpg`,
    );
    const download = dialog.getByRole('link', { name: 'Download' });
    expect(await download.getAttribute('download')).toBe('harbour.jpg');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
  });
});
