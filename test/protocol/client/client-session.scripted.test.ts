/**
 * The client session against a scripted host: every frame the "host" sends is written here, so
 * each test can stage exactly the situation it is about (lost acks, duplicates, silence, refusals,
 * conversations whose entries interleave). Requests, read markers and people are in
 * client-session.requests.scripted.test.ts.
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SessionError } from '../../../protocol/client/client-session';
import { ERROR_SENTENCES } from '../../../protocol/wire/codes';
import {
  ALICE,
  BOB,
  catchup,
  conversation,
  message,
  startScriptedHost,
  text,
  welcome,
} from './support/scripted-host';
import { useScriptedRoom } from './support/scripted-session';
import { collectEntries, nextEvent } from '../../support/session-events';
import { until, withTimeout } from '../../support/wait';

const room = useScriptedRoom();
const TWO_CHANNELS = [conversation(), conversation('c_crew', { name: 'crew' })];
/** `general` and `c_crew` as a welcome lists them when their logs end at these seqs. */
const channelsAt = (general: number, crew: number) => [
  conversation('general', { lastSeq: general }),
  conversation('c_crew', { name: 'crew', lastSeq: crew }),
];

describe('ClientSession v2: hello, welcome and catchup', () => {
  it('says hello over parley.v2 with name, password and identity, then delivers each catchup in order', async () => {
    const identity = 'a'.repeat(43);
    const session = room.createSession({ password: 'secret', identity });
    const seen = collectEntries(session);
    const states: string[] = [];
    session.on('state', (state) => states.push(state));
    const connecting = session.connect();
    const connection = await room.host.nextConnection();
    expect(connection.socket.protocol).toBe('parley.v2');
    expect(await connection.next()).toEqual({
      type: 'hello',
      name: 'alice',
      password: 'secret',
      identity,
    });
    connection.send(
      welcome({
        conversations: [
          conversation('general', { lastSeq: 2 }),
          conversation('c_crew', { name: 'crew', lastSeq: 1 }),
        ],
        peers: [ALICE, BOB],
        peerCount: 2,
      }),
    );
    const welcomed = await connecting;
    expect(welcomed.room.name).toBe('Test room');
    expect(session.caughtUp).toBe(false);
    const caughtUp = nextEvent(session, 'caughtUp');
    connection.send(catchup('general', [text(2, 'two'), text(1, 'one')]));
    connection.send(catchup('c_crew', [text(1, 'crew one', { conv: 'c_crew' })]));
    await caughtUp;
    expect(session.caughtUp).toBe(true);
    await until(() => seen.entries.length === 3, 2000, 'both catchups');
    expect(seen.keys).toEqual(['general:1', 'general:2', 'c_crew:1']);
    expect(session.state).toBe('open');
    expect(states).toEqual(['connecting', 'open']);
    expect(session.self).toEqual(ALICE);
    expect(session.peers.map((peer) => peer.name)).toEqual(['alice', 'bob']);
    expect(session.conversations.map((view) => view.id)).toEqual(['general', 'c_crew']);
    expect(session.snapshot()).toEqual({
      token: 'token-1',
      cursors: { general: 2, c_crew: 1 },
      roomId: 'room-1',
    });
  });

  it('leaves identity out of the hello without one, and refuses one that is not base64url', async () => {
    const { hello } = await room.joined();
    expect(hello).toEqual({ type: 'hello', name: 'alice' });
    expect(() => room.createSession({ identity: 'short' })).toThrow(/identity/);
  });

  it('holds a live entry that arrives before its conversation catchup, then delivers it after', async () => {
    const { session, connection } = await room.joined({}, { conversations: TWO_CHANNELS });
    const seen = collectEntries(session);
    connection.send(message(text(8, 'live', { conv: 'c_crew' })));
    connection.send(catchup('general', [text(1, 'hello')]));
    await until(() => seen.entries.length === 1, 2000, 'general');
    connection.send(
      catchup('c_crew', [text(6, 'six', { conv: 'c_crew' }), text(7, 'seven', { conv: 'c_crew' })]),
    );
    await until(() => seen.entries.length === 4, 2000, 'the crew catchup and the held entry');
    expect(seen.keys).toEqual(['general:1', 'c_crew:6', 'c_crew:7', 'c_crew:8']);
  });

  it('orders each conversation on its own: a hole in one holds nothing of another', async () => {
    const { session, connection } = await room.joined({}, { conversations: TWO_CHANNELS });
    const seen = collectEntries(session);
    connection.send(catchup('general', []));
    connection.send(catchup('c_crew', []));
    const crew = (seq: number) => text(seq, `crew ${seq}`, { conv: 'c_crew' });
    connection.send(message(text(2, 'two')));
    connection.send(message(crew(1)));
    connection.send(message(crew(1)));
    connection.send(message(text(1, 'one')));
    connection.send(message(crew(3)));
    connection.send(message(text(1, 'one again')));
    connection.send(message(crew(2)));
    await until(() => seen.entries.length === 5, 2000, 'five entries');
    expect(seen.keys).toEqual(['c_crew:1', 'general:1', 'general:2', 'c_crew:2', 'c_crew:3']);
    expect(seen.texts('general')).toEqual(['one', 'two']);
  });

  it('delivers every kind of entry, and ignores frames that are not valid host frames', async () => {
    const { session, connection } = await room.joined();
    const seen = collectEntries(session);
    connection.send(catchup('general', []));
    connection.socket.send('not json');
    connection.socket.send(JSON.stringify({ type: 'message', seq: 'one' }));
    connection.socket.send(JSON.stringify({ type: 'warp', to: 9 }));
    connection.socket.send(Buffer.from([1, 2, 3]));
    connection.send(message(text(1, 'still here')));
    const base = { conv: 'general', from: BOB, ts: 5 };
    connection.send(message({ ...base, seq: 2, id: 'e', kind: 'edit', target: 1, text: 'edited' }));
    connection.send(
      message({ ...base, seq: 3, id: 'r', kind: 'reaction', target: 1, emoji: '👍', on: true }),
    );
    connection.send(message({ ...base, seq: 4, id: 'd', kind: 'delete', target: 1 }));
    await until(() => seen.entries.length === 4, 2000, 'the valid entries');
    expect(seen.entries.map((entry) => entry.kind)).toEqual(['text', 'edit', 'reaction', 'delete']);
    expect(session.state).toBe('open');
  });

  it('resumes with a cursor per conversation and delivers each entry exactly once', async () => {
    const { session, connection } = await room.joined({}, { conversations: TWO_CHANNELS });
    const seen = collectEntries(session);
    connection.send(catchup('general', [text(1, 'one'), text(2, 'two')]));
    connection.send(catchup('c_crew', [text(5, 'five', { conv: 'c_crew' })]));
    await until(() => seen.entries.length === 3, 2000, 'the catchups');
    const reconnecting = nextEvent(session, 'state', (state) => state === 'reconnecting');
    connection.socket.terminate();
    await reconnecting;

    const second = await room.host.nextConnection();
    const hello = await second.next('hello');
    expect(hello.resume).toEqual({ token: 'token-1', cursors: { general: 2, c_crew: 5 } });
    second.send(welcome({ conversations: channelsAt(3, 5) }));
    second.send(catchup('general', [text(2, 'two'), text(3, 'three')]));
    second.send(catchup('c_crew', []));
    second.send(message(text(3, 'three')));
    second.send(message(text(6, 'six', { conv: 'c_crew' })));
    second.send(message(text(4, 'four')));
    await until(() => seen.entries.length === 6, 2000, 'six entries');
    expect(seen.keys).toEqual([
      'general:1',
      'general:2',
      'c_crew:5',
      'general:3',
      'c_crew:6',
      'general:4',
    ]);
  });

  it('starts afresh when a reconnect reaches a different room', async () => {
    const { session, connection } = await room.joined();
    connection.send(catchup('general', [text(5, 'old room')]));
    await until(() => session.cursor('general') === 5, 2000, 'the old room catchup');
    const seen = collectEntries(session);
    const changed = nextEvent(session, 'roomChanged');
    connection.socket.terminate();
    const second = await room.host.nextConnection();
    expect((await second.next('hello')).resume).toEqual({
      token: 'token-1',
      cursors: { general: 5 },
    });
    second.send(welcome({ room: { id: 'room-2', name: 'New room' } }));
    second.send(catchup('general', [text(1, 'new room')]));
    const [change] = await changed;
    expect(change.previous).toEqual({ id: 'room-1', name: 'Test room' });
    expect(change.current).toEqual({ id: 'room-2', name: 'New room' });
    await until(() => seen.entries.length === 1, 2000, 'the new room catchup');
    expect(seen.texts()).toEqual(['new room']);
    expect(session.cursor('general')).toBe(1);
    expect(session.room?.id).toBe('room-2');
  });

  it('continues after the end of a log the host lost part of', async () => {
    const { session, connection } = await room.joined();
    const seen = collectEntries(session);
    connection.send(catchup('general', [text(9, 'nine')]));
    await until(() => session.cursor('general') === 9, 2000, 'the catchup');
    connection.socket.terminate();
    const second = await room.host.nextConnection();
    await second.next('hello');
    second.send(welcome({ conversations: [conversation('general', { lastSeq: 3 })] }));
    second.send(catchup('general', []));
    second.send(message(text(4, 'new after the loss')));
    await until(() => seen.entries.length === 2, 2000, 'the entry after the loss');
    expect(seen.texts()).toEqual(['nine', 'new after the loss']);
  });

  it('reports a gap per conversation: a cut catchup, or one that starts past the cursor', async () => {
    const { session, connection } = await room.joined({}, { conversations: TWO_CHANNELS });
    connection.send(catchup('general', [text(3, 'three')]));
    connection.send(catchup('c_crew', [text(2, 'two', { conv: 'c_crew' })]));
    await until(() => session.cursor('c_crew') === 2, 2000, 'the catchups');
    const gaps: string[] = [];
    session.on('gap', ({ conv }) => gaps.push(conv));
    connection.socket.terminate();
    const second = await room.host.nextConnection();
    await second.next('hello');
    second.send(welcome({ conversations: channelsAt(2000, 9) }));
    second.send(catchup('general', [text(2000, 'latest')], true));
    second.send(catchup('c_crew', [text(9, 'nine', { conv: 'c_crew' })]));
    await until(() => gaps.length === 2, 2000, 'two gaps');
    expect(gaps).toEqual(['general', 'c_crew']);
  });

  it('resumes a snapshot from an earlier session on its first connect', async () => {
    const session = room.createSession({
      resume: { token: 'saved', cursors: { general: 41, c_crew: 3 }, roomId: 'room-1' },
    });
    const seen = collectEntries(session);
    const connecting = session.connect();
    const connection = await room.host.nextConnection();
    expect((await connection.next('hello')).resume).toEqual({
      token: 'saved',
      cursors: { general: 41, c_crew: 3 },
    });
    connection.send(welcome({ conversations: channelsAt(42, 3) }));
    connection.send(catchup('general', [text(41, 'seen'), text(42, 'new')]));
    await connecting;
    await until(() => seen.entries.length === 1, 2000, 'the new entry');
    expect(seen.texts()).toEqual(['new']);
  });
});

describe('ClientSession v2: the outbox', () => {
  it('sends a say with its conversation, settles it on ack and shows the own message once', async () => {
    const { session, connection } = await room.joined({ createId: () => 'say-a' });
    connection.send(catchup('general', []));
    const seen = collectEntries(session);
    const sent = session.send({ conv: 'general', text: 'hello room', replyTo: 3 });
    expect(sent).toEqual({
      id: 'say-a',
      conv: 'general',
      text: 'hello room',
      replyTo: 3,
      state: 'pending',
    });
    expect(await connection.next('say')).toEqual({
      type: 'say',
      id: 'say-a',
      conv: 'general',
      text: 'hello room',
      replyTo: 3,
    });
    const settled = session.whenSettled();
    const acked = nextEvent(session, 'ack');
    connection.send(message(text(1, 'hello room', { from: ALICE, id: 'say-a' })));
    connection.send({ type: 'ack', id: 'say-a', conv: 'general', seq: 1 });
    expect((await acked)[0]).toEqual({ id: 'say-a', conv: 'general', seq: 1 });
    await withTimeout(settled, 2000, 'whenSettled');
    expect(session.outbox).toEqual([]);
    expect(seen.texts()).toEqual(['hello room']);
  });

  it('settles messages to several conversations by their acks, in any order', async () => {
    let next = 0;
    const { session, connection } = await room.joined(
      { createId: () => `id-${++next}` },
      { conversations: TWO_CHANNELS },
    );
    session.send({ conv: 'general', text: 'to general' });
    session.send({ conv: 'c_crew', text: 'to crew' });
    session.send({ conv: 'general', text: 'general again' });
    const says = [await connection.next('say'), await connection.next('say')];
    says.push(await connection.next('say'));
    expect(says.map((say) => `${String(say.conv)}:${String(say.id)}`)).toEqual([
      'general:id-1',
      'c_crew:id-2',
      'general:id-3',
    ]);
    connection.send({ type: 'ack', id: 'id-2', conv: 'c_crew', seq: 1 });
    connection.send({ type: 'ack', id: 'id-3', conv: 'general', seq: 8 });
    await until(() => session.outbox.length === 1, 2000, 'two acks');
    expect(session.outbox.map((entry) => entry.id)).toEqual(['id-1']);
    connection.send({ type: 'ack', id: 'id-1', conv: 'general', seq: 7 });
    await withTimeout(session.whenSettled(), 2000, 'whenSettled');
  });

  it('re-sends unacknowledged messages with their original ids and conversations after reconnecting', async () => {
    let next = 0;
    const { session, connection } = await room.joined(
      { createId: () => `id-${++next}` },
      { conversations: TWO_CHANNELS },
    );
    session.send({ conv: 'general', text: 'first' });
    session.send({ conv: 'c_crew', text: 'second' });
    await connection.next('say');
    await connection.next('say');
    connection.send({ type: 'ack', id: 'id-1', conv: 'general', seq: 1 });
    await nextEvent(session, 'ack');
    connection.socket.terminate();

    const second = await room.host.nextConnection();
    await second.next('hello');
    second.send(welcome({ conversations: TWO_CHANNELS }));
    expect(await second.next('say')).toEqual({
      type: 'say',
      id: 'id-2',
      conv: 'c_crew',
      text: 'second',
    });
    expect(session.outbox.map((entry) => entry.id)).toEqual(['id-2']);
    // The host already had it (its ack was lost): it acks the original, nothing is stored twice.
    second.send({ type: 'ack', id: 'id-2', conv: 'c_crew', seq: 4 });
    await withTimeout(session.whenSettled(), 2000, 'whenSettled');
    await expect(second.next('say', 200)).rejects.toThrow(/timed out/);
  });

  it('settles a message whose ack was lost when it shows up in the catchup', async () => {
    const ids = ['lost-ack', 'later'];
    const { session, connection } = await room.joined({ createId: () => ids.shift() ?? 'spare' });
    connection.send(catchup('general', []));
    session.send({ conv: 'general', text: 'did it arrive?' });
    await connection.next('say');
    connection.socket.terminate();
    const second = await room.host.nextConnection();
    await second.next('hello');
    second.send(welcome());
    second.send(catchup('general', [text(1, 'did it arrive?', { from: ALICE, id: 'lost-ack' })]));
    await withTimeout(session.whenSettled(), 2000, 'whenSettled');
    expect(session.outbox).toEqual([]);
  });

  it('marks a message failed on too_long and re-sends it with the same id on retry', async () => {
    const { session, connection } = await room.joined({ createId: () => 'long-1' });
    session.send({ conv: 'general', text: 'x' });
    await connection.next('say');
    const failed = nextEvent(session, 'outbox', (outbox) => outbox[0]?.state === 'failed');
    const errors: string[] = [];
    session.on('error', ({ code }) => errors.push(code));
    connection.send({ type: 'error', code: 'too_long', message: 'too long', ref: 'long-1' });
    expect((await failed)[0]).toEqual([
      { id: 'long-1', conv: 'general', text: 'x', state: 'failed', error: 'too_long' },
    ]);
    expect(errors).toEqual(['too_long']);
    await withTimeout(session.whenSettled(), 1000, 'whenSettled with only failed messages');
    expect(session.retry('long-1')).toBe(true);
    expect(session.retry('unknown')).toBe(false);
    expect(await connection.next('say')).toEqual({
      type: 'say',
      id: 'long-1',
      conv: 'general',
      text: 'x',
    });
  });

  it('fails a message to a channel it has not joined with not_member', async () => {
    const { session, connection } = await room.joined({ createId: () => 'out' });
    session.send({ conv: 'c_crew', text: 'hi' });
    await connection.next('say');
    const failed = nextEvent(session, 'outbox', (outbox) => outbox[0]?.state === 'failed');
    connection.send({ type: 'error', code: 'not_member', message: 'join first', ref: 'out' });
    expect((await failed)[0][0]?.error).toBe('not_member');
  });

  it('keeps a rate-limited message and sends it again after a pause', async () => {
    let next = 0;
    const { session, connection } = await room.joined({ createId: () => `r-${++next}` });
    session.send({ conv: 'general', text: 'a' });
    session.send({ conv: 'general', text: 'b' });
    await connection.next('say');
    await connection.next('say');
    connection.send({ type: 'ack', id: 'r-1', conv: 'general', seq: 1 });
    connection.send({ type: 'error', code: 'rate_limited', message: 'slow down', ref: 'r-2' });
    expect(await connection.next('say', 3000)).toMatchObject({ id: 'r-2', text: 'b' });
    expect(session.outbox).toEqual([{ id: 'r-2', conv: 'general', text: 'b', state: 'pending' }]);
    connection.send({ type: 'ack', id: 'r-2', conv: 'general', seq: 2 });
    await withTimeout(session.whenSettled(), 2000, 'whenSettled');
  });

  it('sends rate-limited messages one at a time, in order, until the outbox drains', async () => {
    let next = 0;
    const { session, connection } = await room.joined({ createId: () => `q-${++next}` });
    for (const words of ['a', 'b', 'c']) session.send({ conv: 'general', text: words });
    for (let i = 0; i < 3; i++) await connection.next('say');
    for (const id of ['q-1', 'q-2', 'q-3']) {
      connection.send({ type: 'error', code: 'rate_limited', message: 'slow down', ref: id });
    }
    expect((await connection.next('say', 3000)).id).toBe('q-1');
    // Nothing else goes out until the first is answered.
    connection.send({ type: 'pong' });
    await expect(connection.next('say', 200)).rejects.toThrow(/timed out/);
    connection.send({ type: 'ack', id: 'q-1', conv: 'general', seq: 1 });
    expect((await connection.next('say')).id).toBe('q-2');
    connection.send({ type: 'ack', id: 'q-2', conv: 'general', seq: 2 });
    expect((await connection.next('say')).id).toBe('q-3');
    connection.send({ type: 'ack', id: 'q-3', conv: 'general', seq: 3 });
    await withTimeout(session.whenSettled(), 2000, 'whenSettled');
  });

  it('fails a message too big for any host without sending it', async () => {
    const { session, connection } = await room.joined({ createId: () => 'huge' });
    const sent = session.send({ conv: 'general', text: 'x'.repeat(70_000) });
    expect(sent.state).toBe('failed');
    expect(sent.error).toBe('too_long');
    connection.send({ type: 'pong' });
    await expect(connection.next('say', 200)).rejects.toThrow(/timed out/);
  });
});

describe('ClientSession v2: connection lifecycle', () => {
  it.each([
    [4001, 'hello_timeout'],
    [4003, 'auth_failed'],
    [4009, 'name_taken'],
    [4010, 'replaced'],
  ] as const)('ends without reconnecting on close code %i', async (closeCode, code) => {
    const { session, connection } = await room.joined();
    const ended = nextEvent(session, 'ended');
    connection.send({ type: 'error', code, message: 'host words' });
    connection.socket.close(closeCode);
    const [reason] = await ended;
    expect(reason).toEqual({ code, message: ERROR_SENTENCES[code] });
    expect(session.state).toBe('closed');
    await expect(room.host.nextConnection(300)).rejects.toThrow(/timed out/);
    expect(room.host.connectionCount()).toBe(1);
  });

  it('ends on a policy-violation close (1008) and takes the code from the error frame', async () => {
    const { session, connection } = await room.joined();
    const ended = nextEvent(session, 'ended');
    connection.send({ type: 'error', code: 'bad_name', message: 'no' });
    connection.socket.close(1008);
    expect((await ended)[0].code).toBe('bad_name');
    await expect(room.host.nextConnection(300)).rejects.toThrow(/timed out/);
  });

  it('never reconnects by itself after 4010 even without an error frame', async () => {
    const { session, connection } = await room.joined();
    const ended = nextEvent(session, 'ended');
    connection.socket.close(4010);
    expect((await ended)[0]).toEqual({ code: 'replaced', message: ERROR_SENTENCES.replaced });
    await expect(room.host.nextConnection(300)).rejects.toThrow(/timed out/);
  });

  it.each([
    ['auth_failed', 4003],
    ['name_taken', 4009],
  ] as const)('rejects connect() with %s and its sentence', async (code, closeCode) => {
    const session = room.createSession();
    const connecting = session.connect();
    const connection = await room.host.nextConnection();
    await connection.next('hello');
    connection.send({ type: 'error', code, message: 'host words' });
    connection.socket.close(closeCode);
    const error = await connecting.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SessionError);
    expect(error).toMatchObject({ code, message: ERROR_SENTENCES[code] });
  });

  it('rejects connect() with bad_name when the host refuses the name', async () => {
    const session = room.createSession({ name: '   ' });
    const connecting = session.connect();
    const connection = await room.host.nextConnection();
    await connection.next('hello');
    connection.send({ type: 'error', code: 'bad_name', message: 'name is empty' });
    await expect(connecting).rejects.toMatchObject({
      code: 'bad_name',
      message: ERROR_SENTENCES.bad_name,
    });
    await withTimeout(connection.closed, 2000, 'the socket to close');
  });

  it('rejects connect() as unreachable when nothing listens, and does not retry', async () => {
    const port = room.host.port;
    await room.host.close();
    const session = room.createSession({ url: `ws://127.0.0.1:${port}/ws` });
    const ended = nextEvent(session, 'ended');
    await expect(session.connect()).rejects.toMatchObject({
      code: 'unreachable',
      message: `Could not reach a Parley host at ws://127.0.0.1:${port}/ws.`,
    });
    expect((await ended)[0].code).toBe('unreachable');
    expect(session.state).toBe('closed');
    room.host = await startScriptedHost();
  });

  it('does not talk to a host that speaks only version 1', async () => {
    await room.host.close();
    room.host = await startScriptedHost({ subprotocol: 'parley.v1' });
    const session = room.createSession();
    await expect(session.connect()).rejects.toMatchObject({ code: 'unreachable' });
  });

  it('keeps reconnecting while the host is away, then resumes', async () => {
    const { session, connection } = await room.joined();
    const port = room.host.port;
    const reconnecting = nextEvent(session, 'state', (state) => state === 'reconnecting');
    await room.host.close();
    await reconnecting;
    expect(connection.socket.readyState).toBe(WebSocket.CLOSED);
    room.host = await startScriptedHost({ port });
    const second = await room.host.nextConnection();
    expect((await second.next('hello')).resume).toEqual({ token: 'token-1', cursors: {} });
    second.send(welcome());
    await nextEvent(session, 'state', (state) => state === 'open');
  });

  it('ends instead of reconnecting when reconnect is off', async () => {
    const { session, connection } = await room.joined({ reconnect: false });
    const ended = nextEvent(session, 'ended');
    connection.socket.terminate();
    expect((await ended)[0].code).toBe('unreachable');
    await expect(room.host.nextConnection(300)).rejects.toThrow(/timed out/);
  });

  // The interval is also half the handshake deadline: a test process stalled longer than that
  // while joining (a busy CI machine) would see its first connection given up on.
  it('pings a silent host and reconnects when the ping gets no answer', async () => {
    const { session, connection } = await room.joined({ heartbeatIntervalMs: 250 });
    expect(await connection.next('ping', 2000)).toEqual({ type: 'ping' });
    await nextEvent(session, 'state', (state) => state === 'reconnecting', 2000);
    const { hello } = await room.host.nextHello(5000);
    expect(hello.resume).toMatchObject({ token: 'token-1' });
  });

  it('stays connected while the host answers its pings', async () => {
    const { session, connection } = await room.joined({ heartbeatIntervalMs: 250 });
    for (let round = 0; round < 3; round++) {
      await connection.next('ping', 2000);
      connection.send({ type: 'pong' });
    }
    expect(session.state).toBe('open');
    expect(room.host.connectionCount()).toBe(1);
  });

  it('reconnects when a welcome never comes', async () => {
    const session = room.createSession({ heartbeatIntervalMs: 50 });
    const connecting = session.connect();
    const connection = await room.host.nextConnection();
    await connection.next('hello');
    await expect(connecting).rejects.toMatchObject({ code: 'unreachable' });
    await withTimeout(connection.closed, 2000, 'the silent connection to be dropped');
  });

  it('refuses options that break the contract, and a createId that repeats itself', async () => {
    expect(() => room.createSession({ url: 42 as unknown as string })).toThrow(/url/);
    expect(() => room.createSession({ heartbeatIntervalMs: 0 })).toThrow(/heartbeatIntervalMs/);
    expect(() => room.createSession({ backoff: { initialMs: -1 } })).toThrow(/initialMs/);
    expect(() => room.createSession({ requestTimeoutMs: 0 })).toThrow(/requestTimeoutMs/);
    const { session, connection } = await room.joined({ createId: () => 'same' });
    session.send({ conv: 'general', text: 'first' });
    expect(() => session.send({ conv: 'general', text: 'second' })).toThrow(/already in use/);
    expect(await connection.next('say')).toMatchObject({ id: 'same', text: 'first' });
  });

  it('closes with 1000, ends with "closed" and rejects what is still waiting', async () => {
    const { session, connection } = await room.joined();
    session.send({ conv: 'general', text: 'never acked' });
    const settled = expect(session.whenSettled()).rejects.toMatchObject({ code: 'closed' });
    const page = expect(session.loadOlder('general', 5)).rejects.toMatchObject({ code: 'closed' });
    const joining = expect(session.joinChannel('c_x')).rejects.toMatchObject({ code: 'closed' });
    const ended = nextEvent(session, 'ended');
    await session.close();
    expect((await ended)[0].code).toBe('closed');
    expect((await withTimeout(connection.closed, 2000, 'the close')).code).toBe(1000);
    await settled;
    await page;
    await joining;
    expect(() => session.send({ conv: 'general', text: 'too late' })).toThrow(SessionError);
    await expect(session.connect()).rejects.toMatchObject({ code: 'closed' });
    await expect(session.openDirect(BOB.id)).rejects.toMatchObject({ code: 'closed' });
  });
});
