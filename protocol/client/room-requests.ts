/**
 * The bridge requests a room's client session answers (send, retry, typing, older history), with
 * one meaning and one set of errors for both transports: the desktop's main process behind IPC and
 * the browser guest page. A new request of this kind is written here once, and in bridge.ts.
 */
import * as v from 'valibot';
import { bridgeRequests, type BridgeError, type ParleyBridge } from '../bridge';
import type { RoomSession } from './room-adapter';

/** The errors these requests add, with the sentences both transports show. */
export const SESSION_REQUEST_SENTENCES = {
  not_connected: 'Not connected to the room right now. Try again once it reconnects.',
  unknown_message: 'That message is no longer waiting to be sent.',
} as const;

export type SessionRequestName = 'send' | 'retry' | 'typing' | 'loadOlder';
export type SessionRequests = Pick<ParleyBridge, SessionRequestName>;

export interface SessionRequestOptions {
  /** The session of the room the person is in; undefined outside a room. */
  session(): RoomSession | undefined;
  /** The refusal of a request that needs a room, made outside one (each transport words it). */
  notInRoom: BridgeError;
  /** The refusal of an argument that fails its schema in the bridge's request table. */
  badArgument: BridgeError;
  /** Most messages per page of older history. Default: the client session's. */
  historyPageSize?: number;
  /**
   * What is thrown for a BridgeError. Default: the plain object itself, which crosses Electron's
   * IPC with every field (an Error would arrive with its message only).
   */
  toThrown?: (error: BridgeError) => unknown;
}

export function sessionRequests(options: SessionRequestOptions): SessionRequests {
  const { historyPageSize, toThrown = (error: BridgeError) => error } = options;

  function parse<K extends Exclude<SessionRequestName, 'typing'>>(name: K, arg: unknown) {
    const parsed = v.safeParse(bridgeRequests[name].arg, arg);
    if (!parsed.success) throw toThrown(options.badArgument);
    return parsed.output as v.InferOutput<(typeof bridgeRequests)[K]['arg']>;
  }
  function inRoom(): RoomSession {
    const session = options.session();
    if (!session) throw toThrown(options.notInRoom);
    return session;
  }
  function refusal(code: keyof typeof SESSION_REQUEST_SENTENCES): unknown {
    return toThrown({ code, message: SESSION_REQUEST_SENTENCES[code] });
  }

  return {
    async send(text) {
      const parsed = parse('send', text);
      const session = inRoom();
      try {
        return session.send(parsed).id;
      } catch {
        throw refusal('not_connected');
      }
    },

    async retry(id) {
      const parsed = parse('retry', id);
      const session = inRoom();
      let retried: boolean;
      try {
        retried = session.retry(parsed);
      } catch {
        throw refusal('not_connected');
      }
      if (!retried) throw refusal('unknown_message');
    },

    async typing() {
      try {
        // Outside a room there is nobody to tell, which is not an error.
        options.session()?.typing();
      } catch {
        // Typing is a hint: losing one while reconnecting is not worth an error.
      }
    },

    async loadOlder(beforeSeq) {
      const parsed = parse('loadOlder', beforeSeq);
      const session = inRoom();
      try {
        return await session.loadOlder(parsed, historyPageSize);
      } catch {
        throw refusal('not_connected');
      }
    },
  };
}
