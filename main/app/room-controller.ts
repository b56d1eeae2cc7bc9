/**
 * The room behind the desktop bridge: hosts a room in this process (advertised on the LAN) and
 * joins it over loopback, or joins someone else's by address or invite (resuming the session it
 * had there before an app restart), and turns everything the client session sees into RoomEvents.
 * Plain Node (no Electron), so it is tested with real sockets under vitest.
 *
 * Methods throw BridgeErrors (`{code, message}` with a sentence fit to show).
 */
import WebSocket from 'ws';
import * as v from 'valibot';
import {
  hostRequestSchema,
  joinRequestSchema,
  type HostRequest,
  type JoinRequest,
  type RoomAddress,
  type RoomEvent,
  type RoomSummary,
} from '../../protocol/bridge';
import type { ChatMessage } from '../../protocol/frames';
import type {
  ClientSessionOptions,
  SessionSnapshot,
  WebSocketConstructor,
} from '../../protocol/client-types';
import { ClientSession } from '../../protocol/client-session';
import { startHost } from '../host/server';
import { joinAddresses } from '../host/addresses';
import { openSqliteStore } from '../host/store/sqlite-store';
import type { HostOptions, ParleyHost } from '../host/types';
import type { MessageStore } from '../host/store/message-store';
import { advertiseRoom } from '../discovery/advertiser';
import { appError, isBridgeError } from './app-errors';
import { hostStartError, storeOpenError } from './room-errors';
import { joinTarget, pinnedSocketFor } from './join-target';
import { advertisedAddresses, loopbackHostFor, reachableAddresses } from './bind-address';
import { ActiveRoom, type EndedEvent } from './active-room';
import type { RoomSessionFactory } from './room-session';
import { RoomEventHub } from './room-events';
import { HostAdvert, type AdvertiseRoom } from './host-advert';
import { RoomInvites } from './invites';
import type { SessionSnapshotStore } from './session-snapshots';
import { SnapshotKeeper } from './snapshot-keeper';

export interface RoomControllerOptions {
  /** Where the hosted room's history lives (e.g. Electron's userData/host). */
  dataDir: string;
  /** Opens the history store of a hosted room. Default: the SQLite store in dataDir. */
  openStore?: (roomName: string) => MessageStore | Promise<MessageStore>;
  /** Interface the host listens on. Default '0.0.0.0', so others on the LAN can join. */
  bindAddress?: string;
  /** Host settings a HostRequest does not set. */
  hostOptions?: Pick<HostOptions, 'limits' | 'staticDir' | 'allowPlain'>;
  /** Client session tuning (heartbeat, backoff, reconnect). */
  sessionOptions?: Pick<ClientSessionOptions, 'heartbeatIntervalMs' | 'backoff' | 'reconnect'>;
  WebSocket?: WebSocketConstructor;
  createSession?: RoomSessionFactory;
  startHost?: (options: HostOptions) => Promise<ParleyHost>;
  joinAddresses?: (port: number) => RoomAddress[];
  /** Advertises a hosted room on the LAN. Default: multicast DNS (main/discovery). */
  advertiseRoom?: AdvertiseRoom;
  /** Remembers joined sessions so a restarted app resumes them. Default: none (fresh joins). */
  sessionSnapshots?: SessionSnapshotStore;
  /** The stream RoomEvents go to; shared with the rest of the app. Default: a new one. */
  events?: RoomEventHub;
  /** Where listener failures and teardown problems go. Default console.warn. */
  log?: (message: string, detail?: unknown) => void;
}

type Settings = Required<
  Omit<RoomControllerOptions, 'hostOptions' | 'sessionOptions' | 'sessionSnapshots'>
> &
  Pick<RoomControllerOptions, 'hostOptions' | 'sessionOptions' | 'sessionSnapshots'>;

/** Where a host or join attempt connects, once its address is parsed or its host started. */
interface Target {
  url: string;
  address: string;
  name: string;
  password: string | undefined;
  host: ParleyHost | undefined;
  /** Where a joined room's session snapshot is kept, and the one saved there last time. */
  snapshot?: { key: string; resume: SessionSnapshot | undefined };
  /** For a TLS room: sockets that trust only its pinned certificate. */
  WebSocket?: WebSocketConstructor;
  /** The room id in the invite used to join. */
  invitedTo?: string;
}

interface Attempt {
  cancelled: boolean;
  host?: ParleyHost;
  room?: ActiveRoom;
  /** Settles once the attempt has succeeded or cleaned up after itself. */
  done: Promise<void>;
}

type Phase =
  | { kind: 'idle' }
  | { kind: 'connecting'; attempt: Attempt }
  | { kind: 'in-room'; room: ActiveRoom }
  | { kind: 'leaving'; done: Promise<void> };

/** Longest wait for a TLS room's certificate before joining it. */
const PIN_TIMEOUT_MS = 10_000;

/** The invite named another room than the one that answered (a new host at that address). */
function otherRoomNotice(roomName: string): RoomEvent {
  return {
    type: 'notice',
    code: 'other_room',
    message: `This address now hosts the room “${roomName}”, not the one you were invited to.`,
  };
}

/** The options actually given: one passed as undefined keeps its default. */
function definedOptions<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

function parseRequest<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (!result.success) throw appError('bad_argument', result.issues[0]?.message);
  return result.output;
}

export class RoomController {
  readonly #settings: Settings;
  #phase: Phase = { kind: 'idle' };

  constructor(options: RoomControllerOptions) {
    const defaults = {
      openStore: (roomName: string) => openSqliteStore(options.dataDir, roomName),
      bindAddress: '0.0.0.0',
      // ws's event objects carry more than WebSocketLike names; the session reads only those.
      WebSocket: WebSocket,
      createSession: (sessionOptions: ClientSessionOptions) => new ClientSession(sessionOptions),
      startHost,
      joinAddresses,
      advertiseRoom,
      log: (message: string, detail?: unknown) => console.warn(message, detail ?? ''),
    };
    const given = definedOptions(options);
    this.#settings = {
      ...defaults,
      events: new RoomEventHub(given.log ?? defaults.log),
      ...given,
      dataDir: options.dataDir,
    };
  }

  /** True while this app hosts the room it is in (closing it ends the room for everyone). */
  get hosting(): boolean {
    return this.#phase.kind === 'in-room' && this.#phase.room.hosting;
  }

  get summary(): RoomSummary | undefined {
    return this.#phase.kind === 'in-room' ? this.#phase.room.summary() : undefined;
  }

  /** Every RoomEvent, in order; returns the unsubscribe function. */
  subscribe(listener: (event: RoomEvent) => void): () => void {
    return this.#settings.events.subscribe(listener);
  }

  async host(request: HostRequest): Promise<RoomSummary> {
    const { roomName, name, password, port } = parseRequest(hostRequestSchema, request);
    return this.#enter(async (attempt) => {
      const store = await this.#openStore(roomName);
      try {
        attempt.host = await this.#settings.startHost({
          ...this.#settings.hostOptions,
          port,
          host: this.#settings.bindAddress,
          roomName,
          password: password || undefined,
          store,
        });
      } catch (error) {
        await store.close().catch(() => undefined);
        throw hostStartError(error, port);
      }
      const url = `ws://${loopbackHostFor(this.#settings.bindAddress)}:${attempt.host.port}/ws`;
      return { url, address: url, name, password: password || undefined, host: attempt.host };
    });
  }

  /** Joins by address, `ws(s)://` URL, guest page URL or `parley://` invite (TLS ones pinned). */
  async join(request: JoinRequest): Promise<RoomSummary> {
    const { address, name, password } = parseRequest(joinRequestSchema, request);
    return this.#enter(async () => {
      const target = joinTarget(address);
      const { fingerprint } = target;
      const WebSocket = fingerprint
        ? await pinnedSocketFor({ ...target, fingerprint }, address, PIN_TIMEOUT_MS)
        : undefined;
      const resume = await this.#settings.sessionSnapshots
        ?.load(target.key, name)
        .catch((error: unknown) => this.#settings.log('parley: no saved session', error));
      return {
        url: target.url,
        address,
        name,
        password: password || undefined,
        host: undefined,
        ...(WebSocket && { WebSocket }),
        ...(target.roomId !== undefined && { invitedTo: target.roomId }),
        snapshot: { key: target.key, resume: resume ?? undefined },
      };
    });
  }

  /** Leaves the room; when hosting, also stops the host (everyone else sees the room end). */
  async leave(): Promise<void> {
    const phase = this.#phase;
    if (phase.kind === 'leaving') return phase.done;
    if (phase.kind === 'connecting') {
      // The pending host()/join() rejects with 'cancelled' and cleans up after itself.
      phase.attempt.cancelled = true;
      await phase.attempt.room?.close();
      await phase.attempt.done;
      return;
    }
    if (phase.kind !== 'in-room') return;
    await this.#closeRoom(phase.room, {
      type: 'ended',
      reason: { code: 'closed', message: 'You left the room.' },
    });
  }

  async send(text: string): Promise<string> {
    return this.#room().send(text);
  }

  async retry(id: string): Promise<void> {
    this.#room().retry(id);
  }

  /** A hint for the others; outside a room there is nobody to tell, which is not an error. */
  async typing(): Promise<void> {
    if (this.#phase.kind === 'in-room') this.#phase.room.typing();
  }

  async loadOlder(beforeSeq: number): Promise<{ messages: ChatMessage[]; more: boolean }> {
    return this.#room().loadOlder(beforeSeq);
  }

  #room(): ActiveRoom {
    if (this.#phase.kind !== 'in-room') throw appError('not_in_room');
    return this.#phase.room;
  }

  #emit(event: RoomEvent): void {
    this.#settings.events.emit(event);
  }

  async #openStore(roomName: string): Promise<MessageStore> {
    let store: MessageStore;
    try {
      store = await this.#settings.openStore(roomName);
    } catch (error) {
      throw storeOpenError(error);
    }
    // One history per app: hosting under a new name renames the room but keeps its id and past.
    if (store.room.name !== roomName) store.renameRoom(roomName);
    return store;
  }

  /**
   * One host or join attempt: claims the controller, prepares the target, connects, and leaves
   * everything stopped and idle again if a step fails or the user leaves meanwhile.
   */
  async #enter(prepare: (attempt: Attempt) => Promise<Target>): Promise<RoomSummary> {
    if (this.#phase.kind === 'in-room') throw appError('in_room');
    if (this.#phase.kind !== 'idle') throw appError('busy');
    let finish = () => {};
    const attempt: Attempt = { cancelled: false, done: new Promise((r) => (finish = r)) };
    this.#phase = { kind: 'connecting', attempt };
    try {
      const target = await prepare(attempt);
      if (attempt.cancelled) throw appError('cancelled');
      const room = this.#createRoom(target);
      attempt.room = room;
      const summary = await room.open();
      if (attempt.cancelled) throw appError('cancelled');
      this.#phase = { kind: 'in-room', room };
      room.release();
      if (target.invitedTo !== undefined && target.invitedTo !== summary.room.id) {
        this.#emit(otherRoomNotice(summary.room.name));
      }
      return summary;
    } catch (error) {
      await attempt.room?.close();
      await attempt.host
        ?.close()
        .catch((e: unknown) => this.#settings.log('parley: host close', e));
      this.#phase = { kind: 'idle' };
      if (attempt.cancelled) throw appError('cancelled');
      if (isBridgeError(error)) throw error;
      this.#settings.log('parley: could not enter the room', error);
      throw appError('internal');
    } finally {
      finish();
    }
  }

  #createRoom(target: Target): ActiveRoom {
    const { host, snapshot } = target;
    const { log, sessionSnapshots } = this.#settings;
    const session = this.#settings.createSession({
      ...this.#settings.sessionOptions,
      url: target.url,
      name: target.name,
      password: target.password,
      WebSocket: target.WebSocket ?? this.#settings.WebSocket,
      ...(snapshot?.resume && { resume: snapshot.resume }),
    });
    const keeper =
      snapshot && sessionSnapshots
        ? new SnapshotKeeper({
            session,
            save: (current, name) => sessionSnapshots.save(snapshot.key, name, current),
            log,
          })
        : undefined;
    const room: ActiveRoom = new ActiveRoom({
      session,
      host,
      address: target.address,
      addresses: (port) =>
        reachableAddresses(this.#settings.joinAddresses(port), this.#settings.bindAddress, port),
      ...(host && {
        invites: new RoomInvites({ roomId: host.room.id, fingerprint: host.fingerprint256 }, log),
        advert: this.#advertFor(host, target.password !== undefined),
      }),
      ...(keeper && { snapshots: keeper }),
      emit: (event) => this.#emit(event),
      onEnded: (event) => void this.#closeRoom(room, event),
      log,
    });
    return room;
  }

  #advertFor(host: ParleyHost, password: boolean): HostAdvert {
    const addresses = advertisedAddresses(this.#settings.bindAddress);
    return new HostAdvert({
      advertise: this.#settings.advertiseRoom,
      host,
      password,
      ...(addresses && { addresses }),
      notice: (event) => this.#emit(event),
      log: this.#settings.log,
    });
  }

  /** Closes a room (and its host) once, then tells the window it ended. */
  async #closeRoom(room: ActiveRoom, ended: EndedEvent): Promise<void> {
    if (this.#phase.kind !== 'in-room' || this.#phase.room !== room) return;
    const done = room.close().finally(() => {
      this.#phase = { kind: 'idle' };
    });
    this.#phase = { kind: 'leaving', done };
    await done;
    this.#emit({ type: 'state', state: 'closed' });
    this.#emit(ended);
  }
}
