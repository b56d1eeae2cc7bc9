import type { Limits } from '../../protocol/limits';
import type { Peer, RoomInfo } from '../../protocol/frames';
import type { MessageStore } from './store/message-store';

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
  /** Overrides of protocol limits; unspecified ones keep their PROTOCOL.md defaults. */
  limits?: Partial<Limits>;
  /** Folder with the built guest UI served at GET /. Default: dist/renderer of this package. */
  staticDir?: string;
  /** Accept plain-mode (no subprotocol) clients. Default true. */
  allowPlain?: boolean;
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
  readonly room: RoomInfo;
  /** Everyone connected now, in join order. */
  peers(): Peer[];
  on<E extends keyof HostEvents>(event: E, listener: (...args: HostEvents[E]) => void): this;
  off<E extends keyof HostEvents>(event: E, listener: (...args: HostEvents[E]) => void): this;
  /** Closes every socket with 1001, flushes the store, stops listening. Idempotent. */
  close(): Promise<void>;
}
