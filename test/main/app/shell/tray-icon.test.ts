import { describe, expect, it } from 'vitest';
import { trayIconBitmap } from '../../../../main/app/shell/tray-icon';

function pixel(bitmap: ReturnType<typeof trayIconBitmap>, x: number, y: number) {
  const offset = (y * bitmap.width + x) * 4;
  const [b, g, r, a] = bitmap.data.subarray(offset, offset + 4);
  return { r, g, b, a };
}

describe('tray icon', () => {
  it('is a square BGRA bitmap of the asked size, within sane bounds', () => {
    const icon = trayIconBitmap(32);
    expect([icon.width, icon.height, icon.data.length]).toEqual([32, 32, 32 * 32 * 4]);
    expect(trayIconBitmap(4).width).toBe(16);
    expect(trayIconBitmap(10_000).width).toBe(128);
  });

  it('has transparent corners, a white bubble and the coloured tile around it', () => {
    const icon = trayIconBitmap(32);
    expect(pixel(icon, 0, 0).a).toBe(0);
    expect(pixel(icon, 31, 31).a).toBe(0);
    // Inside the bubble, between the dots.
    expect(pixel(icon, 14, 10)).toEqual({ r: 255, g: 255, b: 255, a: 255 });
    // The tile below the bubble: opaque indigo-to-sky, blue the strongest channel.
    const tile = pixel(icon, 24, 27);
    expect(tile.a).toBe(255);
    expect(tile.b).toBeGreaterThan(tile.r ?? 0);
  });

  it('premultiplies its edges: no channel is brighter than the alpha', () => {
    const { data } = trayIconBitmap(24);
    for (let i = 0; i < data.length; i += 4) {
      const alpha = data[i + 3] ?? 0;
      expect(Math.max(data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0)).toBeLessThanOrEqual(alpha);
    }
  });
});
