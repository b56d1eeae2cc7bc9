/** Shared by the TLS tests: temp dirs, certificates and servers on 127.0.0.1 with port 0. */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCertificate, type HostCertificate } from '../../../main/tls/certificate';

export async function withTempDirs() {
  const made: string[] = [];
  return {
    async make(prefix = 'parley-tls-'): Promise<string> {
      const dir = await mkdtemp(join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
    async cleanup(): Promise<void> {
      await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}

export async function makeCertificate(
  dir: string,
  hostnames: string[] = ['parley-test.invalid'],
): Promise<HostCertificate> {
  return ensureCertificate(dir, { hostnames });
}

export interface TestServer {
  server: Server;
  port: number;
  /** Every HTTP request and upgrade the server saw, as "METHOD path". */
  requests: string[];
  close(): Promise<void>;
}

/** An https server on 127.0.0.1:0 that answers /api/info like a Parley host. */
export async function startHttpsServer(
  certificate: Pick<HostCertificate, 'cert' | 'key'>,
  room = { id: 'room-1', name: 'Test room' },
  /** Replaces the /api/info answer, to play a host that is not Parley. */
  infoBody?: string,
): Promise<TestServer> {
  const requests: string[] = [];
  const server = createServer({ cert: certificate.cert, key: certificate.key }, (req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (req.url === '/api/info') {
      res.setHeader('content-type', 'application/json');
      res.end(
        infoBody ?? JSON.stringify({ app: 'parley', protocol: 1, room, peers: 0, password: false }),
      );
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  server.on('upgrade', (req, socket) => {
    requests.push(`UPGRADE ${req.url}`);
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Resolves with the value of the first event, or rejects after timeoutMs. */
export function eventWithin<T>(
  subscribe: (resolve: (value: T) => void) => void,
  timeoutMs = 5000,
  what = 'event',
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${what} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    subscribe((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}
