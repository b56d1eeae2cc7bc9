/**
 * The room behind the desktop bridge: hosts a room in this process and joins it over loopback,
 * or joins someone else's, and turns everything the client session sees into RoomEvents.
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
import type { ClientSessionOptions, WebSocketConstructor } from '../../protocol/client-types';
import { ClientSession } from '../../protocol/client-session';
import { parseJoinAddress } from '../../protocol/address';
import { startHost } from '../host/server';
import { joinAddresses } from '../host/addresses';
import { openSqliteStore } from '../host/store/sqlite-store';
import type { HostOptions, ParleyHost } from '../host/types';
import type { MessageStore } from '../host/store/message-store';
import { appError, isBridgeError } from './app-errors';
import { addressError, hostStartError, storeOpenError } from './room-errors';
import { ActiveRoom, type EndedEvent } from './active-room';
import type { RoomSessionFactory } from './room-session';

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
  /** Where listener failures and teardown problems go. Default console.warn. */
  log?: (message: string, detail?: unknown) => void;
}

type Settings = Required<Omit<RoomControllerOptions, 'hostOptions' | 'sessionOptions'>> &
  Pick<RoomControllerOptions, 'hostOptions' | 'sessionOptions'>;

/** Where a host or join attempt connects, once its address is parsed or its host started. */
interface Target {
  url: string;
  address: string;
  name: string;
  password: string | undefined;
  host: ParleyHost | undefined;
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

const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::']);

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
  readonly #listeners = new Set<(event: RoomEvent) => void>();
  #phase: Phase = { kind: 'idle' };

  constructor(options: RoomControllerOptions) {
    const defaults = {
      openStore: (roomName: string) => openSqliteStore(options.dataDir, roomName),
      bindAddress: '0.0.0.0',
      // ws's event objects carry more than WebSocketLike names; the session reads only those.
      WebSocket: WebSocket as unknown as WebSocketConstructor,
      createSession: (sessionOptions: ClientSessionOptions) => new ClientSession(sessionOptions),
      startHost,
      joinAddresses,
      log: (message: string, detail?: unknown) => console.warn(message, detail ?? ''),
    };
    this.#settings = { ...defaults, ...definedOptions(options), dataDir: options.dataDir };
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
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
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
      const url = `ws://${this.#loopbackHost()}:${attempt.host.port}/ws`;
      return { url, address: url, name, password: password || undefined, host: attempt.host };
    });
  }

  async join(request: JoinRequest): Promise<RoomSummary> {
    const { address, name, password } = parseRequest(joinRequestSchema, request);
    return this.#enter(async () => {
      let url: URL;
      try {
        url = parseJoinAddress(address);
      } catch (error) {
        throw addressError(error);
      }
      return { url: url.href, address, name, password: password || undefined, host: undefined };
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
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (error) {
        // One broken listener (a closed window, say) must not starve the others.
        this.#settings.log('parley: a room event listener failed', error);
      }
    }
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

  #loopbackHost(): string {
    const bind = this.#settings.bindAddress;
    if (bind === '::' || bind === '::1') return '[::1]';
    if (WILDCARD_ADDRESSES.has(bind)) return '127.0.0.1';
    return bind.includes(':') ? `[${bind}]` : bind;
  }

  #addresses(port: number): RoomAddress[] {
    const all = this.#settings.joinAddresses(port);
    const bind = this.#settings.bindAddress;
    // A host bound to one interface is reachable only there: list just that address.
    return WILDCARD_ADDRESSES.has(bind) ? all : all.filter((a) => a.address === `${bind}:${port}`);
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
    const session = this.#settings.createSession({
      ...this.#settings.sessionOptions,
      url: target.url,
      name: target.name,
      password: target.password,
      WebSocket: this.#settings.WebSocket,
    });
    const room: ActiveRoom = new ActiveRoom({
      session,
      host: target.host,
      address: target.address,
      addresses: (port) => this.#addresses(port),
      emit: (event) => this.#emit(event),
      onEnded: (event) => void this.#closeRoom(room, event),
      log: this.#settings.log,
    });
    return room;
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
