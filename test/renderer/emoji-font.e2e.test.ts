/**
 * Emoji on a machine without an emoji font (this one has none: only DejaVu): the built page, as
 * a host serves it to a guest and as the desktop window gets it from parley-app:// (through
 * renderer-scheme.ts, its strict CSP included), draws an emoji in colour, not as the empty box
 * of a character no font has.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RENDERER_ORIGIN,
  RENDERER_URL,
  rendererResponse,
} from '../../main/app/renderer-scheme/renderer-scheme';
import { startHost } from '../../main/host/server';
import type { ParleyHost } from '../../main/host/types';
import { launchBrowser } from './helpers/browser';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
let outDir: string;
let browser: Browser;
let host: ParleyHost;

/** Builds the renderer as `npm run build` does, into a folder of this test's own. */
function buildRenderer(dir: string): Promise<void> {
  const script = `import('vite').then((vite) => vite.build({
    configFile: 'renderer/vite.config.ts',
    build: { outDir: ${JSON.stringify(dir)}, emptyOutDir: true, sourcemap: false },
    logLevel: 'error',
  }))`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { cwd: repoRoot, stdio: 'pipe' });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(output))));
  });
}

beforeAll(async () => {
  outDir = await mkdtemp(path.join(tmpdir(), 'parley-emoji-'));
  await buildRenderer(outDir);
  browser = await launchBrowser();
  host = await startHost({ host: '127.0.0.1', port: 0, staticDir: outDir });
}, 180_000);

afterAll(async () => {
  await host?.close();
  await browser?.close();
  await rm(outDir, { recursive: true, force: true });
});

interface Ink {
  /** Pixels with any ink. */
  inked: number;
  /** Pixels whose colour is clearly not grey: a colour glyph, not a box or a text glyph. */
  coloured: number;
  /** The pixels themselves, to compare two drawings. */
  signature: string;
}

/**
 * Runs in the page (as source text: these tests are typed without the DOM): draws `text` in the
 * page's own font stack on a canvas, once the fonts it needs are loaded, and counts its ink.
 */
const DRAW_IN_PAGE = `async (text) => {
  const family = getComputedStyle(document.body).fontFamily;
  const font = '48px ' + family;
  await document.fonts.load(font, text);
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 64;
  const context = canvas.getContext('2d');
  context.font = font;
  context.textBaseline = 'top';
  context.fillStyle = '#000';
  context.fillText(text, 4, 4);
  const pixels = context.getImageData(0, 0, 64, 64).data;
  let inked = 0;
  let coloured = 0;
  let signature = '';
  for (let index = 0; index < pixels.length; index += 4) {
    const [r, g, b, a] = pixels.slice(index, index + 4);
    if (a > 0) inked++;
    if (a > 128 && Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;
    signature += a > 0 ? '1' : '0';
  }
  return { inked, coloured, signature };
}`;

function inkOf(page: Page, text: string): Promise<Ink> {
  return page.evaluate(`(${DRAW_IN_PAGE})(${JSON.stringify(text)})`) as Promise<Ink>;
}

/** The families of the web fonts the page has loaded. */
function loadedFonts(page: Page): Promise<string[]> {
  return page.evaluate(
    "[...document.fonts].filter((face) => face.status === 'loaded').map((face) => face.family)",
  ) as Promise<string[]>;
}

async function expectColourEmoji(page: Page): Promise<void> {
  // 😀 is also in DejaVu Sans, in black and white: colour says it is the emoji font's.
  const emoji = await inkOf(page, '😀');
  // U+10FFFD is in no font: it is drawn as the empty box an emoji showed as before.
  const box = await inkOf(page, '\u{10FFFD}');
  expect(emoji.inked).toBeGreaterThan(200);
  expect(emoji.coloured).toBeGreaterThan(200);
  expect(box.coloured).toBe(0);
  expect(emoji.signature).not.toBe(box.signature);
  expect(await loadedFonts(page)).toContain('Parley Emoji');
}

describe('emoji on a machine without an emoji font', () => {
  it('show in colour on the guest page a host serves', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${host.port}/`);
      await expectColourEmoji(page);
    } finally {
      await context.close();
    }
  });

  it('show in colour in the desktop window, under its strict CSP', async () => {
    const context = await browser.newContext();
    // parley-app:// stands in as an http origin Chromium knows; every answer is the scheme's.
    const origin = 'http://parley-app.test';
    await context.route(`${origin}/**`, async (route) => {
      const request = route.request();
      const url = request.url().replace(origin, RENDERER_ORIGIN);
      const response = await rendererResponse({ method: request.method(), url }, outDir);
      await route.fulfill({
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: Buffer.from(await response.arrayBuffer()),
      });
    });
    // As the preload would: a desktop bridge, so the page asks nothing of the network.
    await context.addInitScript(`{
      const idle = () => Promise.resolve(undefined);
      const preferences = { name: 'Ada', roomName: '', address: '', port: 7420 };
      Object.defineProperty(window, 'parley', {
        value: {
          kind: 'desktop',
          loadPreferences: () => Promise.resolve(preferences),
          savePreferences: idle,
          startDiscovery: idle,
          stopDiscovery: idle,
          subscribe: () => () => undefined,
        },
      });
    }`);
    const violations: string[] = [];
    try {
      const page = await context.newPage();
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      await page.goto(RENDERER_URL.replace(RENDERER_ORIGIN, origin));
      await expectColourEmoji(page);
      expect(violations).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
