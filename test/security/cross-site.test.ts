/**
 * Cross-site WebSocket hijacking, in headless Chromium: a page from another origin (another port
 * on 127.0.0.1) cannot open the room's socket through the browser, over ws:// or wss://, while
 * the host's own page can and joins; and the host's own page, whatever script got into it, opens
 * sockets to its own host only (its Content-Security-Policy).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost } from '../../main/host/server';
import type { ParleyHost } from '../../main/host/types';
import { ensureCertificate } from '../../main/tls/certificate';
import { launchBrowser, openPage, type OpenedPage } from '../renderer/helpers/browser';

let browser: Browser;
let host: ParleyHost;
let foreign: http.Server;
let foreignOrigin: string;
/** TCP connections the other site received: a page's socket to it counts here. */
let foreignConnections = 0;
let dir: string;
const pages: OpenedPage[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-cross-site-'));
  const staticDir = join(dir, 'static');
  await mkdir(staticDir);
  await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>Parley</title>');
  const { cert, key } = await ensureCertificate(join(dir, 'tls'), { hostnames: [] });
  host = await startHost({ host: '127.0.0.1', port: 0, staticDir, tls: { cert, key } });
  // The attacker's page: any site a member of the room happens to open.
  foreign = http.createServer((_request, response) => {
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    response.end('<!doctype html><title>Another site</title>');
  });
  foreign.on('connection', () => foreignConnections++);
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  foreignOrigin = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  for (const page of pages.splice(0)) await page.close();
  await browser?.close();
  await host?.close();
  if (foreign) await new Promise((resolve) => foreign.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

async function visit(url: string): Promise<Page> {
  // Self-signed: these tests are about origins, not about the certificate warning.
  const opened = await openPage(browser, url, { ignoreHTTPSErrors: true });
  pages.push(opened);
  return opened.page;
}

/** Opens the socket from the page and says hello; resolves with what the page saw first. */
function tryJoin(page: Page, socketUrl: string): Promise<string> {
  return page.evaluate(
    (url) =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(url, 'parley.v1');
        const timer = setTimeout(() => resolve('no answer'), 5000);
        socket.onopen = () => socket.send(JSON.stringify({ type: 'hello', name: 'page' }));
        socket.onmessage = (event) => {
          clearTimeout(timer);
          resolve(`joined: ${(JSON.parse(String(event.data)) as { type: string }).type}`);
          socket.close();
        };
        socket.onclose = (event) => {
          clearTimeout(timer);
          resolve(`closed: ${event.code}`);
        };
      }),
    socketUrl,
  );
}

describe('a page from another site', () => {
  it('cannot open the room’s socket, in cleartext or over TLS', async () => {
    let joined = 0;
    host.on('joined', () => joined++);
    const page = await visit(`${foreignOrigin}/`);
    expect(await tryJoin(page, `ws://127.0.0.1:${host.port}/ws`)).toBe('closed: 1006');
    expect(await tryJoin(page, `wss://127.0.0.1:${host.port}/ws`)).toBe('closed: 1006');
    expect(joined).toBe(0);
    expect(host.peers()).toEqual([]);
  });

  it('is refused by the host’s origin rule, not by the browser: a host that allows it is joined', async () => {
    const lenient = await startHost({
      host: '127.0.0.1',
      port: 0,
      staticDir: join(dir, 'static'),
      allowedOrigins: [foreignOrigin],
    });
    try {
      const page = await visit(`${foreignOrigin}/`);
      expect(await tryJoin(page, `ws://127.0.0.1:${lenient.port}/ws`)).toBe('joined: welcome');
    } finally {
      await lenient.close();
    }
  });
});

describe('the host’s own page', () => {
  it('joins over ws:// when served in cleartext (this machine)', async () => {
    const page = await visit(`http://127.0.0.1:${host.port}/`);
    expect(await tryJoin(page, `ws://127.0.0.1:${host.port}/ws`)).toBe('joined: welcome');
  });

  it('joins over wss:// when served over TLS', async () => {
    const page = await visit(`https://127.0.0.1:${host.port}/`);
    expect(await tryJoin(page, `wss://127.0.0.1:${host.port}/ws`)).toBe('joined: welcome');
  });
});

describe('a script in the host’s own page', () => {
  it('cannot open a socket to another host: the page’s policy allows its own only', async () => {
    const page = await visit(`http://127.0.0.1:${host.port}/`);
    const before = foreignConnections;
    const foreignSocket = `ws://127.0.0.1:${new URL(foreignOrigin).port}/ws`;
    const blocked = await page.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          // Fired at the document, seen by the window too (typed here without the DOM library).
          (globalThis as unknown as EventTarget).addEventListener('securitypolicyviolation', () =>
            resolve('blocked by the policy'),
          );
          try {
            const socket = new WebSocket(url);
            socket.onclose = () => setTimeout(() => resolve('attempted'), 500);
          } catch (error) {
            resolve(`blocked: ${String(error)}`);
          }
        }),
      foreignSocket,
    );
    expect(blocked).toMatch(/^blocked/);
    expect(foreignConnections).toBe(before);
    // The page's own socket still opens, by the same policy.
    expect(await tryJoin(page, `ws://127.0.0.1:${host.port}/ws`)).toBe('joined: welcome');
  });
});
