/**
 * The bridge requests a room's client session answers (messages, typing, older history, read
 * markers, channels, direct conversations, people), with one meaning and one set of errors for
 * both transports: the desktop's main process behind IPC and the browser guest page. A new
 * request of this kind is written here once, and in bridge.ts.
 *
 * Requests that wait for the host reject with the host's error code and its sentence (or
 * `timeout`); a request the session cannot carry (it ended, or is between connections for good)
 * rejects with `not_connected`.
 */
import * as v from 'valibot';
import { bridgeRequests, type BridgeError, type ParleyBridge } from '../bridge';
import type { RoomSession } from './room-adapter';
import { RequestError } from './session-error';

/** The errors these requests add, with the sentences both transports show. */
export const SESSION_REQUEST_SENTENCES = {
  not_connected: 'Not connected to the room right now. Try again once it reconnects.',
  unknown_message: 'That message is no longer waiting to be sent.',
} as const;

export const SESSION_REQUEST_NAMES = [
  'send',
  'retry',
  'edit',
  'deleteMessage',
  'react',
  'search',
  'setMuted',
  'typing',
  'loadOlder',
  'markRead',
  'createChannel',
  'joinChannel',
  'leaveChannel',
  'openDirect',
  'setTopic',
  'renameChannel',
  'morePeers',
] as const;
export type SessionRequestName = (typeof SESSION_REQUEST_NAMES)[number];
export type SessionRequests = Pick<ParleyBridge, SessionRequestName>;

type Arg<K extends SessionRequestName> = v.InferOutput<(typeof bridgeRequests)[K]['arg']>;

export interface SessionRequestOptions {
  /** The session of the room the person is in; undefined outside a room. */
  session(): RoomSession | undefined;
  /** The refusal of a request that needs a room, made outside one (each transport words it). */
  notInRoom: BridgeError;
  /** The refusal of an argument that fails its schema in the bridge's request table. */
  badArgument: BridgeError;
  /** Most entries per page of older history. Default: the client session's. */
  historyPageSize?: number;
  /**
   * What is thrown for a BridgeError. Default: the plain object itself, which crosses Electron's
   * IPC with every field (an Error would arrive with its message only).
   */
  toThrown?: (error: BridgeError) => unknown;
}

export function sessionRequests(options: SessionRequestOptions): SessionRequests {
  const { historyPageSize, toThrown = (error: BridgeError) => error } = options;

  function parse<K extends SessionRequestName>(name: K, arg: unknown): Arg<K> {
    const parsed = v.safeParse(bridgeRequests[name].arg, arg);
    if (!parsed.success) throw toThrown(options.badArgument);
    return parsed.output as Arg<K>;
  }
  function inRoom(): RoomSession {
    const session = options.session();
    if (!session) throw toThrown(options.notInRoom);
    return session;
  }
  function refusal(code: keyof typeof SESSION_REQUEST_SENTENCES): unknown {
    return toThrown({ code, message: SESSION_REQUEST_SENTENCES[code] });
  }
  /** The host's refusal as it is; anything else means the session could not carry it. */
  function failure(error: unknown): unknown {
    if (error instanceof RequestError) {
      return toThrown({ code: error.code, message: error.message });
    }
    if (error instanceof RangeError) return toThrown(options.badArgument);
    return refusal('not_connected');
  }
  /** Runs a request of the session of the room the person is in, with its errors as above. */
  async function ask<K extends SessionRequestName, T>(
    name: K,
    arg: unknown,
    run: (session: RoomSession, parsed: Arg<K>) => T | Promise<T>,
  ): Promise<T> {
    const parsed = parse(name, arg);
    const session = inRoom();
    try {
      return await run(session, parsed);
    } catch (error) {
      throw failure(error);
    }
  }

  return {
    send: (request) => ask('send', request, (session, parsed) => session.send(parsed).id),

    edit: (request) =>
      ask(
        'edit',
        request,
        (session, { conv, target, text }) => session.edit(conv, target, text).id,
      ),

    deleteMessage: (request) =>
      ask(
        'deleteMessage',
        request,
        (session, { conv, target }) => session.deleteMessage(conv, target).id,
      ),

    react: (request) =>
      ask(
        'react',
        request,
        (session, { conv, target, emoji, on }) => session.react(conv, target, emoji, on).id,
      ),

    search: (request) =>
      ask('search', request, (session, { q, conv, limit }) =>
        session.search({
          q,
          ...(conv !== undefined && { conv }),
          ...(limit !== undefined && { limit }),
        }),
      ),

    setMuted: (request) =>
      ask('setMuted', request, (session, { conv, muted }) => session.setMuted(conv, muted)),

    async retry(id) {
      const retried = await ask('retry', id, (session, parsed) => session.retry(parsed));
      if (!retried) throw refusal('unknown_message');
    },

    async typing(conv) {
      const parsed = v.safeParse(bridgeRequests.typing.arg, conv);
      if (!parsed.success) return;
      try {
        // Outside a room there is nobody to tell, which is not an error.
        options.session()?.typing(parsed.output);
      } catch {
        // Typing is a hint: losing one while reconnecting is not worth an error.
      }
    },

    loadOlder: (request) =>
      ask('loadOlder', request, (session, { conv, before }) =>
        session.loadOlder(conv, before, historyPageSize),
      ),

    markRead: (request) =>
      ask('markRead', request, (session, { conv, seq }) => session.markRead(conv, seq)),

    createChannel: (request) =>
      ask('createChannel', request, (session, { name, topic }) =>
        session.createChannel(name, topic),
      ),

    joinChannel: (conv) =>
      ask('joinChannel', conv, (session, parsed) => session.joinChannel(parsed)),

    async leaveChannel(conv) {
      await ask('leaveChannel', conv, (session, parsed) => session.leaveChannel(parsed));
    },

    openDirect: (peerId) =>
      ask('openDirect', peerId, (session, parsed) => session.openDirect(parsed)),

    async setTopic(request) {
      await ask('setTopic', request, (session, { conv, topic }) => session.setTopic(conv, topic));
    },

    async renameChannel(request) {
      await ask('renameChannel', request, (session, { conv, name }) =>
        session.renameChannel(conv, name),
      );
    },

    morePeers: (request) =>
      ask('morePeers', request, (session, { after }) => session.morePeers(after)),
  };
}
