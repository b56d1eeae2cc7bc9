import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { fileOf, filesHost, join as joinRoom, send, upload } from './helpers/files-rig';

/** A 640x480 picture (a gradient, so every format has something to encode) as `format`. */
function picture(format: 'png' | 'jpeg' | 'webp' | 'gif'): Promise<Buffer> {
  const [width, height] = [640, 480];
  const pixels = Buffer.alloc(width * height * 3);
  for (let at = 0; at < pixels.length; at += 3) {
    const x = (at / 3) % width;
    pixels[at] = x % 256;
    pixels[at + 1] = Math.floor(at / 3 / width) % 256;
    pixels[at + 2] = 128;
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .toFormat(format)
    .toBuffer();
}

describe('images', () => {
  it('gives PNG, JPEG, WebP and GIF their size and a WebP thumbnail of at most 320x320', async () => {
    const { port, origin } = await filesHost();
    const alice = await joinRoom(port, 'alice');
    for (const format of ['png', 'jpeg', 'webp', 'gif'] as const) {
      const bytes = await picture(format);
      // The name says nothing true: the type comes from the bytes.
      const done = await upload(origin, alice.token, bytes, {
        filename: `p.${format}.txt`,
        conv: 'general',
      });
      const file = await fileOf(port, alice.token, done.url);
      expect([format, file.mime, file.width, file.height]).toEqual([
        format,
        `image/${format}`,
        640,
        480,
      ]);
      expect(file.thumb).toMatch(
        new RegExp(`^/api/files/[0-9a-f]{64}/[A-Za-z0-9_-]{22}/p\\.${format}\\.webp$`),
      );
      const thumb = await send(port, 'GET', file.thumb!);
      expect(thumb.status).toBe(200);
      expect(thumb.headers['content-type']).toBe('image/webp');
      expect(thumb.headers['content-disposition']).toMatch(/^inline;/);
      const meta = await sharp(thumb.body).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['webp', 320, 240]);
      // A raster image itself is shown inline too.
      const full = await send(port, 'HEAD', file.url);
      expect(full.headers['content-disposition']).toMatch(/^inline;/);
    }
  });

  it('gives a corrupt image no thumbnail, and keeps serving', async () => {
    const { port, origin } = await filesHost();
    const alice = await joinRoom(port, 'alice');
    const good = await picture('png');
    const corrupt = Buffer.concat([good.subarray(0, 100), Buffer.alloc(5000, 0xab)]);
    const done = await upload(origin, alice.token, corrupt, {
      filename: 'broken.png',
      conv: 'general',
    });
    const file = await fileOf(port, alice.token, done.url);
    expect(file.mime).toBe('image/png');
    expect(file.thumb).toBeUndefined();
    expect(file.width).toBeUndefined();
    expect((await send(port, 'GET', file.url)).status).toBe(200);
    // The host still makes thumbnails afterwards.
    const next = await upload(origin, alice.token, good, { filename: 'fine.png', conv: 'general' });
    expect((await fileOf(port, alice.token, next.url)).thumb).toBeDefined();
  });
});
