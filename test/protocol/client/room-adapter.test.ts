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
import {
  ALICE,
  BOB,
  catchup,
  conversation,
  message,
  startScriptedHost,
  text,
  welcome,
  type ScriptedHost,
} from './support/scripted-host';

const CY = { id: 'u_cy', name: 'cy' };

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
  const welcomes: string[] = [];
  let renames = 0;
  let ended: (event: EndedEvent) => void = () => undefined;
  const endedEvent = new Promise<EndedEvent>((resolve) => (ended = resolve));
  const waiters = new Set<() => void>();
  const adapter = new RoomAdapter(session, {
    emit: (event) => {
      events.push(event);
      for (const waiter of [...waiters]) waiter();
    },
    welcome: (frame) => welcomes.push(frame.room.id),
    renamedSelf: () => renames++,
    ended: (event) => ended(event),
  });
  /** Resolves once an event of `type` (passing `accept`) has reached the window. */
  function seen<T extends RoomEvent['type']>(
    type: T,
    accept: (event: Extract<RoomEvent, { type: T }>) => boolean = () => true,
  ): Promise<Extract<RoomEvent, { type: T }>> {
    const find = () =>
      events.find(
        (event): event is Extract<RoomEvent, { type: T }> =>
          event.type === type && accept(event as Extract<RoomEvent, { type: T }>),
      );
    return withTimeout(
      new Promise((resolve) => {
        const check = () => {
          const found = find();
          if (!found) return;
          waiters.delete(check);
          resolve(found);
        };
        waiters.add(check);
        check();
      }),
      5000,
      `a ${type} event`,
    );
  }
  return { session, adapter, events, welcomes, endedEvent, seen, renames: () => renames };
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
  it('turns the welcome and catchup into events, and the session into a summary', async () => {
    const room = adapted();
    expect(room.adapter.summary(GUEST_PLACE)).toBeUndefined();
    const connecting = room.session.connect();
    const connection = await host.nextConnection();
    await connection.next('hello');
    const peers = [ALICE, BOB];
    connection.send(
      welcome({ peers, peerCount: 5, conversations: [conversation('general', { lastSeq: 2 })] }),
    );
    await connecting;
    connection.send(catchup('general', [text(1, 'one'), text(2, 'two')]));
    await room.seen('conversations', (event) => event.conversations[0]?.unread === 2);

    expect(room.events.map((event) => event.type)).toEqual([
      'state',
      'peers',
      'conversations',
      'state',
      'entry',
      'entry',
      'conversations',
    ]);
    expect(room.events[0]).toEqual({ type: 'state', state: 'connecting' });
    expect(room.events[3]).toEqual({ type: 'state', state: 'open' });
    expect(room.events[4]).toEqual({ type: 'entry', entry: text(1, 'one') });
    expect(room.welcomes).toEqual(['room-1']);
    expect(room.adapter.summary(GUEST_PLACE)).toEqual({
      room: { id: 'room-1', name: 'Test room' },
      self: ALICE,
      peers,
      peerCount: 5,
      conversations: [
        {
          id: 'general',
          kind: 'channel',
          name: 'general',
          member: true,
          lastSeq: 2,
          readSeq: 0,
          unread: 2,
          mentioned: false,
          muted: false,
        },
      ],
      hosting: false,
      addresses: [],
    });
  });

  it('passes presence, typing and gaps on, with their conversations', async () => {
    const room = await joined({ conversations: [conversation('general', { lastSeq: 4000 })] });
    room.connection.send(catchup('general', [text(4000, 'latest')], true));
    room.connection.send({ type: 'joined', peer: BOB });
    room.connection.send({ type: 'typing', conv: 'general', peer: BOB });
    room.connection.send({ type: 'joined', peer: CY });
    room.connection.send({ type: 'left', peer: BOB });
    room.connection.send(message(text(4001, 'after a gap', { from: CY })));
    await room.seen('entry', (event) => event.entry.seq === 4001);

    expect(room.events).toContainEqual({ type: 'gap', conv: 'general' });
    expect(room.events).toContainEqual({ type: 'joined', peer: BOB });
    expect(room.events).toContainEqual({ type: 'typing', conv: 'general', peer: BOB });
    expect(room.events).toContainEqual({ type: 'left', peer: BOB });
    const place = {
      hosting: true,
      addresses: [{ address: '192.0.2.1:7420', interfaceName: 'eth0' }],
      invites: [],
      fingerprint: { short: 'AAAA', full: 'AA:AA' },
    };
    expect(room.adapter.summary(place)).toMatchObject({ peers: [ALICE, CY], ...place });
  });

  it('tells the transport when this person was renamed from another device', async () => {
    const room = await joined();
    room.connection.send({ type: 'peer', peer: { ...BOB, name: 'rob' } });
    room.connection.send({ type: 'peer', peer: { ...ALICE, name: 'ally' } });
    await room.seen('peers', (event) => event.peers.some((peer) => peer.name === 'ally'));
    expect(room.renames()).toBe(1);
    expect(room.adapter.summary(GUEST_PLACE)?.self.name).toBe('ally');
  });

  it('says when a reconnect reached another room, and offers its summary', async () => {
    const room = await joined({}, true);
    room.connection.socket.terminate();
    const again = await host.nextConnection();
    await again.next('hello');
    again.send(welcome({ room: { id: 'room-2', name: 'New room' } }));
    const changed = await room.seen('roomChanged');

    expect(changed).toEqual({
      type: 'roomChanged',
      previous: { id: 'room-1', name: 'Test room' },
      current: { id: 'room-2', name: 'New room' },
    });
    expect(room.welcomes).toEqual(['room-1', 'room-2']);
    expect(room.adapter.summary(GUEST_PLACE)).toMatchObject({
      room: { id: 'room-2', name: 'New room' },
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
    room.connection.send(catchup('general', [text(1, 'unheard')]));
    await withTimeout(
      new Promise((resolve) => room.session.on('entry', resolve)),
      5000,
      'the entry',
    );
    expect(room.events).toHaveLength(before);
  });
});
