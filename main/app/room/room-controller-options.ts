/**
 * What a RoomController can be given, and the defaults it fills in: where the hosted room keeps
 * its history and certificate, which rooms' certificates are trusted, and the network-facing
 * parts tests replace (store, host, advertiser, sockets).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type {
  ClientSessionOptions,
  WebSocketConstructor,
} from '../../../protocol/client/client-types';
import { ClientSession } from '../../../protocol/client/client-session';
import type { RoomAddress } from '../../../protocol/bridge';
import { advertiseRoom } from '../../discovery/advertiser';
import { joinAddresses } from '../../host/addresses';
import { startHost } from '../../host/server';
import type { RoomStore } from '../../host/store/room-store';
import { openSqliteStore } from '../../host/store/sqlite-store';
import type { HostOptions, ParleyHost } from '../../host/types';
import { ensureCertificate, type HostCertificate } from '../../tls/certificate';
import type { AdvertiseRoom } from '../../discovery/host-advert';
import { RoomEventHub } from './room-events';
import type { RoomSessionFactory } from '../../../protocol/client/room-adapter';
import { fetchRoomInfo } from '../../../protocol/client/room-info';
import type { RoomInfo } from '../../../protocol/wire/frames';
import { deviceSecretFrom, type DeviceSecretSource } from './device-secret';
import type { SessionSnapshotStore } from './session-snapshots';
import { definedFields } from '../../../protocol/defined-fields';

/** Each option left out or undefined takes its default (definedFields). */
export interface RoomControllerOptions {
  /** Where the hosted room's history lives (e.g. Electron's userData/host). */
  dataDir: string;
  /** Where this computer's TLS certificate for hosting lives. Default: dataDir/tls. */
  tlsDir?: string | undefined;
  /** Loads (or on first use creates) the certificate in a folder. Default: main/tls's. */
  ensureCertificate?: ((dir: string) => Promise<HostCertificate>) | undefined;
  /** The rooms whose certificates this app trusts (trust on first use). Default: dataDir/known-rooms.json. */
  knownRoomsFile?: string | undefined;
  /** Longest wait for each step of checking a TLS room's certificate. Default 10 s. */
  trustTimeoutMs?: number | undefined;
  /** Opens the history store of a hosted room. Default: the SQLite store in dataDir. */
  openStore?: ((roomName: string) => RoomStore | Promise<RoomStore>) | undefined;
  /** Interface the host listens on. Default '0.0.0.0', so others on the LAN can join. */
  bindAddress?: string | undefined;
  /** Host settings a HostRequest does not set. */
  hostOptions?: Pick<HostOptions, 'limits' | 'staticDir' | 'allowPlain'> | undefined;
  /** Client session tuning (heartbeat, backoff, reconnect). */
  sessionOptions?:
    Pick<ClientSessionOptions, 'heartbeatIntervalMs' | 'backoff' | 'reconnect'> | undefined;
  WebSocket?: WebSocketConstructor | undefined;
  createSession?: RoomSessionFactory | undefined;
  startHost?: ((options: HostOptions) => Promise<ParleyHost>) | undefined;
  joinAddresses?: ((port: number) => RoomAddress[]) | undefined;
  /** Advertises a hosted room on the LAN. Default: multicast DNS (main/discovery). */
  advertiseRoom?: AdvertiseRoom | undefined;
  /**
   * This computer's device secret, the root of the identity sent to every room. Default: kept in
   * dataDir/identity.json.
   */
  deviceSecret?: DeviceSecretSource | undefined;
  /** Asks a host without TLS which room it serves (for the identity). Default: GET /api/info. */
  roomInfo?: ((url: string, timeoutMs: number) => Promise<RoomInfo>) | undefined;
  /** Remembers joined sessions so a restarted app resumes them. Default: none (fresh joins). */
  sessionSnapshots?: SessionSnapshotStore | undefined;
  /** The stream RoomEvents go to; shared with the rest of the app. Default: a new one. */
  events?: RoomEventHub | undefined;
  /** Where downloads are saved (Electron's downloads path). Default: ~/Downloads. */
  downloadsDir?: string | undefined;
  /** Where unfinished uploads are remembered between runs. Default: dataDir/uploads.json. */
  uploadsFile?: string | undefined;
  /** Where listener failures and teardown problems go. Default console.warn. */
  log?: ((message: string, detail?: unknown) => void) | undefined;
}

/** Each of T's options there, and none undefined. */
type Filled<T> = { [K in keyof T]-?: Exclude<T[K], undefined> };

export type ControllerSettings = Filled<
  Omit<
    RoomControllerOptions,
    'hostOptions' | 'sessionOptions' | 'sessionSnapshots' | 'knownRoomsFile'
  >
> &
  Pick<RoomControllerOptions, 'hostOptions' | 'sessionOptions' | 'sessionSnapshots'>;

/** Longest wait for each step of checking a TLS room's certificate before joining it. */
const TRUST_TIMEOUT_MS = 10_000;

/** The given options over the defaults, and the known-rooms file to open. */
export function controllerSettings(options: RoomControllerOptions): {
  settings: ControllerSettings;
  knownRoomsFile: string;
} {
  const defaults = {
    openStore: (roomName: string) => openSqliteStore(options.dataDir, roomName),
    bindAddress: '0.0.0.0',
    // ws's event objects carry more than WebSocketLike names; the session reads only those.
    WebSocket: WebSocket,
    createSession: (sessionOptions: ClientSessionOptions) => new ClientSession(sessionOptions),
    startHost,
    joinAddresses,
    advertiseRoom,
    tlsDir: join(options.dataDir, 'tls'),
    ensureCertificate: (dir: string) => ensureCertificate(dir),
    trustTimeoutMs: TRUST_TIMEOUT_MS,
    deviceSecret: deviceSecretFrom(join(options.dataDir, 'identity.json')),
    roomInfo: fetchRoomInfo,
    downloadsDir: join(homedir(), 'Downloads'),
    uploadsFile: join(options.dataDir, 'uploads.json'),
    log: (message: string, detail?: unknown) => console.warn(message, detail ?? ''),
  };
  const { knownRoomsFile, ...given } = definedFields(options);
  return {
    settings: {
      ...defaults,
      events: new RoomEventHub(given.log ?? defaults.log),
      ...given,
      dataDir: options.dataDir,
    },
    knownRoomsFile: knownRoomsFile ?? join(options.dataDir, 'known-rooms.json'),
  };
}
