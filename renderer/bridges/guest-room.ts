/**
 * The room a browser guest is in: one client session at a time, its events handed to the page
 * through the shared room adapter, and a snapshot of it in sessionStorage so a reload of the tab
 * resumes it as the same peer. The guest's identity (a secret kept per origin) goes with every
 * join, so a returning guest is the same person too.
 */
import * as v from 'valibot';
import { bridgeRequests } from '../../protocol/bridge';
import type { JoinRequest, RoomEvent, RoomSummary } from '../../protocol/bridge';
import {
  GUEST_PLACE,
  RoomAdapter,
  type RoomSession,
  type RoomSessionFactory,
} from '../../protocol/client/room-adapter';
import type { SessionSnapshot, WebSocketConstructor } from '../../protocol/client/client-types';
import { ERROR_SENTENCES } from '../../protocol/wire/codes';
import { DEFAULT_LIMITS } from '../../protocol/wire/limits';
import { checkName } from '../../protocol/wire/text';
import { BRIDGE_ERROR_CODES, BridgeFailure, toBridgeFailure } from './bridge-error';
import * as storage from './browser-storage';
import { socketTransport } from './page-transport';
import type { StorageLike, StoredSession } from './browser-storage';
import type { UploadOptions } from 'tus-js-client';
import { httpOriginOf } from '../../protocol/client/address';
import { Uploads } from '../../protocol/client/uploads';

export interface GuestRoomOptions {
  url: string;
  WebSocket: WebSocketConstructor;
  sessions: StorageLike | undefined;
  /** Where the guest's identity secret lives (localStorage). */
  identities: StorageLike | undefined;
  reloadBacklog: number;
  createSession: RoomSessionFactory;
  /** tus-js-client options for uploads (the browser's own defaults otherwise; tests add a reader). */
  tus?: Partial<UploadOptions>;
}

interface Credentials {
  name: string;
  password?: string;
}

export const NOT_IN_A_ROOM = 'You are not in a room right now.';
/** Said before anything is sent: the host would refuse the password unchecked anyway. */
export const PASSWORD_NEEDS_ENCRYPTION =
  'This page is not encrypted, so Parley does not send passwords from it: the host refuses them. Open the https:// address the host shows.';

export class GuestRoom {
  readonly #options: GuestRoomOptions;
  readonly #listeners = new Set<(event: RoomEvent) => void>();
  #session: RoomSession | undefined;
  #uploads: Uploads | undefined;
  #adapter: RoomAdapter | undefined;
  #stored: StoredSession | undefined;
  #resumeTried = false;

  constructor(options: GuestRoomOptions) {
    this.#options = options;
  }

  /** The session of the room the guest is in, if any. */
  get session(): RoomSession | undefined {
    return this.#session;
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
    this.leave();
    return this.#open({ name: name.name, ...(password ? { password } : {}) }, undefined);
  }

  /** The uploads of the room the guest is in, if any. */
  get uploads(): Uploads | undefined {
    return this.#uploads;
  }

  /** Closes the current session without telling listeners: leaving is the guest's own act. */
  leave(): void {
    const session = this.#session;
    this.#uploads?.close();
    this.#uploads = undefined;
    this.#adapter?.stop();
    this.#adapter = undefined;
    this.#session = undefined;
    this.#stored = undefined;
    storage.forgetSession(this.#options.sessions);
    void session?.close();
  }

  subscribe(listener: (event: RoomEvent) => void): () => void {
    this.#listeners.add(listener);
    const summary = this.#adapter?.summary(GUEST_PLACE);
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
    const { reloadBacklog } = this.#options;
    const resume: SessionSnapshot = {
      token: stored.token,
      roomId: stored.roomId,
      ...(stored.outbox && { outbox: stored.outbox }),
      // The reloaded page has lost what it showed: ask for the last few entries of each again.
      cursors: Object.fromEntries(
        Object.entries(stored.cursors).map(([conv, seq]) => [
          conv,
          Math.max(0, seq - reloadBacklog),
        ]),
      ),
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
    const { url, WebSocket, createSession } = this.#options;
    const session = createSession({
      url,
      WebSocket,
      identity: storage.guestIdentity(this.#options.identities),
      name: credentials.name,
      ...(credentials.password ? { password: credentials.password } : {}),
      ...(resume ? { resume } : {}),
    });
    this.#session = session;
    // Until connect() settles, a failure is reported by its rejection, not by an `ended` event.
    let connected = false;
    const emit = (event: RoomEvent) => {
      if (this.#session === session) this.#emit(event);
    };
    const summarize = () => {
      const summary = adapter.summary(GUEST_PLACE);
      if (summary) emit({ type: 'summary', summary });
    };
    const adapter = new RoomAdapter(session, {
      emit: (event) => {
        if (event.type === 'entry' && this.#stored) {
          const snapshot = session.snapshot();
          if (snapshot) this.#remember({ ...this.#stored, cursors: snapshot.cursors });
        }
        emit(event);
      },
      welcome: (welcome) => {
        this.#remember({
          ...credentials,
          token: welcome.token,
          roomId: welcome.room.id,
          // In a different room the old cursors mean nothing; the catchup brings new ones.
          cursors: session.snapshot()?.cursors ?? {},
        });
        summarize();
      },
      renamedSelf: () => {
        // Renamed from another tab or device: a reload must not rename it back.
        const name = session.self?.name;
        if (this.#stored && name !== undefined) this.#remember({ ...this.#stored, name });
        summarize();
      },
      ended: (event) => {
        if (!connected) return;
        emit(event);
        if (this.#session === session) this.leave();
      },
    });
    this.#adapter = adapter;
    this.#uploads = new Uploads({
      origin: httpOriginOf(url),
      token: () => session.token,
      post: ({ id, conv, text, replyTo, files }) =>
        session.send({ conv, text, ...(replyTo !== undefined && { replyTo }), files }, id),
      changed: (transfer) => emit({ type: 'transfer', transfer }),
      ...(this.#options.tus && { tus: this.#options.tus }),
    });
    // A new connection brings a new token: uploads that waited for it go on.
    session.on('welcome', () => this.#uploads?.resume());
    // Unsent posts survive a reload of the tab (sent again under their ids, applied once).
    session.on('outbox', () => {
      if (!this.#stored || this.#session !== session) return;
      const { outbox: _before, ...rest } = this.#stored;
      const outbox = session.snapshot()?.outbox;
      this.#remember({ ...rest, ...(outbox && { outbox }) });
    });
    try {
      await session.connect();
    } catch (error) {
      if (this.#session === session) this.leave();
      throw toBridgeFailure(error, BRIDGE_ERROR_CODES.unreachable);
    }
    connected = true;
    const summary = adapter.summary(GUEST_PLACE);
    if (!summary) throw new BridgeFailure(BRIDGE_ERROR_CODES.notConnected, NOT_IN_A_ROOM);
    return summary;
  }

  #remember(session: StoredSession): void {
    this.#stored = session;
    storage.saveSession(this.#options.sessions, session);
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
