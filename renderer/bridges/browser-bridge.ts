/**
 * The ParleyBridge of the browser guest page: a ClientSession over the browser's own WebSocket,
 * talking to the host that served the page. Guests join; they cannot host.
 *
 * Written without DOM types (the environment is passed in), so it runs under Node for tests too.
 */
import * as v from 'valibot';
import { ClientSession } from '../../protocol/client/client-session';
import { bridgeRequests } from '../../protocol/bridge';
import type {
  HostRequest,
  JoinRequest,
  ParleyBridge,
  Preferences,
  RoomEvent,
  RoomSummary,
} from '../../protocol/bridge';
import type {
  ClientSessionOptions,
  SessionSnapshot,
  WebSocketConstructor,
} from '../../protocol/client/client-types';
import type { WelcomeFrame } from '../../protocol/wire/frames';
import { ERROR_SENTENCES } from '../../protocol/wire/codes';
import { DEFAULT_LIMITS } from '../../protocol/wire/limits';
import { checkName } from '../../protocol/wire/text';
import { BRIDGE_ERROR_CODES, BridgeFailure, toBridgeFailure } from './bridge-error';
import * as storage from './browser-storage';
import { socketTransport } from './page-transport';
import type { StorageLike, StoredSession } from './browser-storage';

export interface BrowserBridgeOptions {
  /** The host's chat socket, e.g. `ws://192.168.1.20:7420/ws`. */
  url: string;
  WebSocket: WebSocketConstructor;
  /** Where preferences live between visits (localStorage). */
  preferences?: StorageLike;
  /** Where the live session is kept so a reload resumes it (sessionStorage). */
  sessions?: StorageLike;
  /** Opens a link in a new tab. */
  openWindow?: (url: string) => void;
  /** Messages asked for per `loadOlder`. */
  historyPageSize?: number;
  /** After a reload, this many messages before the last one seen are fetched again to refill the page. */
  reloadBacklog?: number;
  /** Builds the client session; tests may substitute it. */
  createSession?: (options: ClientSessionOptions) => ClientSession;
}

const DEFAULTS = {
  historyPageSize: 100,
  reloadBacklog: 100,
  createSession: (options: ClientSessionOptions) => new ClientSession(options),
  openWindow: () => undefined,
} satisfies Partial<BrowserBridgeOptions>;

type Resolved = Required<Omit<BrowserBridgeOptions, 'preferences' | 'sessions'>> &
  Pick<BrowserBridgeOptions, 'preferences' | 'sessions'>;

interface Credentials {
  name: string;
  password?: string;
}

const GUESTS_CANNOT_HOST =
  'A browser guest cannot host a room. Open the Parley app on a computer to host one.';
const NOT_IN_A_ROOM = 'You are not in a room right now.';
/** Said before anything is sent: the host would refuse the password unchecked anyway. */
export const PASSWORD_NEEDS_ENCRYPTION =
  'This page is not encrypted, so Parley does not send passwords from it: the host refuses them. Open the https:// address the host shows.';

export class BrowserBridge implements ParleyBridge {
  readonly kind = 'browser' as const;
  readonly #options: Resolved;
  readonly #listeners = new Set<(event: RoomEvent) => void>();
  #session: ClientSession | undefined;
  #unwire: (() => void) | undefined;
  #stored: StoredSession | undefined;
  #summary: RoomSummary | undefined;
  #resumeTried = false;

  constructor(options: BrowserBridgeOptions) {
    this.#options = {
      ...DEFAULTS,
      ...stripUndefined(options),
      url: options.url,
      WebSocket: options.WebSocket,
    };
  }

  async host(_request: HostRequest): Promise<RoomSummary> {
    throw new BridgeFailure(BRIDGE_ERROR_CODES.notSupported, GUESTS_CANNOT_HOST);
  }

  async join(request: JoinRequest): Promise<RoomSummary> {
    const parsed = v.safeParse(bridgeRequests.join.arg, request);
    if (!parsed.success) {
      throw new BridgeFailure(BRIDGE_ERROR_CODES.badRequest, parsed.issues[0].message);
    }
    const name = checkName(parsed.output.name, DEFAULT_LIMITS.maxNameLength);
    if (!name.ok) throw new BridgeFailure('bad_name', ERROR_SENTENCES.bad_name);
    const password = parsed.output.password || undefined;
    if (password && socketTransport(this.#options.url) === 'cleartext') {
      throw new BridgeFailure(BRIDGE_ERROR_CODES.insecurePassword, PASSWORD_NEEDS_ENCRYPTION);
    }
    this.#endSession();
    return this.#open({ name: name.name, ...(password ? { password } : {}) }, undefined);
  }

  async leave(): Promise<void> {
    this.#endSession();
  }

  async send(text: string): Promise<string> {
    const parsed = this.#validate(bridgeRequests.send.arg, text);
    return this.#requireSession().send(parsed).id;
  }

  async retry(id: string): Promise<void> {
    const parsed = this.#validate(bridgeRequests.retry.arg, id);
    this.#requireSession().retry(parsed);
  }

  async typing(): Promise<void> {
    // Typing outside a room has nobody to tell; not worth an error.
    this.#session?.typing();
  }

  async loadOlder(beforeSeq: number) {
    const parsed = this.#validate(bridgeRequests.loadOlder.arg, beforeSeq);
    const session = this.#requireSession();
    try {
      return await session.loadOlder(parsed, this.#options.historyPageSize);
    } catch (error) {
      throw toBridgeFailure(error, BRIDGE_ERROR_CODES.notConnected);
    }
  }

  async loadPreferences(): Promise<Preferences> {
    return storage.loadPreferences(this.#options.preferences);
  }

  async savePreferences(preferences: Preferences): Promise<void> {
    storage.savePreferences(
      this.#options.preferences,
      this.#validate(bridgeRequests.savePreferences.arg, preferences),
    );
  }

  async openExternal(url: string): Promise<void> {
    const parsed = this.#validate(bridgeRequests.openExternal.arg, url);
    if (!/^https?:\/\//i.test(parsed)) {
      throw new BridgeFailure(BRIDGE_ERROR_CODES.badRequest, 'Only web links can be opened.');
    }
    this.#options.openWindow(parsed);
  }

  subscribe(listener: (event: RoomEvent) => void): () => void {
    this.#listeners.add(listener);
    const summary = this.#summary;
    if (summary) {
      // A late subscriber still learns which room it is in.
      queueMicrotask(() => listener({ type: 'summary', summary }));
    }
    this.#resumeStoredSession();
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** After a reload, the first subscriber (the app) gets the stored session back. */
  #resumeStoredSession(): void {
    if (this.#resumeTried || this.#session) return;
    this.#resumeTried = true;
    const stored = storage.loadSession(this.#options.sessions);
    if (!stored) return;
    const resume: SessionSnapshot = {
      token: stored.token,
      roomId: stored.roomId,
      // The reloaded page has lost what it showed: ask for the last few messages again.
      lastSeq: Math.max(0, stored.lastSeq - this.#options.reloadBacklog),
    };
    const credentials: Credentials = {
      name: stored.name,
      ...(stored.password ? { password: stored.password } : {}),
    };
    this.#open(credentials, resume).catch((error: unknown) => {
      const failure = toBridgeFailure(error, BRIDGE_ERROR_CODES.unreachable);
      this.#emit({ type: 'ended', reason: { code: 'closed', message: failure.message } });
    });
  }

  async #open(credentials: Credentials, resume: SessionSnapshot | undefined): Promise<RoomSummary> {
    const session = this.#options.createSession({
      url: this.#options.url,
      WebSocket: this.#options.WebSocket,
      name: credentials.name,
      ...(credentials.password ? { password: credentials.password } : {}),
      ...(resume ? { resume } : {}),
    });
    this.#session = session;
    const wiring = this.#wire(session, credentials);
    this.#unwire = wiring.unwire;
    try {
      const welcome = await session.connect();
      wiring.connected();
      return this.#summarise(welcome);
    } catch (error) {
      if (this.#session === session) this.#endSession();
      throw toBridgeFailure(error, BRIDGE_ERROR_CODES.unreachable);
    }
  }

  #wire(session: ClientSession, credentials: Credentials) {
    // Until connect() settles, a failure is reported by its rejection, not by an `ended` event.
    let connected = false;
    const emit = (event: RoomEvent) => {
      if (this.#session === session) this.#emit(event);
    };
    const offs = [
      session.on('state', (state) => emit({ type: 'state', state })),
      session.on('message', (message) => {
        if (this.#stored && message.seq > this.#stored.lastSeq) {
          this.#remember({ ...this.#stored, lastSeq: message.seq });
        }
        emit({ type: 'message', message });
      }),
      session.on('welcome', (welcome) => {
        this.#remember({
          ...credentials,
          token: welcome.token,
          roomId: welcome.room.id,
          // Everything up to the room's newest seq has just been delivered (or cut as a gap); in a
          // different room the old number means nothing.
          lastSeq: welcome.lastSeq,
        });
        if (this.#session === session) emit({ type: 'summary', summary: this.#summarise(welcome) });
      }),
      session.on('outbox', (outbox) => emit({ type: 'outbox', outbox })),
      session.on('peers', (peers) => emit({ type: 'peers', peers })),
      session.on('joined', (peer) => emit({ type: 'joined', peer })),
      session.on('left', (peer) => emit({ type: 'left', peer })),
      session.on('typing', (peer) => emit({ type: 'typing', peer })),
      session.on('error', ({ code, message }) => emit({ type: 'error', code, message })),
      session.on('gap', () => emit({ type: 'gap' })),
      session.on('roomChanged', ({ previous, current }) =>
        emit({ type: 'roomChanged', previous, current }),
      ),
      session.on('ended', (reason) => {
        if (!connected) return;
        emit({ type: 'ended', reason });
        if (this.#session === session) this.#endSession();
      }),
    ];
    return {
      unwire: () => offs.forEach((off) => off()),
      connected: () => {
        connected = true;
      },
    };
  }

  #summarise(welcome: WelcomeFrame): RoomSummary {
    const summary: RoomSummary = {
      room: welcome.room,
      self: welcome.self,
      peers: welcome.peers,
      hosting: false,
      addresses: [],
      lastSeq: welcome.lastSeq,
    };
    this.#summary = summary;
    return summary;
  }

  #remember(session: StoredSession): void {
    this.#stored = session;
    storage.saveSession(this.#options.sessions, session);
  }

  /** Closes the current session without telling listeners: leaving is the caller's own act. */
  #endSession(): void {
    const session = this.#session;
    this.#unwire?.();
    this.#unwire = undefined;
    this.#session = undefined;
    this.#summary = undefined;
    this.#stored = undefined;
    storage.forgetSession(this.#options.sessions);
    session?.close();
  }

  #requireSession(): ClientSession {
    if (!this.#session) throw new BridgeFailure(BRIDGE_ERROR_CODES.notConnected, NOT_IN_A_ROOM);
    return this.#session;
  }

  #validate<const TSchema extends v.GenericSchema>(
    schema: TSchema,
    value: unknown,
  ): v.InferOutput<TSchema> {
    const parsed = v.safeParse(schema, value);
    if (!parsed.success) {
      throw new BridgeFailure(BRIDGE_ERROR_CODES.badRequest, 'That request was not valid.');
    }
    return parsed.output;
  }

  #emit(event: RoomEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (error) {
        // One broken view must not stop the others from hearing about the room.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}

export function createBrowserBridge(options: BrowserBridgeOptions): ParleyBridge {
  return new BrowserBridge(options);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Partial<T>;
}
