import type { AddressInfo } from 'node:net';
import { createServer } from 'node:https';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { createOriginPolicy, isOriginAllowed } from '../../../../main/host/security/origin-policy';
import { ensureCertificate, type HostCertificate } from '../../../../main/tls/certificate';

const HOST = '192.168.1.20:7420';

describe('isOriginAllowed', () => {
  it('accepts handshakes without Origin: the app, the terminal client, tools', () => {
    expect(isOriginAllowed(undefined, HOST)).toBe(true);
    expect(isOriginAllowed(undefined, undefined)).toBe(true);
  });

  it("accepts the host's own page", () => {
    expect(isOriginAllowed(`https://${HOST}`, HOST)).toBe(true);
    expect(isOriginAllowed(`http://${HOST}`, HOST)).toBe(true);
    expect(isOriginAllowed('https://localhost:7420', 'localhost:7420')).toBe(true);
    expect(isOriginAllowed('https://[::1]:7420', '[::1]:7420')).toBe(true);
    expect(isOriginAllowed('https://[::1]:7420', '[0:0:0:0:0:0:0:1]:7420')).toBe(true);
  });

  it('ignores case in scheme and host', () => {
    expect(isOriginAllowed('HTTPS://LOCALHOST:7420', 'localhost:7420')).toBe(true);
    expect(isOriginAllowed('https://parley-box.local:7420', 'Parley-Box.LOCAL:7420')).toBe(true);
  });

  it('refuses other sites, other ports and opaque origins', () => {
    expect(isOriginAllowed('http://evil.example', HOST)).toBe(false);
    expect(isOriginAllowed('https://192.168.1.20:7421', HOST)).toBe(false);
    expect(isOriginAllowed('https://192.168.1.20', HOST)).toBe(false);
    expect(isOriginAllowed('https://192.168.1.21:7420', HOST)).toBe(false);
    expect(isOriginAllowed('null', HOST)).toBe(false);
    expect(isOriginAllowed('file://', HOST)).toBe(false);
    expect(isOriginAllowed('chrome-extension://abcdef', HOST)).toBe(false);
  });

  it('refuses anything that is not a plain serialized origin', () => {
    expect(isOriginAllowed(`https://${HOST}/`, HOST)).toBe(false);
    expect(isOriginAllowed(`https://${HOST}/ws`, HOST)).toBe(false);
    expect(isOriginAllowed(`https://user@${HOST}`, HOST)).toBe(false);
    expect(isOriginAllowed(`https://${HOST}.evil.example`, HOST)).toBe(false);
    expect(isOriginAllowed('https://192.168.1.20:99999', '192.168.1.20:99999')).toBe(false);
    expect(isOriginAllowed('https://[1:2]:7420', '[1:2]:7420')).toBe(false);
    expect(isOriginAllowed('', HOST)).toBe(false);
    expect(isOriginAllowed(`https://${'a'.repeat(400)}`, HOST)).toBe(false);
  });

  it('refuses an Origin when the Host header is missing or forged', () => {
    expect(isOriginAllowed(`https://${HOST}`, undefined)).toBe(false);
    expect(isOriginAllowed('https://localhost:7420', 'localhost:7420/@evil.example')).toBe(false);
    expect(isOriginAllowed('https://evil.example', 'evil.example#localhost:7420')).toBe(false);
    expect(isOriginAllowed('https://localhost:7420', 'localhost:7420, evil.example')).toBe(false);
  });

  it('never throws on headers of the wrong type', () => {
    const policy = createOriginPolicy();
    expect(policy(['https://a', 'https://b'], HOST)).toBe(false);
    expect(policy(`https://${HOST}`, [HOST])).toBe(false);
    expect(policy(42, HOST)).toBe(false);
  });

  it('holds the origin to the scheme the host serves, with its default port', () => {
    const https = { scheme: 'https' as const };
    expect(isOriginAllowed(`http://${HOST}`, HOST, https)).toBe(false);
    expect(isOriginAllowed(`https://${HOST}`, HOST, https)).toBe(true);
    expect(isOriginAllowed('https://parley.lan', 'parley.lan:443', https)).toBe(true);
    expect(isOriginAllowed('https://parley.lan', 'parley.lan', https)).toBe(true);
    expect(isOriginAllowed('http://parley.lan', 'parley.lan', https)).toBe(false);
  });

  it('accepts configured extra origins, given as a list or in options, in any case', () => {
    expect(isOriginAllowed('http://localhost:5173', HOST, ['http://localhost:5173'])).toBe(true);
    expect(isOriginAllowed('http://localhost:5173', HOST, ['HTTP://LocalHost:5173/'])).toBe(true);
    expect(
      isOriginAllowed('https://app.example', HOST, { allowedOrigins: ['https://app.example:443'] }),
    ).toBe(true);
    expect(isOriginAllowed('http://localhost:5174', HOST, ['http://localhost:5173'])).toBe(false);
  });

  it('with allowedHostnames, refuses a page that rebound its own DNS name to the host', () => {
    const rebound = ['http://evil.example:7420', 'evil.example:7420'] as const;
    expect(isOriginAllowed(...rebound)).toBe(true); // the gap the option closes
    const options = { allowedHostnames: ['Parley-Box', 'parley-box.local'] };
    expect(isOriginAllowed(...rebound, options)).toBe(false);
    expect(isOriginAllowed('https://parley-box.local:7420', 'parley-box.local:7420', options)).toBe(
      true,
    );
    expect(isOriginAllowed('https://parley-box:7420', 'parley-box:7420', options)).toBe(true);
    expect(isOriginAllowed('https://localhost:7420', 'localhost:7420', options)).toBe(true);
    expect(isOriginAllowed(`https://${HOST}`, HOST, options)).toBe(true);
    expect(isOriginAllowed('https://[fe80::1]:7420', '[fe80::1]:7420', options)).toBe(true);
  });

  it('rejects options it cannot use', () => {
    expect(() => createOriginPolicy({ allowedOrigins: ['not a url'] })).toThrow(TypeError);
    expect(() => createOriginPolicy({ scheme: 'ftp' as never })).toThrow(TypeError);
  });
});

describe('origin policy on a real wss server', () => {
  let dir: string;
  let certificate: HostCertificate;
  let server: ReturnType<typeof createServer>;
  let sockets: WebSocketServer;
  let port: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-origin-'));
    certificate = await ensureCertificate(dir);
    server = createServer({ cert: certificate.cert, key: certificate.key });
    const policy = createOriginPolicy({ scheme: 'https' });
    // The wiring the host uses: check in the upgrade handler, refuse with 403 before ws sees it.
    sockets = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) => {
      if (!policy(req.headers.origin, req.headers.host)) {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      sockets.handleUpgrade(req, socket, head, (ws) => ws.close(1000));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    sockets.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  function handshake(origin?: string): Promise<number> {
    const client = new WebSocket(`wss://127.0.0.1:${port}/ws`, {
      ca: certificate.cert,
      ...(origin === undefined ? {} : { origin }),
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no handshake outcome within 5 s')), 5000);
      client.once('open', () => {
        clearTimeout(timer);
        client.close();
        resolve(101);
      });
      client.once('unexpected-response', (_req, res) => {
        clearTimeout(timer);
        client.terminate();
        resolve(res.statusCode ?? 0);
      });
      client.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  it('lets programs and the own page in, and answers 403 to other sites', async () => {
    expect(await handshake()).toBe(101);
    expect(await handshake(`https://127.0.0.1:${port}`)).toBe(101);
    expect(await handshake('https://evil.example')).toBe(403);
    expect(await handshake(`http://127.0.0.1:${port}`)).toBe(403);
    expect(await handshake('null')).toBe(403);
  });
});
