/**
 * The desktop window's `parley-file:` requests, answered from a room's host over a real socket:
 * the image's bytes and the host's headers come through (a range too), and nothing but a
 * capability path of the room is ever fetched.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  capabilityPathOf,
  roomFileResponse,
  type FileSchemeRequest,
} from '../../../main/transfers/room-file-response';

const IMAGE = randomBytes(20_000);
const PATH = '/api/files/3f2a/AbCdEfGhIjKlMnOpQrStUv/photo.png';
let server: Server;
let origin: string;
const asked: string[] = [];

beforeEach(async () => {
  asked.length = 0;
  server = createServer((request, response) => {
    asked.push(`${request.method} ${request.url}`);
    if (request.url !== PATH) {
      response.writeHead(404).end();
      return;
    }
    const range = /^bytes=(\d+)-(\d+)$/.exec(request.headers.range ?? '');
    const headers = { 'content-type': 'image/png', etag: '"3f2a"', 'x-internal': 'secret' };
    if (range) {
      const [start, end] = [Number(range[1]), Number(range[2])];
      response.writeHead(206, {
        ...headers,
        'content-range': `bytes ${start}-${end}/${IMAGE.length}`,
      });
      response.end(IMAGE.subarray(start, end + 1));
      return;
    }
    response.writeHead(200, { ...headers, 'content-length': IMAGE.length });
    response.end(request.method === 'HEAD' ? undefined : IMAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function schemeRequest(url: string, method = 'GET', headers: Record<string, string> = {}) {
  return { method, url, headers: new Headers(headers) } satisfies FileSchemeRequest;
}

describe('roomFileResponse', () => {
  it('streams the image from the room with its type, and tells the window to sniff nothing', async () => {
    const response = await roomFileResponse(schemeRequest(`parley-file://room${PATH}`), {
      origin,
    });
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(IMAGE)).toBe(true);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('etag')).toBe('"3f2a"');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain('sandbox');
    // The host's other headers stay in main.
    expect(response.headers.get('x-internal')).toBeNull();
  });

  it('passes a range on, and answers HEAD without a body', async () => {
    const url = `parley-file://room${PATH}`;
    const part = await roomFileResponse(schemeRequest(url, 'GET', { range: 'bytes=10-19' }), {
      origin,
    });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(IMAGE.subarray(10, 20))).toBe(true);
    const head = await roomFileResponse(schemeRequest(url, 'HEAD'), { origin });
    expect(head.status).toBe(200);
    expect(head.body).toBeNull();
  });

  it('fetches nothing but a capability path of the room', async () => {
    for (const url of [
      'parley-file://room/api/info',
      'parley-file://room/api/files/uploads/abc',
      'parley-file://elsewhere/api/files/3f2a/AbCdEfGhIjKlMnOpQrStUv/photo.png',
      `parley-file://room${PATH}?x=1`,
      'parley-file://room/api/files/3f2a/%2e%2e/x',
      'https://example.com/api/files/3f2a/AbCdEfGhIjKlMnOpQrStUv/photo.png',
      'not a url',
    ]) {
      expect(capabilityPathOf(url), url).toBeUndefined();
      expect((await roomFileResponse(schemeRequest(url), { origin })).status, url).toBe(404);
    }
    const post = await roomFileResponse(schemeRequest(`parley-file://room${PATH}`, 'POST'), {
      origin,
    });
    expect(post.status).toBe(405);
    expect(asked).toEqual([]);
  });

  it('answers 404 outside a room and 502 when the room cannot be reached', async () => {
    const url = `parley-file://room${PATH}`;
    expect((await roomFileResponse(schemeRequest(url), undefined)).status).toBe(404);
    const port = (server.address() as AddressInfo).port;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    const gone = await roomFileResponse(schemeRequest(url), { origin: `http://127.0.0.1:${port}` });
    expect(gone.status).toBe(502);
    server.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
  });
});
