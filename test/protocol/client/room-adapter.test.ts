/**
 * The room adapter on a real client session against a scripted host: what the window would see
 * (RoomEvents and the summary) for frames the test writes, including host errors in the host's
 * own developer wording.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RoomEvent } from '../../../protocol/bridge';
import { ClientSession } from '../../../protocol/client/client-session';
import {
  GUEST_PLACE,
  RoomAdapter,
  UNKNOWN_HOST_ERROR,
  type EndedEvent,
} from '../../../protocol/client/room-adapter';
import { CloseCode, ERROR_SENTENCES } from '../../../protocol/wire/codes';
import { withTimeout } from '../../support/wait';
import { chat, startScriptedHost, welcome, type ScriptedHost } from './support/scripted-host';

const BOB = { id: 'peer-2', name: 'bob' };
const CY = { id: 'peer-3', name: 'cy' };

let host: ScriptedHost;
const sessions: ClientSession[] = [];

beforeEach(async () => {
  host = await startScriptedHost();
});

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.close()));
  await host.close();
});

/** A session with an adapter on it, recording what reaches the window. */
function adapted(reconnect = false) {
  const session = new ClientSession({
    url: host.url,
    name: 'alice',
    WebSocket: WebSocket,
    reconnect,
    backoff: { initialMs: 10, maxMs: 50 },
  });
  sessions.push(session);
  const events: RoomEvent[] = [];
  const welcomes: number[] = [];
  let ended: (event: EndedEvent) => void = () => undefined;
  const endedEvent = new Promise<EndedEvent>((resolve) => (ended = resolve));
  const waiters = new Set<() => void>();
  const adapter = new RoomAdapter(session, {
    emit: (event) => {
      events.push(event);
      for (const waiter of [...waiters]) waiter();
    },
    welcome: (frame) => welcomes.push(frame.lastSeq),
    ended: (event) => ended(event),
  });
  /** Resolves once an event of `type` has reached the window. */
  function seen<T extends RoomEvent['type']>(type: T): Promise<Extract<RoomEvent, { type: T }>> {
    const find = () => events.find((event) => event.type === type);
    return withTimeout(
      new Promise((resolve) => {
        const check = () => {
          const found = find();
          if (!found) return;
          waiters.delete(check);
          resolve(found as Extract<RoomEvent, { type: T }>);
        };
        waiters.add(check);
        check();
      }),
      5000,
      `a ${type} event`,
    );
  }
  return { session, adapter, events, welcomes, endedEvent, seen };
}

async function joined(welcomeFields: Record<string, unknown> = {}, reconnect = false) {
  const room = adapted(reconnect);
  const connecting = room.session.connect();
  const connection = await host.nextConnection();
  await connection.next('hello');
  connection.send(welcome(welcomeFields));
  await connecting;
  return { ...room, connection };
}

describe('room adapter', () => {
  it('turns the welcome into history, peers and state events, then a summary', async () => {
    const room = adapted();
    expect(room.adapter.summary(GUEST_PLACE)).toBeUndefined();
    const connecting = room.session.connect();
    const connection = await host.nextConnection();
    await connection.next('hello');
    const peers = [{ id: 'peer-1', name: 'alice' }, BOB];
    connection.send(welcome({ history: [chat(1, 'one'), chat(2, 'two')], lastSeq: 2, peers }));
    await connecting;

    expect(room.events.map((event) => event.type)).toEqual([
      'state',
      'message',
      'message',
      'peers',
      'state',
    ]);
    expect(room.events[0]).toEqual({ type: 'state', state: 'connecting' });
    expect(room.events.at(-1)).toEqual({ type: 'state', state: 'open' });
    expect(room.welcomes).toEqual([2]);
    expect(room.adapter.summary(GUEST_PLACE)).toEqual({
      room: { id: 'room-1', name: 'Test room' },
      self: { id: 'peer-1', name: 'alice' },
      peers,
      hosting: false,
      addresses: [],
      lastSeq: 2,
    });
  });

  it('passes presence, typing and gaps on, and keeps the summary’s peers current', async () => {
    const room = await joined({ gap: true, lastSeq: 4 });
    room.connection.send({ type: 'joined', peer: BOB });
    room.connection.send({ type: 'typing', peer: BOB });
    room.connection.send({ type: 'joined', peer: CY });
    room.connection.send({ type: 'left', peer: BOB });
    room.connection.send({ type: 'message', ...chat(5, 'after a gap', CY) });
    const message = await room.seen('message');

    expect(message.message).toMatchObject({ seq: 5, text: 'after a gap', from: CY });
    expect(room.events).toContainEqual({ type: 'joined', peer: BOB });
    expect(room.events).toContainEqual({ type: 'typing', peer: BOB });
    expect(room.events).toContainEqual({ type: 'left', peer: BOB });
    expect(room.events).toContainEqual({ type: 'gap' });
    const place = {
      hosting: true,
      addresses: [{ address: '192.0.2.1:7420', interfaceName: 'eth0' }],
      invites: [],
      fingerprint: { short: 'AAAA', full: 'AA:AA' },
    };
    expect(room.adapter.summary(place)).toMatchObject({
      peers: [{ id: 'peer-1', name: 'alice' }, CY],
      ...place,
    });
  });

  it('says when a reconnect reached another room, and offers its summary', async () => {
    const room = await joined({ history: [chat(1, 'old room')], lastSeq: 1 }, true);
    room.connection.socket.terminate();
    const again = await host.nextConnection();
    await again.next('hello');
    again.send(welcome({ room: { id: 'room-2', name: 'New room' }, lastSeq: 7 }));
    const changed = await room.seen('roomChanged');

    expect(changed).toEqual({
      type: 'roomChanged',
      previous: { id: 'room-1', name: 'Test room' },
      current: { id: 'room-2', name: 'New room' },
    });
    expect(room.welcomes).toEqual([1, 7]);
    expect(room.adapter.summary(GUEST_PLACE)).toMatchObject({
      room: { id: 'room-2', name: 'New room' },
      lastSeq: 7,
    });
  });

  it('words host errors with the shared sentences, never the host’s own detail', async () => {
    const room = await joined();
    room.connection.send({ type: 'error', code: 'rate_limited', message: 'slow down' });
    room.connection.send({ type: 'error', code: 'from_the_future', message: 'mystery detail' });
    room.connection.send({ type: 'joined', peer: BOB });
    await room.seen('joined');

    expect(room.events.filter((event) => event.type === 'error')).toEqual([
      { type: 'error', code: 'rate_limited', message: ERROR_SENTENCES.rate_limited },
      { type: 'error', code: 'from_the_future', message: UNKNOWN_HOST_ERROR },
    ]);
  });

  it('tells the transport why the session ended, without an ended event of its own', async () => {
    const room = await joined();
    room.connection.send({ type: 'error', code: 'replaced', message: 'elsewhere' });
    room.connection.socket.close(CloseCode.replaced);
    expect(await room.endedEvent).toEqual({
      type: 'ended',
      reason: { code: 'replaced', message: ERROR_SENTENCES.replaced },
    });
    expect(room.events.filter((event) => event.type === 'ended')).toEqual([]);
    expect(room.events.at(-1)).toEqual({ type: 'state', state: 'closed' });
  });

  it('hands nothing on once stopped', async () => {
    const room = await joined();
    room.adapter.stop();
    const before = room.events.length;
    room.connection.send({ type: 'joined', peer: BOB });
    room.connection.send({ type: 'message', ...chat(1, 'unheard') });
    await withTimeout(
      new Promise((resolve) => room.session.on('message', resolve)),
      5000,
      'the message',
    );
    expect(room.events).toHaveLength(before);
  });
});
