/**
 * TLS and cleartext on one port. A plain TCP server accepts every connection, caps it per client
 * address, and reads its first byte: 0x16 opens a TLS handshake (a ClientHello record) and goes to
 * the https server, anything else to the http server. Both answer with the same request and
 * upgrade handlers, so `wss://`/`https://` and `ws://`/`http://` reach the same room.
 *
 * Only the TCP server listens. Node's http servers start the timer that enforces headersTimeout
 * on 'listening', so both are told once the TCP server listens.
 */
import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { withRequestDeadline } from './files/request-deadline';
import {
  createConnectionCaps,
  limitConnectionsPerAddress,
  type ConnectionCaps,
} from './security/connection-caps';
import { isLoopbackAddress } from './security/transport-policy';
import type { HostServerTimeouts, HostTls } from './types';

/** The first byte of a TLS record carrying a handshake message (RFC 8446, ContentType 22). */
const TLS_HANDSHAKE_RECORD = 0x16;

export type UpgradeListener = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface OnePortOptions {
  /** Absent: every connection is handed to the http server. */
  tls: HostTls | undefined;
  timeouts: HostServerTimeouts;
  maxConnectionsPerAddress: number;
  /** Sockets accepted at all; the WebSocket-level cap (1013) stays the rule below this. */
  maxConnections: number;
  onRequest: RequestListener;
  onUpgrade: UpgradeListener;
  /** A server-level error after listening (rare: e.g. EMFILE while accepting). */
  onError(error: Error): void;
}

export class OnePortServer {
  private readonly tcp: Server;
  private readonly cleartext: HttpServer;
  private readonly secure: HttpServer | undefined;
  /** Every accepted socket until it closes, so close() can end the ones no http server tracks. */
  private readonly sockets = new Set<Socket>();
  /** Net sockets call 'close' listeners with the socket as `this`. */
  private readonly forget: (this: Socket) => void;
  private boundPort = 0;

  constructor(private readonly options: OnePortOptions) {
    const sockets = this.sockets;
    this.forget = function (this: Socket) {
      sockets.delete(this);
    };
    const { timeouts, tls } = options;
    const httpOptions = {
      headersTimeout: timeouts.headersTimeout,
      // Kept per request instead (files/request-deadline.ts), so an upload can outlast it.
      requestTimeout: 0,
      keepAliveTimeout: timeouts.keepAliveTimeout,
      // Node checks those timeouts every 30 s by default: far too coarse for a 10 s limit.
      connectionsCheckingInterval: Math.min(1000, timeouts.headersTimeout),
    };
    const onRequest = withRequestDeadline(options.onRequest, timeouts.requestTimeout);
    this.cleartext = createHttpServer(httpOptions, onRequest);
    this.secure = tls
      ? createHttpsServer(
          {
            ...httpOptions,
            cert: tls.cert,
            key: tls.key,
            handshakeTimeout: timeouts.handshakeTimeout,
            minVersion: 'TLSv1.2',
          },
          onRequest,
        )
      : undefined;
    for (const server of this.httpServers()) server.on('upgrade', options.onUpgrade);

    this.tcp = createTcpServer({ noDelay: true }, (socket) => this.accept(socket));
    this.tcp.maxConnections = options.maxConnections;
    limitConnectionsPerAddress(
      this.tcp,
      exceptLoopback(createConnectionCaps({ maxPerAddress: options.maxConnectionsPerAddress })),
    );
  }

  /** The port actually bound; kept after close(). */
  get port(): number {
    return this.boundPort;
  }

  listen(port: number, host: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.tcp.once('error', reject);
      this.tcp.listen(port, host, () => {
        this.tcp.off('error', reject);
        this.tcp.on('error', (error) => this.options.onError(error));
        const address = this.tcp.address();
        this.boundPort = typeof address === 'object' && address ? address.port : port;
        for (const server of this.httpServers()) server.emit('listening');
        resolve();
      });
    });
  }

  /** Stops accepting; resolves once every accepted socket has closed (see destroyAll). */
  close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.tcp.close(() => resolve()));
    for (const server of this.httpServers()) {
      // Stops their timeout checks and ends idle keep-alive connections; they never listened.
      server.close();
      server.closeIdleConnections();
    }
    return closed;
  }

  /** Ends every socket at once: upgraded, mid-request, mid-handshake or silent. */
  destroyAll(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  private httpServers(): HttpServer[] {
    return this.secure ? [this.cleartext, this.secure] : [this.cleartext];
  }

  private accept(socket: Socket): void {
    // limitConnectionsPerAddress ran first and may have refused it.
    if (socket.destroyed) return;
    this.sockets.add(socket);
    // Shared listeners, no closures: an idle connection should cost its socket and little else.
    socket.on('close', this.forget);
    // Node destroys a socket on error by itself; this only keeps an early reset from being
    // unhandled. (Destroying here would also cut off the 408 the http server answers a timeout with.)
    socket.on('error', ignoreError);
    // A connection that never sends its first byte would otherwise hold its slot forever. Not
    // socket.setTimeout: the socket keeps its Timeout (and a bound callback) after it is cleared.
    const silent = setTimeout(destroySilent, this.options.timeouts.handshakeTimeout, socket);
    this.dispatchOnFirstByte(socket, silent);
  }

  private dispatchOnFirstByte(socket: Socket, silent: NodeJS.Timeout): void {
    const first: Buffer | null = socket.read(1);
    if (first === null) {
      if (!socket.destroyed) {
        socket.once('readable', () => this.dispatchOnFirstByte(socket, silent));
      } else {
        clearTimeout(silent);
      }
      return;
    }
    // From here the http or TLS server's own timeouts apply.
    clearTimeout(silent);
    // Put the byte back: the server it goes to reads the stream from its start.
    socket.unshift(first);
    const server = first[0] === TLS_HANDSHAKE_RECORD && this.secure ? this.secure : this.cleartext;
    server.emit('connection', socket);
  }
}

function ignoreError(): void {}

function destroySilent(socket: Socket): void {
  socket.destroy();
}

/**
 * The cap guards against other machines. Programs on this one (the app's own client, a load test)
 * could stop the host outright anyway, so their connections are not counted.
 */
function exceptLoopback(caps: ConnectionCaps): ConnectionCaps {
  const uncounted = { address: 'loopback', release: () => {} };
  return {
    ...caps,
    tryAcquire: (remoteAddress) =>
      isLoopbackAddress(remoteAddress) ? uncounted : caps.tryAcquire(remoteAddress),
  };
}
