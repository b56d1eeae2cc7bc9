/**
 * A TCP relay on 127.0.0.1 between a client and a host, for network trouble on cue: cut every
 * connection (the host sees its socket die, like a pulled cable), swallow traffic in one or both
 * directions (a lost ack, a silent host) without closing anything.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export type RelayMode = 'pass' | 'drop-upstream' | 'drop-downstream' | 'drop-both';

export interface TcpProxy {
  port: number;
  url(path?: string): string;
  mode: RelayMode;
  /** Bytes swallowed so far (client to host, host to client). */
  readonly dropped: { upstream: number; downstream: number };
  /** Connections relayed so far, open or not. */
  readonly accepted: number;
  cutAll(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  let accepted = 0;
  const cutAll = () => {
    for (const { client, upstream } of pairs) {
      client.destroy();
      upstream.destroy();
    }
    pairs.clear();
  };

  const server = net.createServer((client) => {
    accepted++;
    const upstream = net.connect(targetPort, '127.0.0.1');
    const pair = { client, upstream };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk) => {
      if (proxy.mode === 'drop-upstream' || proxy.mode === 'drop-both') {
        proxy.dropped.upstream += chunk.length;
      } else upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (proxy.mode === 'drop-downstream' || proxy.mode === 'drop-both') {
        proxy.dropped.downstream += chunk.length;
      } else client.write(chunk);
    });
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const proxy: TcpProxy = {
    port,
    mode: 'pass',
    dropped: { upstream: 0, downstream: 0 },
    get accepted() {
      return accepted;
    },
    url: (path = '/ws') => `ws://127.0.0.1:${port}${path}`,
    cutAll,
    close() {
      cutAll();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
