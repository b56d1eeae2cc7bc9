import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RENDERER_SCHEME_PRIVILEGES,
  RENDERER_URL,
  rendererResponse,
} from '../../../../main/app/renderer-scheme/renderer-scheme';
import { contentSecurityPolicy } from '../../../../main/app/shell/security-policy';

let dir: string;
let root: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'parley-scheme-'));
  root = path.join(dir, 'renderer');
  await mkdir(path.join(root, 'assets'), { recursive: true });
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>Parley</title>');
  await writeFile(path.join(root, 'assets', 'index-abc.js'), 'export {};');
  await writeFile(path.join(root, 'assets', 'emoji.woff2'), Buffer.from([0x77, 0x4f, 0x46, 0x32]));
  await writeFile(path.join(root, '.secret'), 'hidden');
  await writeFile(path.join(dir, 'outside.txt'), 'outside');
  await symlink(path.join(dir, 'outside.txt'), path.join(root, 'escape.txt'));
}, 30_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const get = (url: string, method = 'GET') => rendererResponse({ method, url }, root);

describe('the parley-app:// scheme', () => {
  it('serves the page with the strict CSP as a header, and its assets with their types', async () => {
    const page = await get(RENDERER_URL);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>Parley</title>');

    const script = await get('parley-app://renderer/assets/index-abc.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    const font = await get('parley-app://renderer/assets/emoji.woff2');
    expect(font.headers.get('content-type')).toBe('font/woff2');
    expect(new Uint8Array(await font.arrayBuffer())).toEqual(
      new Uint8Array([0x77, 0x4f, 0x46, 0x32]),
    );
  });

  it('serves index.html for the root, and ignores query and fragment', async () => {
    expect(await (await get('parley-app://renderer/')).text()).toContain('Parley');
    expect((await get(`${RENDERER_URL}?x=1#y`)).status).toBe(200);
  });

  it('reaches nothing outside the built renderer', async () => {
    for (const url of [
      'parley-app://renderer/../outside.txt',
      'parley-app://renderer/%2e%2e/outside.txt',
      'parley-app://renderer/assets/..%2f..%2foutside.txt',
      'parley-app://renderer/..%5coutside.txt',
      'parley-app://renderer/escape.txt',
      'parley-app://renderer/.secret',
      'parley-app://renderer/assets',
      'parley-app://renderer/missing.js',
      'parley-app://renderer/%E0%A4%A',
      'parley-app://renderer/index.html%00.js',
      'parley-app://elsewhere/index.html',
      'file:///etc/passwd',
    ]) {
      const response = await get(url);
      expect(response.status, url).toBe(404);
      expect(response.headers.get('content-security-policy'), url).toBe(contentSecurityPolicy);
      expect(await response.text(), url).toBe('Not found.\n');
    }
  });

  it('answers GET and HEAD only', async () => {
    const head = await get(RENDERER_URL, 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await get(RENDERER_URL, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('is registered standard and secure, and never bypasses the CSP', () => {
    expect(RENDERER_SCHEME_PRIVILEGES).toMatchObject({ standard: true, secure: true });
    expect(RENDERER_SCHEME_PRIVILEGES).not.toHaveProperty('bypassCSP');
  });
});
