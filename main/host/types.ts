import type { Peer, RoomInfo } from '../../protocol/wire/frames';
import type { PersistenceReport } from './scale-out/scale-out';

export type { HostOptions, HostServerTimeouts, HostTls, ResolvedHostOptions } from './host-options';

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
  /** Set when the host is one of several serving a room through Redis (option `redis`). */
  readonly shared: SharedHostInfo | undefined;
  /** Everyone connected now, in join order. */
  peers(): Peer[];
  /** How many people are connected now, without copying the list (the advert asks on every join). */
  readonly peerCount: number;
  on<E extends keyof HostEvents>(event: E, listener: (...args: HostEvents[E]) => void): this;
  off<E extends keyof HostEvents>(event: E, listener: (...args: HostEvents[E]) => void): this;
  /** Closes every socket with 1001, flushes the store, stops listening. Idempotent. */
  close(): Promise<void>;
}

export interface SharedHostInfo {
  /** This host's id among the room's hosts. */
  readonly hostId: string;
  /** What Redis keeps across a crash of its own, as found at start. */
  readonly persistence: PersistenceReport;
}
