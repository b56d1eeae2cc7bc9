/**
 * What an IPC handler answers: a result envelope rather than a thrown error, because a rejection
 * crossing ipcMain.handle keeps only the Error's message and loses its code.
 */
import * as v from 'valibot';
import { bridgeErrorSchema, type BridgeError } from '../../../protocol/bridge';

export type IpcResult = { ok: true; value: unknown } | { ok: false; error: BridgeError };

export const ipcResultSchema = v.variant('ok', [
  v.object({ ok: v.literal(true), value: v.unknown() }),
  v.object({ ok: v.literal(false), error: bridgeErrorSchema }),
]);
