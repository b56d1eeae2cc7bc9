import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type TLSSocket } from 'node:tls';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  RECOMMENDED_SERVER_TIMEOUTS,
  createConnectionCaps,
  limitConnectionsPerAddress,
  type ConnectionCaps,
} from '../../../../main/host/security/connection-caps';
import { ensureCertificate, type HostCertificate } from '../../../../main/tls/certificate';
import { createLab, type Lab } from '../../../security/support/netns';

describe('connection caps', () => {
  it('gives out leases up to the cap per address, and again after a release', () => {
    const caps = createConnectionCaps({ maxPerAddress: 2 });
    const first = caps.tryAcquire('10.0.0.1');
    const second = caps.tryAcquire('10.0.0.1');
    expect(first && second).toBeTruthy();
    expect(caps.tryAcquire('10.0.0.1')).toBeUndefined();
    expect(caps.tryAcquire('10.0.0.2')).toBeDefined();
    first!.release();
    expect(caps.count('10.0.0.1')).toBe(1);
    expect(caps.tryAcquire('10.0.0.1')).toBeDefined();
  });

  it('releases each lease once, however often release is called', () => {
    const caps = createConnectionCaps({ maxPerAddress: 3 });
    const leases = [caps.tryAcquire('10.0.0.1')!, caps.tryAcquire('10.0.0.1')!];
    leases[0]!.release();
    leases[0]!.release();
    expect(caps.count('10.0.0.1')).toBe(1);
  });

  it('counts an IPv4 client under both spellings as one address', () => {
    const caps = createConnectionCaps({ maxPerAddress: 1 });
    expect(caps.tryAcquire('::ffff:10.0.0.1')).toBeDefined();
    expect(caps.tryAcquire('10.0.0.1')).toBeUndefined();
  });

  it('keeps only addresses with open connections', () => {
    const caps = createConnectionCaps();
    const leases = Array.from({ length: 5000 }, (_, i) =>
      caps.tryAcquire(`10.0.${i >> 8}.${i & 255}`)!,
    );
    expect(caps.addresses()).toBe(5000);
    for (const lease of leases) lease.release();
    expect(caps.addresses()).toBe(0);
  });

  it('defaults to 20 per address and rejects options it cannot use', () => {
    expect(createConnectionCaps().maxPerAddress).toBe(20);
    expect(() => createConnectionCaps({ maxPerAddress: 0 })).toThrow(TypeError);
  });
});

describe('limitConnectionsPerAddress on a real https server', () => {
  let dir: string;
  let certificate: HostCertificate;
  let server: Server;
  let port: number;
  let caps: ConnectionCaps;
  let stopLimiting: () => void;
  let refused: string[];
  let handshakes: number;
  const serverSockets: Socket[] = [];
  const clients: (TLSSocket | Socket)[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-caps-'));
    certificate = await ensureCertificate(dir);
    server = createServer({
      cert: certificate.cert,
      key: certificate.key,
      ...RECOMMENDED_SERVER_TIMEOUTS,
      handshakeTimeout: 300,
    });
    caps = createConnectionCaps({ maxPerAddress: 3 });
    refused = [];
    handshakes = 0;
    stopLimiting = limitConnectionsPerAddress(server, caps, (address) => refused.push(address));
    server.on('connection', (socket: Socket) => serverSockets.push(socket));
    server.on('secureConnection', () => handshakes++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    serverSockets.length = 0;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  /** Resolves 'secure' when the TLS handshake completes, 'closed' when the server hangs up first. */
  function openTls(): Promise<'secure' | 'closed'> {
    const socket = connect({
      host: '127.0.0.1',
      port,
      ca: certificate.cert,
      servername: 'localhost',
    });
    clients.push(socket);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no TLS outcome within 5 s')), 5000);
      socket.once('secureConnect', () => {
        clearTimeout(timer);
        resolve('secure');
      });
      socket.once('error', () => undefined);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve('closed');
      });
    });
  }

  it('drops connections over the cap before any TLS work, and lets one in when a slot frees', async () => {
    expect(await Promise.all([openTls(), openTls(), openTls()])).toEqual([
      'secure',
      'secure',
      'secure',
    ]);
    expect(await openTls()).toBe('closed');
    expect(refused).toEqual(['127.0.0.1']);
    expect(handshakes).toBe(3);
    expect(caps.count('127.0.0.1')).toBe(3);

    const leaving = clients[0]!;
    const freed = serverSockets.find((socket) => socket.remotePort === leaving.localPort)!;
    leaving.destroy();
    await once(freed, 'close');
    expect(caps.count('127.0.0.1')).toBe(2);
    expect(await openTls()).toBe('secure');
  });

  it('stops limiting when told to', async () => {
    stopLimiting();
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => openTls()));
    expect(outcomes.every((outcome) => outcome === 'secure')).toBe(true);
  });

  it('with the recommended timeouts, frees the slot of a client that never starts TLS', async () => {
    const accepted = once(server, 'connection');
    const idle = connectTcp({ host: '127.0.0.1', port });
    clients.push(idle);
    const [serverSide] = (await accepted) as [Socket];
    expect(caps.count('127.0.0.1')).toBe(1);
    const started = Date.now();
    await Promise.all([once(idle, 'close'), once(serverSide, 'close')]);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(caps.count('127.0.0.1')).toBe(0);
  });
});

describe('the cap per address, against clients on another machine', () => {
  // The host in one network namespace, the clients in another with two addresses of its own
  // (test/security/support/netns.ts): two machines on a LAN, as far as the host can tell.
  let lab: Lab;
  let certificateDir: string;

  beforeAll(async () => {
    certificateDir = await mkdtemp(join(tmpdir(), 'parley-caps-netns-'));
    const { cert, key } = await ensureCertificate(certificateDir, { hostnames: [] });
    lab = await createLab();
    await lab.startHosts({ capped: { tls: { cert, key }, maxConnectionsPerAddress: 2 } });
  }, 60_000);

  afterAll(async () => {
    await lab?.close();
    await rm(certificateDir, { recursive: true, force: true });
  }, 30_000);

  it('drops one address over its cap at once, while another address still gets in', async () => {
    const [result] = await lab.probe('peer', [
      {
        kind: 'tcp-cap-other',
        host: lab.hostAddress,
        port: lab.ports.capped!,
        open: 2,
        from: lab.peerAddress,
        other: lab.secondPeerAddress,
      },
    ]);
    expect(result).toEqual({
      kind: 'tcp-cap-other',
      overCapClosedAtOnce: true,
      otherClosedAtOnce: false,
    });
  });
});
