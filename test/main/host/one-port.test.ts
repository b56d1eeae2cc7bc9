/** TLS and cleartext on one port, the per-address cap and the slowloris timeouts, on real sockets. */
import { X509Certificate } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { PlainClient, V1Client } from './helpers/clients';
import { handshake } from './helpers/handshake';
import { onCleanup, testHost } from './helpers/host';
import { request } from './helpers/http';
import { testCertificate } from './helpers/tls';
import { withTimeout } from '../../support/wait';

async function tlsHost(options: Parameters<typeof testHost>[0] = {}) {
  const { cert, key } = await testCertificate();
  return testHost({ tls: { cert, key }, ...options });
}

/** A raw TCP connection to the host, closed after the test. */
function rawConnection(port: number): Promise<net.Socket> {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {});
  onCleanup(() => void socket.destroy());
  const connected = new Promise<net.Socket>((resolve) =>
    socket.once('connect', () => resolve(socket)),
  );
  return withTimeout(connected, 3000, 'a TCP connection');
}

/** Resolves with the time until the host closed `socket`, and everything it sent. */
function whenClosedByHost(
  socket: net.Socket,
  ms: number,
): Promise<{ afterMs: number; data: string }> {
  const started = Date.now();
  let data = '';
  socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
  const closed = new Promise<{ afterMs: number; data: string }>((resolve) =>
    socket.once('close', () => resolve({ afterMs: Date.now() - started, data })),
  );
  return withTimeout(closed, ms, 'the host to close the connection');
}

describe('one port for TLS and cleartext', () => {
  it('serves /api/info and the socket both ways, with one room behind them', async () => {
    const host = await tlsHost({ roomName: 'Both' });
    const secure = await request(host.port, '/api/info', 'GET', { secure: true });
    const plain = await request(host.port, '/api/info');
    expect(JSON.parse(secure.body)).toEqual(JSON.parse(plain.body));
    expect(JSON.parse(secure.body)).toMatchObject({ room: { name: 'Both' } });

    const { client: alice, welcome } = await V1Client.join(
      host.port,
      'alice',
      {},
      { secure: true },
    );
    expect(welcome.room.name).toBe('Both');
    const bob = await PlainClient.connect(host.port, '?name=bob');
    expect(await bob.nextLine()).toBe('* bob joined');
    expect((await alice.next('joined')).peer.name).toBe('bob');
    alice.say('m1', 'over TLS');
    expect(await bob.nextLine((line) => line.startsWith('alice'))).toBe('alice: over TLS');
  });

  it('reports the fingerprint of its certificate, and none without TLS', async () => {
    const certificate = await testCertificate();
    const host = await tlsHost();
    expect(host.fingerprint256).toBe(certificate.fingerprint256);
    const socket = tls.connect({ host: '127.0.0.1', port: host.port, rejectUnauthorized: false });
    onCleanup(() => void socket.destroy());
    const peer = await withTimeout(
      new Promise<tls.PeerCertificate>((resolve) =>
        socket.once('secureConnect', () => resolve(socket.getPeerCertificate())),
      ),
      3000,
      'the TLS handshake',
    );
    expect(new X509Certificate(peer.raw).fingerprint256).toBe(certificate.fingerprint256);

    const plainOnly = await testHost();
    expect(plainOnly.fingerprint256).toBeUndefined();
    const refused = await handshake(plainOnly.port, { secure: true });
    expect(refused.opened).toBe(false);
  });

  it('keeps keep-alive requests and many connections of both kinds apart', async () => {
    const host = await tlsHost();
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        request(host.port, `/api/info?n=${index}`, 'GET', { secure: index % 2 === 0 }),
      ),
    );
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
  });
});

describe('connections per address', () => {
  // The cap itself, against another machine's address, is tested in test/security/.
  it('does not count connections from this machine', async () => {
    const host = await tlsHost({ maxConnectionsPerAddress: 2 });
    const idle = await Promise.all([1, 2, 3].map(() => rawConnection(host.port)));
    expect(idle.every((socket) => !socket.destroyed)).toBe(true);
    expect((await handshake(host.port, { secure: true })).opened).toBe(true);
    expect((await request(host.port, '/api/info')).status).toBe(200);
  });
});

describe('slow clients', () => {
  const timeouts = { handshakeTimeout: 400, headersTimeout: 400, requestTimeout: 800 };

  it('closes a connection that never sends a byte', async () => {
    const host = await tlsHost({ serverTimeouts: timeouts });
    const silent = await rawConnection(host.port);
    const { afterMs } = await whenClosedByHost(silent, 3000);
    expect(afterMs).toBeGreaterThanOrEqual(300);
  });

  it('closes a TLS handshake that stalls after its first bytes', async () => {
    const host = await tlsHost({ serverTimeouts: timeouts });
    const stalled = await rawConnection(host.port);
    // A TLS record header announcing a ClientHello that never comes.
    stalled.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00]));
    await whenClosedByHost(stalled, 3000);
  });

  it('answers headers that trickle in too slowly with 408 and closes', async () => {
    const host = await tlsHost({ serverTimeouts: timeouts });
    const slow = await rawConnection(host.port);
    slow.write('GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const { data } = await whenClosedByHost(slow, 3000);
    expect(data).toMatch(/^HTTP\/1\.1 408/);
  });

  it('leaves an open WebSocket alone however long it lives', async () => {
    const host = await tlsHost({ serverTimeouts: timeouts, limits: { heartbeatIntervalMs: 0 } });
    const { client } = await V1Client.join(host.port, 'alice', {}, { secure: true });
    // A request opened after the socket whose body never comes: once the request timeout has
    // closed it, the check that enforces that timeout has seen the older socket too.
    const stalled = tls.connect({ host: '127.0.0.1', port: host.port, rejectUnauthorized: false });
    stalled.on('error', () => {});
    onCleanup(() => void stalled.destroy());
    stalled.write('POST /api/info HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n');
    const { afterMs } = await whenClosedByHost(stalled, 3000);
    expect(afterMs).toBeGreaterThanOrEqual(timeouts.requestTimeout - 100);
    client.send({ type: 'ping' });
    await client.next('pong');
  });

  it('closes sockets of every kind when the host stops', async () => {
    const host = await tlsHost();
    const silent = await rawConnection(host.port);
    const midHandshake = await rawConnection(host.port);
    midHandshake.write(Buffer.from([0x16, 0x03, 0x01]));
    const { client } = await V1Client.join(host.port, 'alice', {}, { secure: true });
    const closed = [whenClosedByHost(silent, 3000), whenClosedByHost(midHandshake, 3000)];
    const { port } = host;
    const started = Date.now();
    await host.close();
    expect(host.port).toBe(port);
    await Promise.all(closed);
    expect((await client.waitClosed()).code).toBe(1001);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
