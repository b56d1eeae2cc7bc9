import type { Limits } from '../../protocol/wire/limits';
import type { Peer, RoomInfo } from '../../protocol/wire/frames';
import type { AuthThrottleOptions } from './security/auth-throttle';
import type { MessageStore } from './store/message-store';

/** The host's TLS identity, e.g. from ensureCertificate (main/tls/certificate.ts). */
export interface HostTls {
  /** PEM certificate. */
  cert: string;
  /** PEM private key. */
  key: string;
}

/** Server timeouts against connections that dawdle (slowloris); all in milliseconds. */
export interface HostServerTimeouts {
  /** From TCP accept to the first byte, and for the whole TLS handshake. Default 10 s. */
  handshakeTimeout: number;
  /** Request headers, an upgrade's included. Default 10 s. */
  headersTimeout: number;
  /** A whole HTTP request (not a WebSocket once upgraded). Default 30 s. */
  requestTimeout: number;
  /** An idle keep-alive connection between requests. Default 5 s. */
  keepAliveTimeout: number;
}

export interface HostOptions {
  /** TCP port; 0 picks a free one. Default 7420. */
  port?: number;
  /** Address to bind. Default '0.0.0.0' (every IPv4 interface). */
  host?: string;
  /** Room name used when the store creates a new room. Default 'Parley'. */
  roomName?: string;
  /** Room password; undefined or '' means an open room. */
  password?: string;
  /** History store. Default: an in-memory store (nothing survives the process). */
  store?: MessageStore;
  /** Overrides of protocol limits; unspecified ones keep their docs/protocol.md defaults. */
  limits?: Partial<Limits>;
  /** Folder with the built guest UI served at GET /. Default: dist/renderer of this package. */
  staticDir?: string;
  /** Accept plain-mode (no subprotocol) clients. Default true. */
  allowPlain?: boolean;
  /**
   * TLS on the same port as cleartext (the first byte of a connection decides). Absent: cleartext
   * only, which other machines may use only with allowCleartext.
   */
  tls?: HostTls;
  /**
   * Accept unencrypted connections from other machines. Default false: cleartext is accepted from
   * this machine only (loopback). Passwords never travel in cleartext across the network either way.
   */
  allowCleartext?: boolean;
  /** Serve the browser guest page at GET /. Default true. */
  guestPage?: boolean;
  /** Open connections one client address may hold. Default 20. */
  maxConnectionsPerAddress?: number;
  /** Page origins allowed to open the socket besides the host's own (e.g. a dev server). */
  allowedOrigins?: string[];
  /** Delays and lockout for wrong passwords, per client address. Defaults: auth-throttle.ts. */
  authThrottle?: Omit<AuthThrottleOptions, 'now'>;
  /** Overrides of the server timeouts; unspecified ones keep their defaults. */
  serverTimeouts?: Partial<HostServerTimeouts>;
}

export interface HostEvents {
  joined: [peer: Peer];
  left: [peer: Peer];
  /** The history store failed; every socket was closed with 1011. Without a listener it is logged. */
  error: [error: Error];
}

export interface ParleyHost {
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  /** SHA-256 fingerprint of the TLS certificate (`AB:CD:…`); undefined without TLS. */
  readonly fingerprint256: string | undefined;
  readonly room: RoomInfo;
  /** Everyone connected now, in join order. */
  peers(): Peer[];
  on<E extends keyof HostEvents>(event: E, listener: (...args: HostEvents[E]) => void): this;
  off<E extends keyof HostEvents>(event: E, listener: (...args: HostEvents[E]) => void): this;
  /** Closes every socket with 1001, flushes the store, stops listening. Idempotent. */
  close(): Promise<void>;
}
