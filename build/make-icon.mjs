// Draws build/icon.png (512x512 RGBA): two chat bubbles on a rounded gradient square.
// Plain Node (zlib only) so the icon can be regenerated anywhere: `node build/make-icon.mjs`.
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SIZE = 512;
// 4x4 samples per pixel give smooth edges without an anti-aliasing rasteriser.
const SAMPLES = 4;

const TOP_LEFT = [79, 70, 229]; // indigo
const BOTTOM_RIGHT = [14, 165, 233]; // sky blue

function insideRoundedRect(x, y, left, top, right, bottom, radius) {
  if (x < left || x > right || y < top || y > bottom) return false;
  const cx = Math.min(Math.max(x, left + radius), right - radius);
  const cy = Math.min(Math.max(y, top + radius), bottom - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

function insideTriangle(x, y, [ax, ay], [bx, by], [cx, cy]) {
  const d1 = (x - bx) * (ay - by) - (ax - bx) * (y - by);
  const d2 = (x - cx) * (by - cy) - (bx - cx) * (y - cy);
  const d3 = (x - ax) * (cy - ay) - (cx - ax) * (y - ay);
  const hasNegative = d1 < 0 || d2 < 0 || d3 < 0;
  const hasPositive = d1 > 0 || d2 > 0 || d3 > 0;
  return !(hasNegative && hasPositive);
}

function insideCircle(x, y, cx, cy, r) {
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function backgroundColor(x, y) {
  const t = Math.min(Math.max((x + y) / (2 * SIZE), 0), 1);
  return TOP_LEFT.map((channel, i) => channel + (BOTTOM_RIGHT[i] - channel) * t);
}

const inTile = (x, y) => insideRoundedRect(x, y, 24, 24, 488, 488, 104);
const inBackBubble = (x, y) =>
  insideRoundedRect(x, y, 196, 118, 420, 284, 52) ||
  insideTriangle(x, y, [352, 270], [404, 270], [410, 334]);
const inFrontBubble = (x, y) =>
  insideRoundedRect(x, y, 92, 196, 356, 380, 60) ||
  insideTriangle(x, y, [128, 360], [196, 360], [112, 426]);
const inDot = (x, y) =>
  insideCircle(x, y, 166, 288, 21) ||
  insideCircle(x, y, 224, 288, 21) ||
  insideCircle(x, y, 282, 288, 21);

/** Colour and opacity of one sample point, painted back to front. */
function sample(x, y) {
  if (!inTile(x, y)) return [0, 0, 0, 0];
  let [r, g, b] = backgroundColor(x, y);
  if (inBackBubble(x, y)) {
    // A translucent white bubble behind: the room talking back.
    r += (255 - r) * 0.45;
    g += (255 - g) * 0.45;
    b += (255 - b) * 0.45;
  }
  if (inFrontBubble(x, y)) [r, g, b] = inDot(x, y) ? backgroundColor(x, y) : [255, 255, 255];
  return [r, g, b, 255];
}

function render() {
  const stride = SIZE * 4 + 1;
  const raw = Buffer.alloc(stride * SIZE);
  for (let py = 0; py < SIZE; py++) {
    raw[py * stride] = 0; // PNG filter type "None" for every scanline
    for (let px = 0; px < SIZE; px++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const [r, g, b, a] = sample(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES);
          // Premultiply so transparent samples do not darken the edge.
          sum[0] += r * a;
          sum[1] += g * a;
          sum[2] += b * a;
          sum[3] += a;
        }
      }
      const offset = py * stride + 1 + px * 4;
      const alpha = sum[3] / (SAMPLES * SAMPLES);
      for (let c = 0; c < 3; c++) raw[offset + c] = sum[3] ? Math.round(sum[c] / sum[3]) : 0;
      raw[offset + 3] = Math.round(alpha);
    }
  }
  return raw;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let crc = 0xffffffff;
  for (const byte of buffer) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

function encodePng(raw) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const target = fileURLToPath(new URL('./icon.png', import.meta.url));
writeFileSync(target, encodePng(render()));
console.log(`wrote ${target}`);
