/**
 * The ParleyBridge of the browser guest page: a ClientSession over the browser's own WebSocket,
 * talking to the host that served the page. Guests join; they cannot host. What the session sees
 * and the requests it answers go through the shared room adapter (protocol/client/room-adapter.ts,
 * room-requests.ts), as on the desktop; this file adds only what a guest page does on its own:
 * checks before joining, resuming after a reload, preferences in Web Storage.
 *
 * Written without DOM types (the environment is passed in), so it runs under Node for tests too.
 */
import * as v from 'valibot';
import { ClientSession } from '../../protocol/client/client-session';
import { bridgeRequests, browserUploadRequestSchema } from '../../protocol/bridge';
import type { BridgeError, ParleyBridge } from '../../protocol/bridge';
import type { RoomSessionFactory } from '../../protocol/client/room-adapter';
import { sessionRequests } from '../../protocol/client/room-requests';
import type { WebSocketConstructor } from '../../protocol/client/client-types';
import { BRIDGE_ERROR_CODES, BridgeFailure } from './bridge-error';
import * as storage from './browser-storage';
import { GuestRoom, NOT_IN_A_ROOM } from './guest-room';
import type { StorageLike } from './browser-storage';
import type { UploadOptions } from 'tus-js-client';
import { definedFields } from '../../protocol/defined-fields';

export { PASSWORD_NEEDS_ENCRYPTION } from './guest-room';

export interface BrowserBridgeOptions {
  /** The host's chat socket, e.g. `ws://192.168.1.20:7420/ws`. */
  url: string;
  WebSocket: WebSocketConstructor;
  /** Where preferences live between visits (localStorage); undefined: not kept (no Web Storage). */
  preferences?: StorageLike | undefined;
  /** Where the guest's identity secret lives (localStorage of the host's origin). Default: `preferences`. */
  identities?: StorageLike | undefined;
  /** Where the live session is kept so a reload resumes it (sessionStorage); undefined: not kept. */
  sessions?: StorageLike | undefined;
  /** Opens a link in a new tab. */
  openWindow?: (url: string) => void;
  /** Entries asked for per page of older history. */
  historyPageSize?: number;
  /** After a reload, this many entries of each conversation before the last one seen are fetched again. */
  reloadBacklog?: number;
  /** tus-js-client options for uploads; tests under Node add a reader for File objects. */
  tus?: Partial<UploadOptions>;
  /** Builds the client session; tests may substitute it. */
  createSession?: RoomSessionFactory;
}

const DEFAULTS = {
  historyPageSize: 100,
  reloadBacklog: 100,
  createSession: (options) => new ClientSession(options),
  openWindow: () => undefined,
} satisfies Partial<BrowserBridgeOptions>;

const GUESTS_CANNOT_HOST =
  'A browser guest cannot host a room. Open the Parley app on a computer to host one.';
const INVALID_REQUEST: BridgeError = {
  code: BRIDGE_ERROR_CODES.badRequest,
  message: 'That request was not valid.',
};

export function createBrowserBridge(options: BrowserBridgeOptions): ParleyBridge {
  const { url, WebSocket, preferences, sessions, identities = preferences } = options;
  const { historyPageSize, reloadBacklog, createSession, openWindow } = {
    ...DEFAULTS,
    ...definedFields(options),
  };
  const room = new GuestRoom({
    url,
    WebSocket,
    sessions,
    identities,
    reloadBacklog,
    createSession,
    ...(options.tus && { tus: options.tus }),
  });
  function uploadsInRoom() {
    const uploads = room.uploads;
    if (!uploads) throw new BridgeFailure(BRIDGE_ERROR_CODES.notConnected, NOT_IN_A_ROOM);
    return uploads;
  }

  function validate<const TSchema extends v.GenericSchema>(
    schema: TSchema,
    value: unknown,
  ): v.InferOutput<TSchema> {
    const parsed = v.safeParse(schema, value);
    if (!parsed.success) throw new BridgeFailure(INVALID_REQUEST.code, INVALID_REQUEST.message);
    return parsed.output;
  }

  return {
    kind: 'browser',
    ...sessionRequests({
      session: () => room.session,
      notInRoom: { code: BRIDGE_ERROR_CODES.notConnected, message: NOT_IN_A_ROOM },
      badArgument: INVALID_REQUEST,
      historyPageSize,
      toThrown: ({ code, message }) => new BridgeFailure(code, message),
    }),

    async host() {
      throw new BridgeFailure(BRIDGE_ERROR_CODES.notSupported, GUESTS_CANNOT_HOST);
    },

    join: (request) => room.join(request),

    async leave() {
      room.leave();
    },

    async loadPreferences() {
      return storage.loadPreferences(preferences);
    },

    async savePreferences(values) {
      storage.savePreferences(preferences, validate(bridgeRequests.savePreferences.arg, values));
    },

    async openExternal(link) {
      const parsed = validate(bridgeRequests.openExternal.arg, link);
      if (!/^https?:\/\//i.test(parsed)) {
        throw new BridgeFailure(BRIDGE_ERROR_CODES.badRequest, 'Only web links can be opened.');
      }
      openWindow(parsed);
    },

    async upload(request) {
      const { conv, text, replyTo, files } = validate(browserUploadRequestSchema, request);
      return uploadsInRoom().start({
        conv,
        ...(text !== undefined && { text }),
        ...(replyTo !== undefined && { replyTo }),
        files: files.map((file) => ({ name: file.name || 'pasted', size: file.size, input: file })),
      });
    },

    async cancelTransfer(transferId) {
      // Outside a room there is nothing to cancel; a download is the browser's own.
      room.uploads?.cancel(validate(bridgeRequests.cancelTransfer.arg, transferId));
    },

    subscribe: (listener) => room.subscribe(listener),
  };
}
