/**
 * The session requests both bridges share, on a real client session against a scripted host:
 * what the host receives, what the caller gets back, and the one set of refusals.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { BridgeError } from '../../../protocol/bridge';
import { ClientSession } from '../../../protocol/client/client-session';
import {
  SESSION_REQUEST_SENTENCES,
  sessionRequests,
  type SessionRequestOptions,
} from '../../../protocol/client/room-requests';
import { nextEvent } from '../../support/session-events';
import { chat, startScriptedHost, welcome, type ScriptedHost } from './support/scripted-host';

const NOT_IN_ROOM: BridgeError = { code: 'not_in_room', message: 'Join a room first.' };
const BAD_ARGUMENT: BridgeError = { code: 'bad_argument', message: 'Not a valid request.' };

let host: ScriptedHost;
const sessions: ClientSession[] = [];

beforeEach(async () => {
  host = await startScriptedHost();
});

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.close()));
  await host.close();
});

/** Requests for a room the test enters with `enter()`; outside it until then. */
function requestsFor(options: Partial<SessionRequestOptions> = {}) {
  let current: ClientSession | undefined;
  const requests = sessionRequests({
    session: () => current,
    notInRoom: NOT_IN_ROOM,
    badArgument: BAD_ARGUMENT,
    ...options,
  });
  async function enter() {
    const session = new ClientSession({ url: host.url, name: 'alice', WebSocket: WebSocket });
    sessions.push(session);
    const connecting = session.connect();
    const connection = await host.nextConnection();
    await connection.next('hello');
    connection.send(welcome());
    await connecting;
    current = session;
    return { session, connection };
  }
  return { requests, enter };
}

describe('session requests', () => {
  it('refuses what needs a room outside one, and lets typing go', async () => {
    const { requests } = requestsFor();
    await expect(requests.send('hi')).rejects.toEqual(NOT_IN_ROOM);
    await expect(requests.retry('say-1')).rejects.toEqual(NOT_IN_ROOM);
    await expect(requests.loadOlder(5)).rejects.toEqual(NOT_IN_ROOM);
    await expect(requests.typing()).resolves.toBeUndefined();
  });

  it('refuses arguments that fail the bridge’s schemas before anything is sent', async () => {
    const { requests, enter } = requestsFor();
    const { connection } = await enter();
    await expect(requests.loadOlder(0)).rejects.toEqual(BAD_ARGUMENT);
    await expect(requests.send(42 as unknown as string)).rejects.toEqual(BAD_ARGUMENT);
    await expect(requests.retry('x'.repeat(65))).rejects.toEqual(BAD_ARGUMENT);
    expect(connection.received.map((frame) => frame.type)).toEqual(['hello']);
  });

  it('sends, retries a failed message with its own id, and tells typing to the room', async () => {
    const { requests, enter } = requestsFor();
    const { session, connection } = await enter();
    const id = await requests.send('hi');
    expect(await connection.next('say')).toMatchObject({ id, text: 'hi' });
    const failed = nextEvent(session, 'outbox', (outbox) => outbox[0]?.state === 'failed');
    connection.send({ type: 'error', code: 'too_long', message: 'too long', ref: id });
    await failed;
    await requests.retry(id);
    expect(await connection.next('say')).toMatchObject({ id, text: 'hi' });
    await requests.typing();
    expect(await connection.next('typing')).toEqual({ type: 'typing' });

    await expect(requests.retry('no-such-id')).rejects.toEqual({
      code: 'unknown_message',
      message: SESSION_REQUEST_SENTENCES.unknown_message,
    });
  });

  it('asks for older history a page at a time, of the size the transport chose', async () => {
    const { requests, enter } = requestsFor({ historyPageSize: 2 });
    const { connection } = await enter();
    const page = requests.loadOlder(9);
    expect(await connection.next('history')).toEqual({ type: 'history', before: 9, limit: 2 });
    connection.send({
      type: 'history',
      messages: [chat(7, 'seven'), chat(8, 'eight')],
      more: true,
    });
    expect(await page).toEqual({ messages: [chat(7, 'seven'), chat(8, 'eight')], more: true });
  });

  it('says "not connected" once the room’s session has ended', async () => {
    const { requests, enter } = requestsFor();
    const { session } = await enter();
    await session.close();
    const notConnected = {
      code: 'not_connected',
      message: SESSION_REQUEST_SENTENCES.not_connected,
    };
    await expect(requests.send('late')).rejects.toEqual(notConnected);
    await expect(requests.loadOlder(3)).rejects.toEqual(notConnected);
    await expect(requests.typing()).resolves.toBeUndefined();
  });

  it('throws what the transport makes of a refusal', async () => {
    const { requests } = requestsFor({
      toThrown: ({ code, message }) => Object.assign(new Error(message), { code }),
    });
    const refusal = await requests.send('hi').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(Error);
    expect(refusal).toMatchObject({ code: 'not_in_room', message: 'Join a room first.' });
  });
});
