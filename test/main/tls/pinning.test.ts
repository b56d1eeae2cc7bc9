import { once } from 'node:events';
import { request } from 'node:https';
import {
  createServer as createNetServer,
  type AddressInfo,
  type Server as NetServer,
  type Socket,
} from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { generate } from 'selfsigned';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { HostCertificate } from '../../../main/tls/certificate';
import { pinnedWebSocket } from '../../../main/tls/pinned-websocket';
import {
  PinError,
  pinnedOptionsFor,
  pinnedTlsOptions,
  probeServerCertificate,
  toWsClientOptions,
  type PinnedTlsOptions,
} from '../../../main/tls/pinning';
import {
  eventWithin,
  makeCertificate,
  startHttpsServer,
  withTempDirs,
  type TestServer,
} from './tls-fixtures';

let dirs: Awaited<ReturnType<typeof withTempDirs>>;
let certA: HostCertificate;
let certB: HostCertificate;
let host: TestServer;
let sockets: WebSocketServer;
let chatConnections: number;

beforeEach(async () => {
  dirs = await withTempDirs();
  certA = await makeCertificate(await dirs.make());
  certB = await makeCertificate(await dirs.make());
  host = await startHttpsServer(certA);
  // A real chat endpoint: the ws server takes over upgrades from the fixture's default.
  host.server.removeAllListeners('upgrade');
  sockets = new WebSocketServer({ server: host.server, path: '/ws' });
  chatConnections = 0;
  sockets.on('connection', (socket) => {
    chatConnections++;
    socket.on('message', (data) => socket.send(`echo ${String(data)}`));
  });
  host.server.on('upgrade', (req) => host.requests.push(`UPGRADE ${req.url}`));
});

afterEach(async () => {
  for (const client of sockets.clients) client.terminate();
  sockets.close();
  await host.close();
  await dirs.cleanup();
});

const wssUrl = () => `wss://127.0.0.1:${host.port}/ws`;

/** Opens a ws client with pinned options; resolves 'open' or the error that stopped it. */
async function connectPinned(
  url: string,
  pinned: PinnedTlsOptions,
  extra: WebSocket.ClientOptions = {},
) {
  const client = new WebSocket(url, 'parley.v1', { ...toWsClientOptions(pinned), ...extra });
  const outcome = await eventWithin<Error | 'open'>(
    (resolve) => {
      client.once('open', () => resolve('open'));
      client.once('error', (error) => resolve(error));
    },
    5000,
    'open or error',
  );
  return { client, outcome };
}

describe('probeServerCertificate', () => {
  it('reads the certificate and fingerprint without sending a request', async () => {
    const probed = await probeServerCertificate(wssUrl());
    expect(probed.fingerprint256).toBe(certA.fingerprint256);
    expect(probed.pem.trim()).toBe(certA.cert.trim());
    expect(host.requests).toEqual([]);
  });

  it('accepts host and port as well as https: URLs', async () => {
    const byHostPort = await probeServerCertificate({ host: '127.0.0.1', port: host.port });
    const byHttps = await probeServerCertificate(`https://localhost:${host.port}/`);
    expect(byHostPort.fingerprint256).toBe(certA.fingerprint256);
    expect(byHttps.fingerprint256).toBe(certA.fingerprint256);
  });

  it('says unreachable when nothing listens', async () => {
    const free = createNetServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const { port } = free.address() as AddressInfo;
    await new Promise((resolve) => free.close(resolve));
    await expect(probeServerCertificate({ host: '127.0.0.1', port })).rejects.toMatchObject({
      code: 'unreachable',
    });
  });

  it('says not_tls for a plain HTTP server', async () => {
    const plain = createHttpServer((_req, res) => res.end('hello'));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = plain.address() as AddressInfo;
      await expect(probeServerCertificate({ host: '127.0.0.1', port })).rejects.toMatchObject({
        code: 'not_tls',
      });
    } finally {
      plain.closeAllConnections();
      await new Promise((resolve) => plain.close(resolve));
    }
  });

  it('gives up after the timeout on a server that never answers', async () => {
    const silent: NetServer = createNetServer(() => undefined);
    const held: Socket[] = [];
    silent.on('connection', (socket) => held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const started = Date.now();
      await expect(
        probeServerCertificate({ host: '127.0.0.1', port }, { timeoutMs: 200 }),
      ).rejects.toMatchObject({ code: 'timeout' });
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('refuses targets that are not wss:/https: or host and port', async () => {
    for (const target of [
      'ws://127.0.0.1:1/ws',
      'not a url',
      { host: '', port: 1 },
      { host: 'x', port: 0 },
    ]) {
      await expect(probeServerCertificate(target as never)).rejects.toMatchObject({
        code: 'bad_target',
      });
    }
  });
});

describe('pinnedTlsOptions with ws', () => {
  it('connects when the pin matches, in any spelling, and keeps verification on', async () => {
    const base64url = Buffer.from(certA.fingerprint256.replaceAll(':', ''), 'hex').toString(
      'base64url',
    );
    const pinned = await pinnedTlsOptions(wssUrl(), base64url);
    expect(pinned.rejectUnauthorized).toBe(true);
    const { client, outcome } = await connectPinned(wssUrl(), pinned);
    expect(outcome).toBe('open');
    client.send('hi');
    const [reply] = (await once(client, 'message')) as [Buffer];
    expect(String(reply)).toBe('echo hi');
    client.close();
  });

  it('refuses another certificate at the probe: nothing reaches the server', async () => {
    const error = await pinnedTlsOptions(wssUrl(), certB.fingerprint256).catch(
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(PinError);
    expect((error as PinError).code).toBe('fingerprint_mismatch');
    expect((error as PinError).details).toMatchObject({
      expected: certB.fingerprint256,
      actual: certA.fingerprint256,
    });
    expect(host.requests).toEqual([]);
    expect(chatConnections).toBe(0);
  });

  it('fails the handshake when the certificate is swapped after the probe, before any upgrade', async () => {
    const pinned = await pinnedTlsOptions(wssUrl(), certA.fingerprint256);
    host.server.setSecureContext({ cert: certB.cert, key: certB.key });
    const { outcome } = await connectPinned(wssUrl(), pinned, {
      headers: { 'x-secret': 'password' },
    });
    expect(outcome).toBeInstanceOf(Error);
    // Refused by certificate verification: the swapped-in certificate is not the trusted root.
    expect((outcome as NodeJS.ErrnoException).code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/);
    expect(host.requests).toEqual([]);
    expect(chatConnections).toBe(0);
  });

  it('checks the fingerprint itself, even for a certificate the trusted root would accept', async () => {
    // Trust certA as root but pin certB: only checkServerIdentity stands between them.
    const pinned = pinnedOptionsFor(certA.cert, certB.fingerprint256);
    const { outcome } = await connectPinned(wssUrl(), pinned);
    expect(outcome).toBeInstanceOf(PinError);
    expect((outcome as PinError).code).toBe('fingerprint_mismatch');
    expect(host.requests).toEqual([]);
  });

  it('ignores the host name: the pin is the identity', async () => {
    const foreign = await generate([{ name: 'commonName', value: 'elsewhere' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'elsewhere.example' }] }],
    });
    host.server.setSecureContext({ cert: foreign.cert, key: foreign.private });
    const probed = await probeServerCertificate(wssUrl());

    // Plain CA trust rejects the name mismatch...
    const plain = new WebSocket(wssUrl(), { ca: foreign.cert });
    const plainError = await eventWithin<Error>((resolve) => plain.once('error', resolve));
    expect(plainError.message).toMatch(/altnames|Hostname\/IP does not match/i);

    // ...the pin does not care, by IP or by a name the certificate does not list.
    const pinned = await pinnedTlsOptions(wssUrl(), probed.fingerprint256);
    const byIp = await connectPinned(wssUrl(), pinned);
    expect(byIp.outcome).toBe('open');
    byIp.client.close();
    const byName = await connectPinned(`wss://localhost:${host.port}/ws`, pinned);
    expect(byName.outcome).toBe('open');
    byName.client.close();
  });

  it('works for plain https requests too (GET /api/info)', async () => {
    const pinned = await pinnedTlsOptions(
      { host: '127.0.0.1', port: host.port },
      certA.fingerprint256,
    );
    const body = await new Promise<string>((resolve, reject) => {
      const call = request(
        `https://127.0.0.1:${host.port}/api/info`,
        { ...pinned, agent: false },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve(text));
        },
      );
      call.on('error', reject);
      call.end();
    });
    expect(JSON.parse(body)).toMatchObject({ app: 'parley' });
  });

  it('rejects a pin that is not a fingerprint before connecting', async () => {
    await expect(pinnedTlsOptions(wssUrl(), 'ABCD')).rejects.toThrow(TypeError);
    expect(() => pinnedOptionsFor(certA.cert, 'nope')).toThrow(TypeError);
  });
});

describe('pinnedWebSocket', () => {
  it('gives the client session a constructor whose every socket is pinned', async () => {
    const Pinned = pinnedWebSocket(await pinnedTlsOptions(wssUrl(), certA.fingerprint256));
    const first = new Pinned(wssUrl(), 'parley.v1');
    const opened = await eventWithin<string>((resolve) => {
      first.onopen = () => resolve(first.protocol);
    });
    expect(opened).toBe('parley.v1');
    first.close();

    host.server.setSecureContext({ cert: certB.cert, key: certB.key });
    const second = new Pinned(wssUrl(), 'parley.v1');
    second.onerror = () => undefined;
    const closed = await eventWithin<number>((resolve) => {
      second.onclose = (event) => resolve(event.code);
    });
    expect(closed).toBe(1006);
    expect(host.requests).toEqual(['UPGRADE /ws']);
  });
});
