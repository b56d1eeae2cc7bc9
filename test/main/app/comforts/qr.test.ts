import { describe, expect, it } from 'vitest';
import { inflateSync } from 'node:zlib';
import QRCode from 'qrcode';
import { QrError, inviteQrPngDataUrl, inviteQrSvg } from '../../../../main/app/comforts/qr';

const INVITE =
  'parley://192.168.1.20:7420/?fp=a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90&room=3f1c9a4e';

/** The module grid the invite should produce (true = dark), as the QR encoder computes it. */
function expectedModules(text: string, errorCorrectionLevel: 'L' | 'M' | 'Q' | 'H' = 'M') {
  const qr = QRCode.create(text, { errorCorrectionLevel });
  const size = qr.modules.size;
  return Array.from({ length: size }, (_, row) =>
    Array.from({ length: size }, (_, col) => qr.modules.get(row, col) === 1),
  );
}

/** Reads the dark modules back out of the SVG path the renderer drew (rows of `h` strokes). */
function modulesFromSvg(svg: string, size: number, margin: number): boolean[][] {
  const grid = Array.from({ length: size }, () => Array<boolean>(size).fill(false));
  const path = /<path[^>]*stroke="[^"]+"[^>]* d="([^"]*)"/.exec(svg)?.[1] ?? '';
  let x = 0;
  let y = 0;
  for (const [, command, a, b] of path.matchAll(/([Mmh])([\d.]+)(?: ([\d.]+))?/g)) {
    if (command === 'M') [x, y] = [Number(a), Number(b)];
    else if (command === 'm') x += Number(a);
    else {
      const row = Math.floor(y) - margin;
      for (let i = 0; i < Number(a); i++) grid[row]![x - margin + i] = true;
      x += Number(a);
    }
  }
  return grid;
}

/** A small PNG reader (8-bit grey/RGB/RGBA, every filter type): enough to sample pixels. */
function decodePng(png: Buffer) {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect(data[8]).toBe(8);
      channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[data[9]!] ?? 0;
    } else if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(height * stride);
  for (let row = 0; row < height; row++) {
    const filter = raw[row * (stride + 1)]!;
    const line = raw.subarray(row * (stride + 1) + 1, (row + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const left = i >= channels ? pixels[row * stride + i - channels]! : 0;
      const up = row > 0 ? pixels[(row - 1) * stride + i]! : 0;
      const upLeft = row > 0 && i >= channels ? pixels[(row - 1) * stride + i - channels]! : 0;
      const paeth = () => {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      };
      const predictor = [0, left, up, (left + up) >> 1, paeth()][filter]!;
      pixels[row * stride + i] = (line[i]! + predictor) & 0xff;
    }
  }
  return {
    width,
    height,
    dark: (x: number, y: number) => pixels[y * stride + x * channels]! < 128,
  };
}

describe('inviteQrSvg', () => {
  it('draws exactly the QR code of the invite, with a quiet zone', async () => {
    const svg = await inviteQrSvg(INVITE);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const expected = expectedModules(INVITE);
    const total = expected.length + 4;
    expect(svg).toContain(`viewBox="0 0 ${total} ${total}"`);
    expect(modulesFromSvg(svg, expected.length, 2)).toEqual(expected);
  });

  it('follows the options given (margin, colours, error correction)', async () => {
    const svg = await inviteQrSvg(INVITE, { margin: 4, dark: '#112233', errorCorrection: 'H' });
    const expected = expectedModules(INVITE, 'H');
    expect(svg).toContain(`viewBox="0 0 ${expected.length + 8} ${expected.length + 8}"`);
    expect(svg).toContain('stroke="#112233"');
    expect(modulesFromSvg(svg, expected.length, 4)).toEqual(expected);
  });

  it('draws the same picture for the same invite', async () => {
    expect(await inviteQrSvg(INVITE)).toBe(await inviteQrSvg(` ${INVITE}\n`));
  });
});

describe('inviteQrPngDataUrl', () => {
  it('gives a PNG of the requested width whose modules spell the invite', async () => {
    const url = await inviteQrPngDataUrl(INVITE, { width: 300 });
    expect(url.startsWith('data:image/png;base64,')).toBe(true);
    const png = decodePng(Buffer.from(url.slice('data:image/png;base64,'.length), 'base64'));
    expect([png.width, png.height]).toEqual([300, 300]);

    const expected = expectedModules(INVITE);
    const scale = 300 / (expected.length + 4);
    const sampled = expected.map((line, row) =>
      line.map((_, col) =>
        png.dark(Math.floor((col + 2.5) * scale), Math.floor((row + 2.5) * scale)),
      ),
    );
    expect(sampled).toEqual(expected);
    // The quiet zone is light.
    expect(png.dark(1, 1)).toBe(false);
  });

  it('defaults to 256 pixels', async () => {
    const url = await inviteQrPngDataUrl(INVITE);
    const png = decodePng(Buffer.from(url.split(',')[1]!, 'base64'));
    expect(png.width).toBe(256);
  });
});

describe('bad input', () => {
  it('is refused with a stable code, never drawn', async () => {
    const cases: [Promise<string>, string][] = [
      [inviteQrSvg(''), 'bad_invite'],
      [inviteQrSvg('   '), 'bad_invite'],
      [inviteQrSvg(42 as unknown as string), 'bad_invite'],
      [inviteQrSvg('x'.repeat(1025)), 'invite_too_long'],
      [inviteQrSvg('é'.repeat(600)), 'invite_too_long'],
      [inviteQrSvg(INVITE, { margin: -1 }), 'bad_options'],
      [inviteQrSvg(INVITE, { dark: 'red' }), 'bad_options'],
      [inviteQrPngDataUrl(INVITE, { width: 10 }), 'bad_options'],
      [inviteQrPngDataUrl(INVITE, { errorCorrection: 'Z' as 'L' }), 'bad_options'],
    ];
    for (const [promise, code] of cases) {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(QrError);
      expect((error as QrError).code).toBe(code);
    }
  });

  it('treats an explicit undefined option as the default', async () => {
    expect(await inviteQrSvg(INVITE, { margin: undefined })).toBe(await inviteQrSvg(INVITE));
  });
});
