import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servePage, type PageServer } from '../../tools/page-server';

let root: string;
let server: PageServer;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'parley-page-server-'));
  const dir = path.join(root, 'page');
  await mkdir(path.join(dir, 'sub'), { recursive: true });
  await writeFile(path.join(root, 'secret.txt'), 'outside the page folder');
  await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>t</title>');
  await writeFile(path.join(dir, 'app.js'), 'export {};');
  await writeFile(path.join(dir, 'theme.css'), ':root {}');
  await writeFile(path.join(dir, 'app.js.map'), '{}');
  await writeFile(path.join(dir, 'data.bin'), 'raw');
  await writeFile(path.join(dir, '.hidden'), 'private');
  await writeFile(path.join(dir, 'sub', 'nested.js'), 'export {};');
  server = await servePage(dir, {
    routes: {
      'api/info': (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"app":"parley"}');
      },
    },
  });
});

afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

interface Answer {
  status: number;
  type: string | undefined;
  cache: string | undefined;
  body: string;
}

/** A GET with the path sent exactly as written (fetch would normalize `..` away). */
function get(rawPath: string): Promise<Answer> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const sent = request({ host: '127.0.0.1', port, path: rawPath, timeout: 5000 }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          type: response.headers['content-type'],
          cache: response.headers['cache-control'],
          body,
        }),
      );
    });
    sent.on('timeout', () => sent.destroy(new Error(`no answer for ${rawPath} within 5 s`)));
    sent.on('error', reject);
    sent.end();
  });
}

describe('servePage', () => {
  it('listens on 127.0.0.1 and serves index.html at the root', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await get('/');
    expect(page).toMatchObject({
      status: 200,
      type: 'text/html; charset=utf-8',
      cache: 'no-store',
    });
    expect(page.body).toContain('<title>t</title>');
  });

  it('serves the flat files of its folder with their content types', async () => {
    expect(await get('/app.js')).toMatchObject({
      status: 200,
      type: 'text/javascript; charset=utf-8',
      body: 'export {};',
    });
    expect((await get('/theme.css')).type).toBe('text/css; charset=utf-8');
    expect((await get('/app.js.map')).type).toBe('application/json');
    expect((await get('/data.bin')).type).toBe('application/octet-stream');
    expect((await get('/app.js?v=2')).status).toBe(200);
  });

  it('reaches nothing else: no hidden files, sub-folders, parent folders or missing files', async () => {
    for (const rawPath of [
      '/.hidden',
      '/sub/nested.js',
      '/../secret.txt',
      '/..%2Fsecret.txt',
      '/%2E%2E/secret.txt',
      '/missing.js',
      '/sub',
    ]) {
      const answer = await get(rawPath);
      expect(answer.status, rawPath).toBe(404);
      expect(answer.body, rawPath).toBe('');
    }
  });

  it('answers its routes itself', async () => {
    expect(await get('/api/info')).toMatchObject({
      status: 200,
      type: 'application/json',
      body: '{"app":"parley"}',
    });
  });

  it('frees its port on close', async () => {
    const other = await servePage(root);
    const { port } = new URL(other.url);
    await other.close();
    await expect(
      new Promise((resolve, reject) => {
        const sent = request({ host: '127.0.0.1', port, path: '/', timeout: 5000 }, resolve);
        sent.on('timeout', () => sent.destroy(new Error('timed out')));
        sent.on('error', reject);
        sent.end();
      }),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
