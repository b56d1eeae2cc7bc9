/**
 * The session requests both bridges share, on a real client session against a scripted host:
 * what the host receives, what the caller gets back, and the one set of refusals.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { BridgeError } from '../../../protocol/bridge';
import { ClientSession } from '../../../protocol/client/client-session';
import type { ClientSessionOptions } from '../../../protocol/client/client-types';
import {
  SESSION_REQUEST_SENTENCES,
  sessionRequests,
  type SessionRequestOptions,
} from '../../../protocol/client/room-requests';
import { ERROR_SENTENCES } from '../../../protocol/wire/codes';
import { nextEvent } from '../../support/session-events';
import {
  ALICE,
  BOB,
  conversation,
  conversationFrame,
  startScriptedHost,
  text,
  welcome,
  type ScriptedHost,
} from './support/scripted-host';

const NOT_IN_ROOM: BridgeError = { code: 'not_in_room', message: 'Join a room first.' };
const BAD_ARGUMENT: BridgeError = { code: 'bad_argument', message: 'Not a valid request.' };
const CREW = conversation('c_crew', { name: 'crew', creator: ALICE.id, lastSeq: 3 });

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
function requestsFor(
  options: Partial<SessionRequestOptions> = {},
  sessionOptions: Partial<ClientSessionOptions> = {},
) {
  let current: ClientSession | undefined;
  const requests = sessionRequests({
    session: () => current,
    notInRoom: NOT_IN_ROOM,
    badArgument: BAD_ARGUMENT,
    ...options,
  });
  async function enter() {
    let next = 0;
    const session = new ClientSession({
      url: host.url,
      name: 'alice',
      WebSocket: WebSocket,
      createId: () => `id-${++next}`,
      ...sessionOptions,
    });
    sessions.push(session);
    const connecting = session.connect();
    const connection = await host.nextConnection();
    await connection.next('hello');
    connection.send(welcome({ conversations: [conversation(), CREW], peers: [ALICE, BOB] }));
    await connecting;
    current = session;
    return { session, connection };
  }
  return { requests, enter };
}

describe('session requests', () => {
  it('refuses what needs a room outside one, and lets typing go', async () => {
    const { requests } = requestsFor();
    await expect(requests.send({ conv: 'general', text: 'hi' })).rejects.toEqual(NOT_IN_ROOM);
    await expect(requests.retry('say-1')).rejects.toEqual(NOT_IN_ROOM);
    await expect(requests.loadOlder({ conv: 'general', before: 5 })).rejects.toEqual(NOT_IN_ROOM);
    await expect(requests.markRead({ conv: 'general', seq: 5 })).rejects.toEqual(NOT_IN_ROOM);
    await expect(requests.joinChannel('c_crew')).rejects.toEqual(NOT_IN_ROOM);
    await expect(requests.morePeers({})).rejects.toEqual(NOT_IN_ROOM);
    await expect(requests.typing('general')).resolves.toBeUndefined();
  });

  it('refuses arguments that fail the bridge’s schemas before anything is sent', async () => {
    const { requests, enter } = requestsFor();
    const { connection } = await enter();
    await expect(requests.loadOlder({ conv: 'general', before: 0 })).rejects.toEqual(BAD_ARGUMENT);
    await expect(requests.send('hi' as never)).rejects.toEqual(BAD_ARGUMENT);
    await expect(requests.send({ conv: '', text: 'hi' })).rejects.toEqual(BAD_ARGUMENT);
    await expect(requests.retry('x'.repeat(65))).rejects.toEqual(BAD_ARGUMENT);
    await expect(requests.createChannel({ name: '   ' })).rejects.toEqual(BAD_ARGUMENT);
    await expect(requests.openDirect('')).rejects.toEqual(BAD_ARGUMENT);
    await expect(requests.markRead({ conv: 'general', seq: -1 })).rejects.toEqual(BAD_ARGUMENT);
    await expect(requests.typing(42 as never)).resolves.toBeUndefined();
    expect(connection.received.map((frame) => frame.type)).toEqual(['hello']);
  });

  it('sends to a conversation, retries a failed message with its own id, and tells typing', async () => {
    const { requests, enter } = requestsFor();
    const { session, connection } = await enter();
    const id = await requests.send({ conv: 'c_crew', text: 'hi', replyTo: 2 });
    expect(await connection.next('say')).toEqual({
      type: 'say',
      id,
      conv: 'c_crew',
      text: 'hi',
      replyTo: 2,
    });
    const failed = nextEvent(session, 'outbox', (outbox) => outbox[0]?.state === 'failed');
    connection.send({ type: 'error', code: 'too_long', message: 'too long', ref: id });
    await failed;
    await requests.retry(id);
    expect(await connection.next('say')).toMatchObject({ id, text: 'hi' });
    await requests.typing('c_crew');
    expect(await connection.next('typing')).toEqual({ type: 'typing', conv: 'c_crew' });

    await expect(requests.retry('no-such-id')).rejects.toEqual({
      code: 'unknown_message',
      message: SESSION_REQUEST_SENTENCES.unknown_message,
    });
  });

  it('asks for older entries a page at a time, of the size the transport chose', async () => {
    const { requests, enter } = requestsFor({ historyPageSize: 2 });
    const { connection } = await enter();
    const page = requests.loadOlder({ conv: 'c_crew', before: 9 });
    expect(await connection.next('history')).toEqual({
      type: 'history',
      conv: 'c_crew',
      before: 9,
      limit: 2,
    });
    const entries = [text(7, 'seven', { conv: 'c_crew' }), text(8, 'eight', { conv: 'c_crew' })];
    connection.send({ type: 'history', conv: 'c_crew', messages: entries, more: true });
    expect(await page).toEqual({ entries, more: true });
  });

  it('answers channel requests with views, and void where the contract says so', async () => {
    const { requests, enter } = requestsFor();
    const { connection } = await enter();
    const creating = requests.createChannel({ name: '  deck  ', topic: 'boats' });
    expect(await connection.next('create_channel')).toEqual({
      type: 'create_channel',
      id: 'id-1',
      name: 'deck',
      topic: 'boats',
    });
    connection.send({ type: 'ack', id: 'id-1', conv: 'c_deck', seq: 1 });
    connection.send(conversationFrame('c_deck', { name: 'deck', topic: 'boats', lastSeq: 1 }));
    expect(await creating).toMatchObject({ id: 'c_deck', name: 'deck', topic: 'boats' });

    const topic = requests.setTopic({ conv: 'c_crew', topic: 'rota' });
    expect(await connection.next('set_topic')).toMatchObject({ conv: 'c_crew', topic: 'rota' });
    connection.send({ type: 'ack', id: 'id-2', conv: 'c_crew', seq: 4 });
    await expect(topic).resolves.toBeUndefined();

    const renaming = requests.renameChannel({ conv: 'c_crew', name: 'Crew' });
    await connection.next('rename_channel');
    connection.send(conversationFrame('c_crew', { name: 'Crew' }));
    await expect(renaming).resolves.toBeUndefined();

    const leaving = requests.leaveChannel('c_crew');
    await connection.next('leave');
    connection.send(conversationFrame('c_crew', { name: 'Crew', member: false }));
    await expect(leaving).resolves.toBeUndefined();

    const joining = requests.joinChannel('c_crew');
    await connection.next('join');
    connection.send(conversationFrame('c_crew', { name: 'Crew', member: true }));
    expect(await joining).toMatchObject({ id: 'c_crew', member: true });

    await requests.markRead({ conv: 'c_crew', seq: 3 });
    expect(await connection.next('read')).toEqual({ type: 'read', conv: 'c_crew', seq: 3 });
  });

  it('rejects with the host’s code and sentence', async () => {
    const { requests, enter } = requestsFor();
    const { connection } = await enter();
    const opening = requests.openDirect(BOB.id);
    await connection.next('open_direct');
    connection.send({ type: 'error', code: 'no_identity', message: 'ephemeral' });
    await expect(opening).rejects.toEqual({
      code: 'no_identity',
      message: ERROR_SENTENCES.no_identity,
    });
  });

  it('rejects with timeout when nobody answers', async () => {
    // Short, and nothing is answered: a loaded machine cannot make it race an answer.
    const { requests, enter } = requestsFor({}, { requestTimeoutMs: 150 });
    const { connection } = await enter();
    // Watched at once: it may time out before the host's side has read the request.
    const timedOut = expect(requests.morePeers({ after: 'bob' })).rejects.toMatchObject({
      code: 'timeout',
    });
    expect(await connection.next('peers')).toEqual({ type: 'peers', after: 'bob', limit: 200 });
    await timedOut;
  });

  it('pages people', async () => {
    const { requests, enter } = requestsFor();
    const { connection } = await enter();
    const page = requests.morePeers({});
    expect(await connection.next('peers')).toEqual({ type: 'peers', limit: 200 });
    const carol = { id: 'u_carol', name: 'carol' };
    connection.send({ type: 'peers', peers: [carol], more: false });
    expect(await page).toEqual({ peers: [carol], more: false });
  });

  it('says "not connected" once the room’s session has ended', async () => {
    const { requests, enter } = requestsFor();
    const { session } = await enter();
    await session.close();
    const notConnected = {
      code: 'not_connected',
      message: SESSION_REQUEST_SENTENCES.not_connected,
    };
    await expect(requests.send({ conv: 'general', text: 'late' })).rejects.toEqual(notConnected);
    await expect(requests.loadOlder({ conv: 'general', before: 3 })).rejects.toEqual(notConnected);
    await expect(requests.joinChannel('c_crew')).rejects.toEqual(notConnected);
    await expect(requests.typing('general')).resolves.toBeUndefined();
  });

  it('throws what the transport makes of a refusal', async () => {
    const { requests } = requestsFor({
      toThrown: ({ code, message }) => Object.assign(new Error(message), { code }),
    });
    const refusal = await requests
      .send({ conv: 'general', text: 'hi' })
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(Error);
    expect(refusal).toMatchObject({ code: 'not_in_room', message: 'Join a room first.' });
  });
});
