/**
 * Builds window.parley for the desktop renderer from the bridge request table. Plain code: the
 * preload passes ipcRenderer's invoke/on/off in, so the mapping is tested under Node.
 *
 * The renderer never gets ipcRenderer itself, nor any IPC event object (event.sender is
 * ipcRenderer): only one method per request and a subscribe that hands over RoomEvent payloads.
 */
import * as v from 'valibot';
import {
  bridgeRequests,
  ROOM_EVENT_CHANNEL,
  toDesktopUploadRequest,
  type BridgeRequestName,
  type ParleyBridge,
  type RoomEvent,
} from '../../../protocol/bridge';
import { appError } from '../room/app-errors';
import { ipcResultSchema } from '../room/ipc-result';

type IpcListener = (event: unknown, payload: unknown) => void;

/** The slice of ipcRenderer the bridge needs; ipcRenderer itself satisfies it. */
export interface BridgeTransport {
  invoke(channel: string, arg?: unknown): Promise<unknown>;
  on(channel: string, listener: IpcListener): unknown;
  off(channel: string, listener: IpcListener): unknown;
}

// Main only sends RoomEvents; checking the tag keeps a stray message on the channel harmless.
const roomEventSchema = v.looseObject({ type: v.string() });

async function request(transport: BridgeTransport, name: BridgeRequestName, arg: unknown) {
  let answer: unknown;
  try {
    answer = await transport.invoke(bridgeRequests[name].channel, arg);
  } catch {
    throw appError('ipc_failed');
  }
  const result = v.safeParse(ipcResultSchema, answer);
  if (!result.success) throw appError('internal');
  if (!result.output.ok) {
    // A plain object (not an Error) so the code (and an identity error's fingerprint) survive
    // the contextBridge copy.
    throw { ...result.output.error };
  }
  return result.output.value;
}

type RequestMethods = Omit<ParleyBridge, 'kind' | 'subscribe'>;

/**
 * `getPathForFile` is Electron's webUtils.getPathForFile: uploads cross IPC as paths on disk
 * (main reads the file itself), or as bytes for a file without one (pasted from the clipboard).
 */
export function createDesktopBridge(
  transport: BridgeTransport,
  getPathForFile: (file: File) => string = () => '',
): ParleyBridge {
  // One method per entry of the request table; bridge.ts already proves the table and the
  // ParleyBridge methods name the same requests, so a new request needs no change here.
  const names = Object.keys(bridgeRequests) as BridgeRequestName[];
  const methods = Object.fromEntries(
    names.map((name) => [name, (arg?: unknown) => request(transport, name, arg)]),
  ) as unknown as RequestMethods;

  // A plain object with own function properties: contextBridge copies those, not prototypes.
  return {
    ...methods,
    async upload(upload) {
      let arg;
      try {
        arg = await toDesktopUploadRequest(upload, getPathForFile);
      } catch {
        throw appError('bad_argument', 'That file could not be read.');
      }
      return (await request(transport, 'upload', arg)) as Awaited<
        ReturnType<ParleyBridge['upload']>
      >;
    },
    kind: 'desktop',
    subscribe(listener: (event: RoomEvent) => void): () => void {
      const forward: IpcListener = (_event, payload) => {
        if (v.is(roomEventSchema, payload)) listener(payload as RoomEvent);
      };
      transport.on(ROOM_EVENT_CHANNEL, forward);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        transport.off(ROOM_EVENT_CHANNEL, forward);
      };
    },
  };
}
