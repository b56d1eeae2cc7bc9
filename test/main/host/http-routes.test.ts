import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { V1Client } from './helpers/clients';
import { tempDir, testHost } from './helpers/host';
import { request } from './helpers/http';
import { until } from '../../support/wait';

describe('GET /api/info', () => {
  it('describes the room exactly as the protocol says, with no secrets', async () => {
    const host = await testHost({ roomName: 'Kitchen', password: 'sesame' });
    const response = await request(host.port, '/api/info');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.body).toBe(
      JSON.stringify({
        app: 'parley',
        protocol: 2,
        protocols: [1, 2],
        room: { id: host.room.id, name: 'Kitchen' },
        peers: 0,
        password: true,
      }),
    );
    expect(response.body).not.toContain('sesame');
  });

  it('counts the peers present and reports an open room', async () => {
    const host = await testHost();
    await V1Client.join(host.port, 'alice');
    await V1Client.connect(host.port);
    const info = JSON.parse((await request(host.port, '/api/info?x=1')).body) as {
      peers: number;
      password: boolean;
    };
    expect(info).toMatchObject({ peers: 1, password: false });
  });

  it('answers HEAD with headers only', async () => {
    const host = await testHost();
    const response = await request(host.port, '/api/info', 'HEAD');
    expect(response.status).toBe(200);
    expect(Number(response.headers['content-length'])).toBeGreaterThan(0);
    expect(response.body).toBe('');
  });
});

describe('methods and other paths', () => {
  it('refuses methods other than GET and HEAD with 405', async () => {
    const host = await testHost();
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']) {
      const response = await request(host.port, '/api/info', method);
      expect(response.status, method).toBe(405);
      expect(response.headers.allow).toBe('GET, HEAD');
    }
  });

  it('tells a plain GET of /ws to use a WebSocket (426)', async () => {
    const host = await testHost();
    const response = await request(host.port, '/ws');
    expect(response.status).toBe(426);
  });

  it('keeps serving HTTP while sockets come and go', async () => {
    const host = await testHost();
    const { client } = await V1Client.join(host.port, 'alice');
    client.close();
    await until(() => host.peers().length === 0, 2000, 'alice to leave');
    expect((await request(host.port, '/api/info')).status).toBe(200);
  });
});

describe('a host without the guest page', () => {
  it('answers / and every page path with 404 and a sentence, and still serves /api/info', async () => {
    const staticDir = await tempDir();
    await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>guest</title>');
    const served = await testHost({ staticDir });
    expect((await request(served.port, '/')).status).toBe(200);

    const host = await testHost({ staticDir, guestPage: false });
    for (const target of ['/', '/index.html', '/assets/app.js']) {
      const response = await request(host.port, target);
      expect(response.status, target).toBe(404);
      expect(response.body).toBe(
        'This Parley host does not serve the browser guest page; join with the Parley app or `parley join`.\n',
      );
    }
    expect((await request(host.port, '/api/info')).status).toBe(200);
  });
});
