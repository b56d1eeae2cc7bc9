/**
 * The client session against a scripted host: every frame the "host" sends is written here, so
 * each test can stage exactly the situation it is about (lost acks, duplicates, silence, refusals).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ClientSession, SessionError } from '../../../protocol/client/client-session';
import type { ClientSessionOptions } from '../../../protocol/client/client-types';
import { ERROR_SENTENCES } from '../../../protocol/wire/codes';
import { chat, startScriptedHost, welcome, type ScriptedHost } from './support/scripted-host';
import { collectMessages, nextEvent } from '../../support/session-events';
import { until, withTimeout } from '../../support/wait';

let host: ScriptedHost;
const sessions: ClientSession[] = [];

beforeEach(async () => {
  host = await startScriptedHost();
});

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.close()));
  await host.close();
});

function createSession(options: Partial<ClientSessionOptions> = {}): ClientSession {
  const session = new ClientSession({
    url: host.url,
    name: 'alice',
    // `ws` implements the WebSocketLike subset; its declared event types are just richer.
    WebSocket: WebSocket,
    backoff: { initialMs: 10, maxMs: 50 },
    ...options,
  });
  sessions.push(session);
  return session;
}

/** Connects a session and answers its hello with a welcome. */
async function joined(options: Partial<ClientSessionOptions> = {}, welcomeFields = {}) {
  const session = createSession(options);
  const connecting = session.connect();
  const connection = await host.nextConnection();
  const hello = await connection.next('hello');
  connection.send(welcome(welcomeFields));
  await connecting;
  return { session, connection, hello };
}

describe('ClientSession against a scripted host', () => {
  it('says hello with name and password, then delivers the welcome history in order', async () => {
    const session = createSession({ password: 'secret' });
    const messages = collectMessages(session);
    const states: string[] = [];
    session.on('state', (state) => states.push(state));
    const connecting = session.connect();
    const connection = await host.nextConnection();
    expect(connection.socket.protocol).toBe('parley.v1');
    expect(await connection.next()).toEqual({ type: 'hello', name: 'alice', password: 'secret' });
    connection.send(
      welcome({
        history: [chat(1, 'one'), chat(2, 'two')],
        lastSeq: 2,
        peers: [
          { id: 'peer-1', name: 'alice' },
          { id: 'peer-2', name: 'bob' },
        ],
      }),
    );
    const welcomed = await connecting;
    expect(welcomed.room.name).toBe('Test room');
    expect(messages.texts).toEqual(['one', 'two']);
    expect(session.state).toBe('open');
    expect(states).toEqual(['connecting', 'open']);
    expect(session.self).toEqual({ id: 'peer-1', name: 'alice' });
    expect(session.peers.map((peer) => peer.name)).toEqual(['alice', 'bob']);
    expect(session.lastSeq).toBe(2);
    expect(session.snapshot()).toEqual({ token: 'token-1', lastSeq: 2, roomId: 'room-1' });
  });

  it('sends a say with a fresh id, settles it on ack and shows the own message once', async () => {
    const { session, connection } = await joined({ createId: () => 'say-a' });
    const messages = collectMessages(session);
    const sent = session.send('hello room');
    expect(sent).toEqual({ id: 'say-a', text: 'hello room', state: 'pending' });
    expect(await connection.next('say')).toEqual({ type: 'say', id: 'say-a', text: 'hello room' });
    const settled = session.whenSettled();
    connection.send({
      type: 'message',
      ...chat(1, 'hello room', { id: 'peer-1', name: 'alice' }, 'say-a'),
    });
    connection.send({ type: 'ack', id: 'say-a', seq: 1 });
    await withTimeout(settled, 2000, 'whenSettled');
    expect(session.outbox).toEqual([]);
    expect(messages.texts).toEqual(['hello room']);
  });

  it('holds an early message until the missing one arrives and drops duplicates', async () => {
    const { session, connection } = await joined();
    const messages = collectMessages(session);
    connection.send({ type: 'message', ...chat(2, 'two') });
    connection.send({ type: 'message', ...chat(1, 'one') });
    connection.send({ type: 'message', ...chat(1, 'one again') });
    connection.send({ type: 'message', ...chat(3, 'three') });
    await until(() => messages.texts.length === 3, 2000, 'three messages');
    expect(messages.texts).toEqual(['one', 'two', 'three']);
  });

  it('ignores frames that are not valid host frames and keeps going', async () => {
    const { session, connection } = await joined();
    const messages = collectMessages(session);
    connection.socket.send('not json');
    connection.socket.send(JSON.stringify({ type: 'message', seq: 'one' }));
    connection.socket.send(JSON.stringify({ type: 'warp', to: 9 }));
    connection.socket.send(Buffer.from([1, 2, 3]));
    connection.send({ type: 'message', ...chat(1, 'still here') });
    await until(() => messages.texts.length === 1, 2000, 'the valid message');
    expect(messages.texts).toEqual(['still here']);
    expect(session.state).toBe('open');
  });

  it('resumes after a lost connection, delivering each message exactly once', async () => {
    const { session, connection } = await joined();
    const messages = collectMessages(session);
    connection.send({ type: 'message', ...chat(1, 'one') });
    connection.send({ type: 'message', ...chat(2, 'two') });
    await until(() => messages.texts.length === 2, 2000, 'two messages');
    const reconnecting = nextEvent(session, 'state', (state) => state === 'reconnecting');
    connection.socket.terminate();
    await reconnecting;

    const second = await host.nextConnection();
    const hello = await second.next('hello');
    expect(hello.resume).toEqual({ token: 'token-1', lastSeq: 2 });
    second.send(
      welcome({ history: [chat(2, 'two'), chat(3, 'three'), chat(4, 'four')], lastSeq: 4 }),
    );
    await nextEvent(session, 'state', (state) => state === 'open');
    second.send({ type: 'message', ...chat(4, 'four') });
    second.send({ type: 'message', ...chat(5, 'five') });
    await until(() => messages.texts.length === 5, 2000, 'five messages');
    expect(messages.texts).toEqual(['one', 'two', 'three', 'four', 'five']);
    expect(messages.seqs).toEqual([1, 2, 3, 4, 5]);
  });

  it('re-sends unacknowledged messages with their original ids after reconnecting', async () => {
    let next = 0;
    const { session, connection } = await joined({ createId: () => `id-${++next}` });
    session.send('first');
    session.send('second');
    await connection.next('say');
    await connection.next('say');
    connection.send({ type: 'ack', id: 'id-1', seq: 1 });
    await nextEvent(session, 'ack');
    connection.socket.terminate();

    const second = await host.nextConnection();
    await second.next('hello');
    second.send(welcome({ lastSeq: 1 }));
    const resent = await second.next('say');
    expect(resent).toEqual({ type: 'say', id: 'id-2', text: 'second' });
    expect(session.outbox.map((message) => message.id)).toEqual(['id-2']);
    second.send({ type: 'ack', id: 'id-2', seq: 2 });
    await withTimeout(session.whenSettled(), 2000, 'whenSettled');
  });

  it('settles a message whose ack was lost when it shows up in the resume history', async () => {
    const ids = ['lost-ack', 'later'];
    const { session, connection } = await joined({ createId: () => ids.shift() ?? 'spare' });
    session.send('did it arrive?');
    await connection.next('say');
    connection.socket.terminate();
    const second = await host.nextConnection();
    await second.next('hello');
    const own = chat(1, 'did it arrive?', { id: 'peer-1', name: 'alice' }, 'lost-ack');
    second.send(welcome({ history: [own], lastSeq: 1 }));
    await withTimeout(session.whenSettled(), 2000, 'whenSettled');
    expect(session.outbox).toEqual([]);
    // Nothing was re-sent (the host had it already): the next say is the next message.
    session.send('next one');
    expect(await second.next('say')).toEqual({ type: 'say', id: 'later', text: 'next one' });
  });

  it('starts afresh when a reconnect reaches a different room', async () => {
    const { session, connection } = await joined(
      {},
      { history: [chat(5, 'old room')], lastSeq: 5 },
    );
    const messages = collectMessages(session);
    const changed = nextEvent(session, 'roomChanged');
    connection.socket.terminate();
    const second = await host.nextConnection();
    await second.next('hello');
    second.send(
      welcome({
        room: { id: 'room-2', name: 'New room' },
        history: [chat(1, 'new room')],
        lastSeq: 1,
      }),
    );
    const [change] = await changed;
    expect(change.previous).toEqual({ id: 'room-1', name: 'Test room' });
    expect(change.current).toEqual({ id: 'room-2', name: 'New room' });
    await until(() => messages.texts.length === 1, 2000, 'the new room history');
    expect(messages.texts).toEqual(['new room']);
    expect(session.lastSeq).toBe(1);
    expect(session.room?.id).toBe('room-2');
  });

  it('reports a gap when the resume history was cut', async () => {
    const { session, connection } = await joined({}, { lastSeq: 3 });
    connection.socket.terminate();
    const second = await host.nextConnection();
    await second.next('hello');
    const gap = nextEvent(session, 'gap');
    second.send(welcome({ history: [chat(2000, 'latest')], lastSeq: 2000, gap: true }));
    expect((await gap)[0]).toEqual({ lastSeq: 3 });
  });

  it.each([
    [4001, 'hello_timeout'],
    [4003, 'auth_failed'],
    [4009, 'name_taken'],
    [4010, 'replaced'],
  ] as const)('ends without reconnecting on close code %i', async (closeCode, code) => {
    const { session, connection } = await joined();
    const ended = nextEvent(session, 'ended');
    connection.send({ type: 'error', code, message: 'host words' });
    connection.socket.close(closeCode);
    const [reason] = await ended;
    expect(reason).toEqual({ code, message: ERROR_SENTENCES[code] });
    expect(session.state).toBe('closed');
    await expect(host.nextConnection(300)).rejects.toThrow(/timed out/);
    expect(host.connectionCount()).toBe(1);
  });

  it('ends on a policy-violation close (1008) and takes the code from the error frame', async () => {
    const { session, connection } = await joined();
    const ended = nextEvent(session, 'ended');
    connection.send({ type: 'error', code: 'bad_name', message: 'no' });
    connection.socket.close(1008);
    expect((await ended)[0].code).toBe('bad_name');
    await expect(host.nextConnection(300)).rejects.toThrow(/timed out/);
  });

  it('never reconnects by itself after 4010 even without an error frame', async () => {
    const { session, connection } = await joined();
    const ended = nextEvent(session, 'ended');
    connection.socket.close(4010);
    expect((await ended)[0]).toEqual({ code: 'replaced', message: ERROR_SENTENCES.replaced });
    await expect(host.nextConnection(300)).rejects.toThrow(/timed out/);
  });

  it.each([
    ['auth_failed', 4003],
    ['name_taken', 4009],
  ] as const)('rejects connect() with %s and its sentence', async (code, closeCode) => {
    const session = createSession();
    const connecting = session.connect();
    const connection = await host.nextConnection();
    await connection.next('hello');
    connection.send({ type: 'error', code, message: 'host words' });
    connection.socket.close(closeCode);
    const error = await connecting.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SessionError);
    expect(error).toMatchObject({ code, message: ERROR_SENTENCES[code] });
  });

  it('rejects connect() with bad_name when the host refuses the name', async () => {
    const session = createSession({ name: '   ' });
    const connecting = session.connect();
    const connection = await host.nextConnection();
    await connection.next('hello');
    connection.send({ type: 'error', code: 'bad_name', message: 'name is empty' });
    await expect(connecting).rejects.toMatchObject({
      code: 'bad_name',
      message: ERROR_SENTENCES.bad_name,
    });
    await withTimeout(connection.closed, 2000, 'the socket to close');
  });

  it('rejects connect() as unreachable when nothing listens, and does not retry', async () => {
    const port = host.port;
    await host.close();
    const session = createSession({ url: `ws://127.0.0.1:${port}/ws` });
    const ended = nextEvent(session, 'ended');
    await expect(session.connect()).rejects.toMatchObject({
      code: 'unreachable',
      message: `Could not reach a Parley host at ws://127.0.0.1:${port}/ws.`,
    });
    expect((await ended)[0].code).toBe('unreachable');
    expect(session.state).toBe('closed');
    host = await startScriptedHost();
  });

  it('keeps reconnecting while the host is away, then resumes', async () => {
    const { session, connection } = await joined();
    const port = host.port;
    const reconnecting = nextEvent(session, 'state', (state) => state === 'reconnecting');
    await host.close();
    await reconnecting;
    expect(connection.socket.readyState).toBe(WebSocket.CLOSED);
    host = await startScriptedHost({ port });
    const second = await host.nextConnection();
    expect((await second.next('hello')).resume).toEqual({ token: 'token-1', lastSeq: 0 });
    second.send(welcome());
    await nextEvent(session, 'state', (state) => state === 'open');
  });

  it('ends instead of reconnecting when reconnect is off', async () => {
    const { session, connection } = await joined({ reconnect: false });
    const ended = nextEvent(session, 'ended');
    connection.socket.terminate();
    expect((await ended)[0].code).toBe('unreachable');
    await expect(host.nextConnection(300)).rejects.toThrow(/timed out/);
  });

  it('marks a message failed on too_long and re-sends it with the same id on retry', async () => {
    const { session, connection } = await joined({ createId: () => 'long-1' });
    session.send('x');
    await connection.next('say');
    const failed = nextEvent(session, 'outbox', (outbox) => outbox[0]?.state === 'failed');
    connection.send({ type: 'error', code: 'too_long', message: 'too long', ref: 'long-1' });
    expect((await failed)[0]).toEqual([
      { id: 'long-1', text: 'x', state: 'failed', error: 'too_long' },
    ]);
    await withTimeout(session.whenSettled(), 1000, 'whenSettled with only failed messages');
    expect(session.retry('long-1')).toBe(true);
    expect(session.retry('unknown')).toBe(false);
    expect(await connection.next('say')).toEqual({ type: 'say', id: 'long-1', text: 'x' });
  });

  it('keeps a rate-limited message and sends it again after a pause', async () => {
    let next = 0;
    const { session, connection } = await joined({ createId: () => `r-${++next}` });
    session.send('a');
    session.send('b');
    await connection.next('say');
    await connection.next('say');
    connection.send({ type: 'ack', id: 'r-1', seq: 1 });
    connection.send({ type: 'error', code: 'rate_limited', message: 'slow down', ref: 'r-2' });
    const again = await connection.next('say', 3000);
    expect(again).toEqual({ type: 'say', id: 'r-2', text: 'b' });
    expect(session.outbox).toEqual([{ id: 'r-2', text: 'b', state: 'pending' }]);
    connection.send({ type: 'ack', id: 'r-2', seq: 2 });
    await withTimeout(session.whenSettled(), 2000, 'whenSettled');
  });

  it('sends rate-limited messages one at a time, in order, until the outbox drains', async () => {
    let next = 0;
    const { session, connection } = await joined({ createId: () => `q-${++next}` });
    for (const text of ['a', 'b', 'c']) session.send(text);
    for (let i = 0; i < 3; i++) await connection.next('say');
    for (const id of ['q-1', 'q-2', 'q-3']) {
      connection.send({ type: 'error', code: 'rate_limited', message: 'slow down', ref: id });
    }
    const first = await connection.next('say', 3000);
    expect(first.id).toBe('q-1');
    // Nothing else goes out until the first is answered.
    connection.send({ type: 'pong' });
    await expect(connection.next('say', 200)).rejects.toThrow(/timed out/);
    connection.send({ type: 'ack', id: 'q-1', seq: 1 });
    expect((await connection.next('say')).id).toBe('q-2');
    connection.send({ type: 'ack', id: 'q-2', seq: 2 });
    expect((await connection.next('say')).id).toBe('q-3');
    connection.send({ type: 'ack', id: 'q-3', seq: 3 });
    await withTimeout(session.whenSettled(), 2000, 'whenSettled');
  });

  it('fails a message too big for any host without sending it', async () => {
    const { session, connection } = await joined({ createId: () => 'huge' });
    const sent = session.send('x'.repeat(70_000));
    expect(sent.state).toBe('failed');
    expect(sent.error).toBe('too_long');
    connection.send({ type: 'pong' });
    await expect(connection.next('say', 200)).rejects.toThrow(/timed out/);
  });

  it('pings a silent host and reconnects when the ping gets no answer', async () => {
    const { session, connection } = await joined({ heartbeatIntervalMs: 60 });
    const ping = await connection.next('ping', 2000);
    expect(ping).toEqual({ type: 'ping' });
    await nextEvent(session, 'state', (state) => state === 'reconnecting', 2000);
    const second = await host.nextConnection(2000);
    expect((await second.next('hello')).resume).toMatchObject({ token: 'token-1' });
  });

  it('stays connected while the host answers its pings', async () => {
    const { session, connection } = await joined({ heartbeatIntervalMs: 40 });
    for (let round = 0; round < 3; round++) {
      await connection.next('ping', 2000);
      connection.send({ type: 'pong' });
    }
    expect(session.state).toBe('open');
    expect(host.connectionCount()).toBe(1);
  });

  it('reconnects when a welcome never comes', async () => {
    const session = createSession({ heartbeatIntervalMs: 50 });
    const connecting = session.connect();
    const connection = await host.nextConnection();
    await connection.next('hello');
    await expect(connecting).rejects.toMatchObject({ code: 'unreachable' });
    await withTimeout(connection.closed, 2000, 'the silent connection to be dropped');
  });

  it('loads older pages first-in first-out and re-asks after a reconnect', async () => {
    const { session, connection } = await joined({}, { lastSeq: 300 });
    const first = session.loadOlder(101, 2);
    const second = session.loadOlder(99);
    expect(await connection.next('history')).toEqual({ type: 'history', before: 101, limit: 2 });
    expect(await connection.next('history')).toEqual({ type: 'history', before: 99, limit: 50 });
    connection.send({ type: 'history', messages: [chat(99, 'a'), chat(100, 'b')], more: true });
    expect(await first).toEqual({ messages: [chat(99, 'a'), chat(100, 'b')], more: true });

    connection.socket.terminate();
    const again = await host.nextConnection();
    await again.next('hello');
    again.send(welcome({ lastSeq: 300 }));
    expect(await again.next('history')).toEqual({ type: 'history', before: 99, limit: 50 });
    again.send({ type: 'history', messages: [], more: false });
    expect(await second).toEqual({ messages: [], more: false });
  });

  it('refuses loadOlder arguments outside the protocol', async () => {
    const { session } = await joined();
    await expect(session.loadOlder(0)).rejects.toThrow(RangeError);
    await expect(session.loadOlder(10, 201)).rejects.toThrow(RangeError);
    await expect(session.loadOlder(10.5)).rejects.toThrow(RangeError);
  });

  it('tracks peers from joined and left, and forwards typing of others only', async () => {
    const { session, connection } = await joined();
    const typing: string[] = [];
    session.on('typing', (peer) => typing.push(peer.name));
    connection.send({ type: 'joined', peer: { id: 'peer-2', name: 'bob' } });
    await nextEvent(session, 'joined');
    expect(session.peers.map((peer) => peer.name)).toEqual(['alice', 'bob']);
    connection.send({ type: 'typing', peer: { id: 'peer-1', name: 'alice' } });
    connection.send({ type: 'typing', peer: { id: 'peer-2', name: 'bob' } });
    connection.send({ type: 'left', peer: { id: 'peer-2', name: 'bob' } });
    await nextEvent(session, 'left');
    expect(session.peers.map((peer) => peer.name)).toEqual(['alice']);
    expect(typing).toEqual(['bob']);
  });

  it('sends at most one typing frame per few seconds', async () => {
    const { session, connection } = await joined();
    session.typing();
    session.typing();
    session.typing();
    session.send('after typing');
    await connection.next('say');
    expect(connection.received.filter((frame) => frame.type === 'typing')).toHaveLength(1);
  });

  it('resumes a snapshot from an earlier session on its first connect', async () => {
    const session = createSession({ resume: { token: 'saved', lastSeq: 41, roomId: 'room-1' } });
    const messages = collectMessages(session);
    const connecting = session.connect();
    const connection = await host.nextConnection();
    expect((await connection.next('hello')).resume).toEqual({ token: 'saved', lastSeq: 41 });
    connection.send(welcome({ history: [chat(41, 'seen'), chat(42, 'new')], lastSeq: 42 }));
    await connecting;
    expect(messages.texts).toEqual(['new']);
  });

  it('refuses options that break the contract, and a createId that repeats itself', async () => {
    expect(() => createSession({ url: 42 as unknown as string })).toThrow(/url/);
    expect(() => createSession({ heartbeatIntervalMs: 0 })).toThrow(/heartbeatIntervalMs/);
    expect(() => createSession({ backoff: { initialMs: -1 } })).toThrow(/initialMs/);
    const { session, connection } = await joined({ createId: () => 'same' });
    session.send('first');
    expect(() => session.send('second')).toThrow(/already in use/);
    expect(await connection.next('say')).toEqual({ type: 'say', id: 'same', text: 'first' });
  });

  it('closes with 1000, ends with "closed" and rejects what is still waiting', async () => {
    const { session, connection } = await joined();
    session.send('never acked');
    const settled = expect(session.whenSettled()).rejects.toMatchObject({ code: 'closed' });
    const page = expect(session.loadOlder(5)).rejects.toMatchObject({ code: 'closed' });
    const ended = nextEvent(session, 'ended');
    await session.close();
    expect((await ended)[0].code).toBe('closed');
    expect((await withTimeout(connection.closed, 2000, 'the close')).code).toBe(1000);
    await settled;
    await page;
    expect(() => session.send('too late')).toThrow(SessionError);
    await expect(session.connect()).rejects.toMatchObject({ code: 'closed' });
  });
});
