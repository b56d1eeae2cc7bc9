/**
 * Open connections per client address, capped, so one machine on the LAN cannot take every slot
 * of the host (500 by default) or tie up TLS handshakes. Counted at TCP accept, before any TLS
 * work, and released when the socket closes. Only addresses with open sockets are kept, so the
 * memory used is bounded by the sockets the operating system lets the host hold open.
 */
import type { Server, Socket } from 'node:net';
import * as v from 'valibot';
import { clientAddressKey } from './client-address';

export interface ConnectionCapsOptions {
  /** Open connections one address may hold. Default 20. */
  maxPerAddress?: number;
}

/** One counted connection; release() when it closes (later calls are ignored). */
export interface ConnectionLease {
  readonly address: string;
  /** A plain function (no `this`), so it can be a 'close' listener as it is. */
  readonly release: () => void;
}

export interface ConnectionCaps {
  readonly maxPerAddress: number;
  /** A lease, or undefined when the address is at its cap (refuse the connection). */
  tryAcquire(remoteAddress: string | undefined): ConnectionLease | undefined;
  /** Open connections counted for this address. */
  count(remoteAddress: string | undefined): number;
  /** Addresses with at least one open connection. */
  addresses(): number;
}

/**
 * Timeouts for the host's https server, merged into its createServer options: a client that
 * opens TCP and then dawdles holds a slot for seconds, not Node's default two minutes.
 * Parley's own 10 s hello timeout takes over once the WebSocket is open.
 */
export const RECOMMENDED_SERVER_TIMEOUTS = Object.freeze({
  /** tls.Server: whole TLS handshake (Node default 120 s). */
  handshakeTimeout: 10_000,
  /** http.Server: request headers, including those of the WebSocket upgrade (default 60 s). */
  headersTimeout: 10_000,
  /** http.Server: whole request (default 300 s); /api/info and the guest page are small. */
  requestTimeout: 30_000,
  /** http.Server: idle keep-alive connection between requests (default 5 s). */
  keepAliveTimeout: 5_000,
});

const optionsSchema = v.object({
  maxPerAddress: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 20),
});

export function createConnectionCaps(options: ConnectionCapsOptions = {}): ConnectionCaps {
  const parsed = v.safeParse(optionsSchema, options);
  if (!parsed.success) throw new TypeError(`connection caps options: ${parsed.issues[0].message}`);
  const { maxPerAddress } = parsed.output;
  const open = new Map<string, number>();

  return {
    maxPerAddress,
    tryAcquire(remoteAddress) {
      const address = clientAddressKey(remoteAddress);
      const current = open.get(address) ?? 0;
      if (current >= maxPerAddress) return undefined;
      open.set(address, current + 1);
      let released = false;
      return {
        address,
        release: () => {
          if (released) return;
          released = true;
          const remaining = (open.get(address) ?? 1) - 1;
          if (remaining > 0) open.set(address, remaining);
          else open.delete(address);
        },
      };
    },
    count: (remoteAddress) => open.get(clientAddressKey(remoteAddress)) ?? 0,
    addresses: () => open.size,
  };
}

/**
 * Enforces `caps` on every TCP connection `server` accepts (an http, https or net server): a
 * connection over its address's cap is dropped at once, without TLS or an HTTP answer, which is
 * the cheapest refusal for a flood. Returns a function that stops enforcing.
 */
export function limitConnectionsPerAddress(
  server: Server,
  caps: ConnectionCaps,
  onRefused?: (address: string) => void,
): () => void {
  const onConnection = (socket: Socket) => {
    const lease = caps.tryAcquire(socket.remoteAddress);
    if (!lease) {
      socket.destroy();
      onRefused?.(clientAddressKey(socket.remoteAddress));
      return;
    }
    // release is idempotent and bound to its lease, and a socket closes once: no wrapper needed.
    socket.on('close', lease.release);
  };
  // Ahead of the TLS server's own listener, so a refused socket never starts a handshake.
  server.prependListener('connection', onConnection);
  return () => server.off('connection', onConnection);
}
