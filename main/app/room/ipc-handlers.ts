/**
 * The main-process side of the bridge, as plain functions: one handler per entry of the request
 * table. Each handler checks who is asking, validates the argument with the request's schema and
 * only then calls the app. ipc.ts registers them with ipcMain.handle.
 */
import * as v from 'valibot';
import {
  bridgeRequests,
  type BridgeRequestName,
  type ParleyBridge,
} from '../../../protocol/bridge';
import { appError, isBridgeError, toBridgeError } from './app-errors';
import type { IpcResult } from './ipc-result';
import type { SenderInfo } from '../shell/security-policy';

type RequestArg<K extends BridgeRequestName> = v.InferOutput<(typeof bridgeRequests)[K]['arg']>;
// Desktop-only requests are optional methods of the bridge; main always implements them.
type RequestValue<K extends BridgeRequestName> = Awaited<ReturnType<NonNullable<ParleyBridge[K]>>>;

/** What the main process does for each request, given an argument that passed its schema. */
export type BridgeActions = {
  [K in BridgeRequestName]: (arg: RequestArg<K>) => Promise<RequestValue<K>> | RequestValue<K>;
};

/** The parts of an IpcMainInvokeEvent the sender check reads (a real event satisfies it). */
export interface InvokeEventLike {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

export interface IpcHandler {
  channel: string;
  handle(event: InvokeEventLike, arg: unknown): Promise<IpcResult>;
}

export interface IpcHandlerOptions {
  actions: BridgeActions;
  isTrustedSender: (sender: SenderInfo) => boolean;
  /** Where refused requests and unexpected failures are reported. Default console.warn. */
  log?: (message: string, detail?: unknown) => void;
}

export function senderInfo(event: InvokeEventLike): SenderInfo {
  const frame = event.senderFrame;
  return {
    webContentsId: event.sender.id,
    frameUrl: frame?.url,
    isMainFrame: frame !== null && frame.parent === null,
  };
}

export function createIpcHandlers(options: IpcHandlerOptions): IpcHandler[] {
  const { actions, isTrustedSender, log } = {
    log: (message: string, detail?: unknown) => console.warn(message, detail ?? ''),
    ...options,
  };

  function handlerFor<K extends BridgeRequestName>(name: K): IpcHandler {
    const { channel, arg: schema } = bridgeRequests[name];
    const action = actions[name] as (arg: RequestArg<K>) => Promise<unknown> | unknown;
    return {
      channel,
      async handle(event, arg) {
        const sender = senderInfo(event);
        if (!isTrustedSender(sender)) {
          log(`parley: refused ${channel} from an untrusted frame`, sender.frameUrl);
          return { ok: false, error: appError('forbidden') };
        }
        const parsed = v.safeParse(schema, arg);
        if (!parsed.success) {
          const first = parsed.issues[0]?.message;
          return { ok: false, error: appError('bad_argument', first ?? undefined) };
        }
        try {
          const value = await action(parsed.output as RequestArg<K>);
          return { ok: true, value };
        } catch (error) {
          if (isBridgeError(error)) return { ok: false, error: toBridgeError(error) };
          log(`parley: ${channel} failed`, error);
          return { ok: false, error: appError('internal') };
        }
      },
    };
  }

  return (Object.keys(bridgeRequests) as BridgeRequestName[]).map((name) => handlerFor(name));
}
