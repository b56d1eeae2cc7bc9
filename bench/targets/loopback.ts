/** What every server under test shares: loopback only, an ephemeral port, a bounded close. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebSocketServer } from 'ws';

export const LOOPBACK = '127.0.0.1';

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

export interface ServerStartOptions {
  /** Connections the harness will open at most; targets with a cap must allow this many. */
  maxConnections: number;
}

export type StartServer = (options: ServerStartOptions) => Promise<RunningServer>;

/** Listens on an ephemeral loopback port and resolves with the port bound. */
export function listenOnLoopback(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // A deep accept queue: the hold test opens connections hundreds at a time.
    server.listen({ port: 0, host: LOOPBACK, backlog: 4096 }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export function closeHttpServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Serves `wss` on `http` at an ephemeral loopback port; closing ends every client at once. */
export async function serveWsOnLoopback(
  http: Server,
  wss: WebSocketServer,
): Promise<RunningServer> {
  const port = await listenOnLoopback(http);
  return {
    port,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await closeHttpServer(http);
    },
  };
}
