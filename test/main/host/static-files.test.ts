import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, contentTypeOf } from '../../../main/host/static-files';
import { tempDir, testHost } from './helpers/host';
import { request } from './helpers/http';

async function builtUi(): Promise<{ root: string; staticDir: string }> {
  const root = await tempDir();
  const staticDir = path.join(root, 'renderer');
  await mkdir(path.join(staticDir, 'assets'), { recursive: true });
  await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>Parley</title>');
  await writeFile(path.join(staticDir, 'assets', 'app-1234.js'), 'console.log("hi");');
  await writeFile(path.join(staticDir, 'assets', 'app-1234.css'), 'body{}');
  await writeFile(path.join(staticDir, 'icon.svg'), '<svg/>');
  await writeFile(path.join(staticDir, '.env'), 'SECRET=1');
  await writeFile(path.join(root, 'secret.txt'), 'outside the static folder');
  await symlink(path.join(root, 'secret.txt'), path.join(staticDir, 'link.txt'));
  return { root, staticDir };
}

describe('the guest page', () => {
  it('serves index.html at / with a strict CSP and nosniff', async () => {
    const { staticDir } = await builtUi();
    const host = await testHost({ staticDir });
    const response = await request(host.port, '/');
    expect(response.status).toBe(200);
    expect(response.body).toBe('<!doctype html><title>Parley</title>');
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toBe(
      "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
    expect(response.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect((await request(host.port, '/index.html')).status).toBe(200);
  });

  it('serves assets with their content types and sizes, and HEAD without a body', async () => {
    const { staticDir } = await builtUi();
    const host = await testHost({ staticDir });
    const script = await request(host.port, '/assets/app-1234.js');
    expect(script).toMatchObject({ status: 200, body: 'console.log("hi");' });
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['content-security-policy']).toBeUndefined();
    expect((await request(host.port, '/assets/app-1234.css')).headers['content-type']).toBe(
      'text/css; charset=utf-8',
    );
    expect((await request(host.port, '/icon.svg')).headers['content-type']).toBe('image/svg+xml');
    const head = await request(host.port, '/assets/app-1234.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String('console.log("hi");'.length));
    expect(head.body).toBe('');
  });

  it('answers 404 for anything else, including every way out of the folder', async () => {
    const { staticDir } = await builtUi();
    const host = await testHost({ staticDir });
    const refused = [
      '/missing.js',
      '/assets',
      '/assets/',
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/..%5csecret.txt',
      '/%2e%2e%2fsecret.txt',
      '/link.txt',
      '/.env',
      '/%00index.html',
      '/%E0%A4%A',
    ];
    for (const target of refused) {
      const response = await request(host.port, target);
      expect(response.status, target).toBe(404);
      expect(response.body).not.toContain('outside the static folder');
      expect(response.body).not.toContain('SECRET');
    }
  });

  it('answers / with 503 and one line of explanation when the UI is not built', async () => {
    const host = await testHost({ staticDir: path.join(await tempDir(), 'nothing-here') });
    const response = await request(host.port, '/');
    expect(response.status).toBe(503);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.body.trim().split('\n')).toHaveLength(1);
    expect(response.body).toMatch(/not built/);
    expect((await request(host.port, '/app.js')).status).toBe(404);
  });

  it('maps file names to content types', () => {
    expect(contentTypeOf('a/b/index.HTML')).toBe('text/html; charset=utf-8');
    expect(contentTypeOf('x.woff2')).toBe('font/woff2');
    expect(contentTypeOf('x.unknown')).toBe('application/octet-stream');
    expect(contentTypeOf('noext')).toBe('application/octet-stream');
  });
});
