/**
 * Client sessions against a scripted host (scripted-host.ts), for the tests that stage what the
 * host says frame by frame: one host per test, sessions closed after it.
 */
import { afterEach, beforeEach } from 'vitest';
import WebSocket from 'ws';
import { ClientSession } from '../../../../protocol/client/client-session';
import type { ClientSessionOptions } from '../../../../protocol/client/client-types';
import { startScriptedHost, welcome, type ScriptedHost } from './scripted-host';

export interface ScriptedRoom {
  /** The host of the running test (replaced when a test restarts it). */
  host: ScriptedHost;
  createSession(options?: Partial<ClientSessionOptions>): ClientSession;
  /** Connects a session and answers its hello with a welcome (its fields overridden). */
  joined(
    options?: Partial<ClientSessionOptions>,
    welcomeFields?: Record<string, unknown>,
  ): Promise<{
    session: ClientSession;
    connection: Awaited<ReturnType<ScriptedHost['nextConnection']>>;
    hello: Record<string, unknown>;
  }>;
}

/** Registers the hooks of a test file and returns its room. */
export function useScriptedRoom(): ScriptedRoom {
  const sessions: ClientSession[] = [];
  const room = {
    host: undefined as unknown as ScriptedHost,
    createSession(options: Partial<ClientSessionOptions> = {}) {
      const session = new ClientSession({
        url: room.host.url,
        name: 'alice',
        // `ws` implements the WebSocketLike subset; its declared event types are just richer.
        WebSocket: WebSocket,
        backoff: { initialMs: 10, maxMs: 50 },
        ...options,
      });
      sessions.push(session);
      return session;
    },
    async joined(options: Partial<ClientSessionOptions> = {}, welcomeFields = {}) {
      const session = room.createSession(options);
      const connecting = session.connect();
      // Awaited below; a refusal before then must fail this join, not count as unhandled.
      connecting.catch(() => {});
      const connection = await room.host.nextConnection();
      const hello = await connection.next('hello');
      connection.send(welcome(welcomeFields));
      await connecting;
      return { session, connection, hello };
    },
  };
  beforeEach(async () => {
    room.host = await startScriptedHost();
  });
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((session) => session.close()));
    await room.host.close();
  });
  return room;
}
