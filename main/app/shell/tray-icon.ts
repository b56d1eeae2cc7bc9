/**
 * The tray icon, drawn in code (only dist/ ships, and Electron reads no SVG): the app icon of
 * build/make-icon.mjs, simplified for 16-32 px, a white speech bubble with three dots on the
 * indigo-to-sky tile. Returned as a raw BGRA bitmap for nativeImage.createFromBitmap.
 */

export interface Bitmap {
  width: number;
  height: number;
  /** BGRA with premultiplied alpha (Skia's N32), 4 bytes per pixel, rows top to bottom. */
  data: Buffer;
}

const TOP_LEFT = [79, 70, 229];
const BOTTOM_RIGHT = [14, 165, 233];
// 4x4 samples per pixel give smooth edges without a rasteriser.
const SAMPLES = 4;

function inRoundedRect(x: number, y: number, box: [number, number, number, number], r: number) {
  const [left, top, right, bottom] = box;
  if (x < left || x > right || y < top || y > bottom) return false;
  const cx = Math.min(Math.max(x, left + r), right - r);
  const cy = Math.min(Math.max(y, top + r), bottom - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function inTriangle(x: number, y: number, points: [number, number][]): boolean {
  const [[ax, ay], [bx, by], [cx, cy]] = points as [
    [number, number],
    [number, number],
    [number, number],
  ];
  const d1 = (x - bx) * (ay - by) - (ax - bx) * (y - by);
  const d2 = (x - cx) * (by - cy) - (bx - cx) * (y - cy);
  const d3 = (x - ax) * (cy - ay) - (cx - ax) * (y - ay);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
}

/** Colour and opacity at (u, v) in a unit square. */
function sample(u: number, v: number): [number, number, number, number] {
  if (!inRoundedRect(u, v, [0.03, 0.03, 0.97, 0.97], 0.22)) return [0, 0, 0, 0];
  const t = Math.min(Math.max((u + v) / 2, 0), 1);
  const tile = TOP_LEFT.map((channel, i) => channel + ((BOTTOM_RIGHT[i] ?? 0) - channel) * t);
  const [r, g, b] = tile as [number, number, number];
  const inBubble =
    inRoundedRect(u, v, [0.18, 0.22, 0.82, 0.66], 0.13) ||
    inTriangle(u, v, [
      [0.27, 0.6],
      [0.44, 0.6],
      [0.22, 0.82],
    ]);
  if (!inBubble) return [r, g, b, 255];
  const inDot = [0.34, 0.5, 0.66].some((x) => (u - x) ** 2 + (v - 0.44) ** 2 <= 0.055 ** 2);
  return inDot ? [r, g, b, 255] : [255, 255, 255, 255];
}

/** The icon at `size` x `size` pixels (16 to 128). */
export function trayIconBitmap(size = 32): Bitmap {
  const side = Math.min(Math.max(Math.round(size), 16), 128);
  const data = Buffer.alloc(side * side * 4);
  for (let py = 0; py < side; py++) {
    for (let px = 0; px < side; px++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const u = (px + (sx + 0.5) / SAMPLES) / side;
          const v = (py + (sy + 0.5) / SAMPLES) / side;
          const [r, g, b, a] = sample(u, v);
          // Premultiplied: each sample's colour weighted by its opacity.
          sum[0]! += r * a;
          sum[1]! += g * a;
          sum[2]! += b * a;
          sum[3]! += a;
        }
      }
      const count = SAMPLES * SAMPLES;
      const [r, g, b] = sum.map((total) => total / (count * 255)) as [number, number, number];
      const a = (sum[3] ?? 0) / count;
      const offset = (py * side + px) * 4;
      data[offset] = Math.round(b);
      data[offset + 1] = Math.round(g);
      data[offset + 2] = Math.round(r);
      data[offset + 3] = Math.round(a);
    }
  }
  return { width: side, height: side, data };
}
