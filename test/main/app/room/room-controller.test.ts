/**
 * The room controller where no room session is needed, or where a stand-in session shows what the
 * controller hands it: addresses it cannot use, failures before a room opens, cancelling, and the
 * identity it sends (derived from the device secret for each room). Everything with a real session
 * in a real room is in room-controller.v2-host.test.ts.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../../main/host/store/memory-store';
import { identityForRoom } from '../../../../protocol/client/identity-key';
import type { ClientSessionOptions } from '../../../../protocol/client/client-types';
import type { RoomSession } from '../../../../protocol/client/room-adapter';
import { closedPort, inviteOf, silentServer, useControllers } from './support/controllers';

const fixture = useControllers();
const SECRET = new Uint8Array(32).fill(7);

/** A session that "connects" at once to the room it is told, recording its options. */
function standInSessions(room = { id: 'r_lab', name: 'Lab' }) {
  const made: ClientSessionOptions[] = [];
  const createSession = (options: ClientSessionOptions): RoomSession => {
    made.push(options);
    const self = { id: 'u_self', name: options.name };
    return {
      connect: async () => ({
        type: 'welcome',
        protocol: 2,
        room,
        self,
        token: 't',
        peers: [self],
        peerCount: 1,
        conversations: [],
      }),
      close: async () => undefined,
      snapshot: () => undefined,
      on: () => () => undefined,
      room,
      self,
      peers: [self],
      peerCount: 1,
      conversations: [],
    } as unknown as RoomSession;
  };
  return { made, createSession };
}

/** A web server that says, like a Parley host without TLS, which room it serves. */
async function plainInfoServer(room: { id: string; name: string }): Promise<number> {
  const server: Server = createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ app: 'parley', protocol: 2, room }));
  });
  fixture.track(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('RoomController: the identity it sends', () => {
  it('hosts with the key of its device secret for its own room and certificate', async () => {
    const sessions = standInSessions();
    const { controller } = fixture.make({
      deviceSecret: async () => SECRET,
      createSession: sessions.createSession,
    });
    const hosted = await controller.host({ roomName: 'Lab', name: 'Ada', port: 0 });
    expect(sessions.made[0]?.identity).toBe(
      identityForRoom(SECRET, roomIdOf(inviteOf(hosted)), hosted.fingerprint?.full),
    );
  });

  it('joins a TLS room with the key for the room id and certificate the host proved', async () => {
    // The hosting app's own session is a stand-in too: only its host (TLS, /api/info) matters.
    const host = fixture.make({ createSession: standInSessions().createSession });
    const hosted = await host.controller.host({ roomName: 'Lab', name: 'Ada', port: 0 });
    const sessions = standInSessions();
    const { controller } = fixture.make({
      deviceSecret: async () => SECRET,
      createSession: sessions.createSession,
    });
    await controller.join({ address: inviteOf(hosted), name: 'Bob' });
    const roomId = roomIdOf(inviteOf(hosted));
    expect(sessions.made[0]?.identity).toBe(
      identityForRoom(SECRET, roomId, hosted.fingerprint?.full),
    );
  });

  it('joins a ws:// room with the key for the room id it states and no certificate', async () => {
    const port = await plainInfoServer({ id: 'r_plain', name: 'Plain' });
    const sessions = standInSessions();
    const { controller } = fixture.make({
      deviceSecret: async () => SECRET,
      createSession: sessions.createSession,
    });
    await controller.join({ address: `ws://127.0.0.1:${port}/ws`, name: 'Bob' });
    expect(sessions.made[0]?.identity).toBe(identityForRoom(SECRET, 'r_plain', undefined));
  });

  it('joins without an identity (an ephemeral peer) when the device secret cannot be had', async () => {
    const port = await plainInfoServer({ id: 'r_plain', name: 'Plain' });
    const sessions = standInSessions();
    const logged: string[] = [];
    const { controller } = fixture.make({
      deviceSecret: async () => {
        throw new Error('read-only disk');
      },
      createSession: sessions.createSession,
      log: (message) => logged.push(message),
    });
    await controller.join({ address: `ws://127.0.0.1:${port}/ws`, name: 'Bob' });
    expect(sessions.made[0]).not.toHaveProperty('identity');
    expect(logged).toEqual(['parley: no device secret; joining without an identity']);
  });

  it('keeps the device secret in the data folder by default, the same for every room it joins', async () => {
    const port = await plainInfoServer({ id: 'r_plain', name: 'Plain' });
    const first = standInSessions();
    // deviceSecret left to the controller's default: the identity file in the data folder.
    const one = fixture.make({ createSession: first.createSession, deviceSecret: undefined });
    await one.controller.join({ address: `ws://127.0.0.1:${port}/ws`, name: 'Bob' });
    await one.controller.leave();
    const second = standInSessions();
    const two = fixture.make({ createSession: second.createSession, deviceSecret: undefined });
    await two.controller.join({ address: `ws://127.0.0.1:${port}/ws`, name: 'Bob' });
    expect(first.made[0]?.identity).toMatch(/^[\w-]{43}$/);
    expect(second.made[0]?.identity).toBe(first.made[0]?.identity);
  });
});

describe('RoomController: what goes wrong before a room opens, in sentences', () => {
  it('says when nothing answers at the address', async () => {
    const port = await closedPort();
    const { controller } = fixture.make();
    const failure = await controller
      .join({ address: `127.0.0.1:${port}`, name: 'Bob' })
      .catch((error: unknown) => error);
    expect(failure).toEqual({
      code: 'unreachable',
      message: `Could not reach a Parley room at 127.0.0.1:${port}. Check the address and that the room is still open.`,
    });
  });

  it('explains an address it cannot read', async () => {
    const { controller } = fixture.make();
    for (const address of ['ftp://127.0.0.1:7420', 'parley://127.0.0.1:70000/', '[::1']) {
      const failure = await controller.join({ address, name: 'Bob' }).catch((e: unknown) => e);
      expect(failure).toMatchObject({ code: 'bad_address', message: expect.stringMatching(/\w+/) });
    }
    const port = await controller
      .join({ address: 'parley://127.0.0.1:70000/', name: 'Bob' })
      .catch((e: unknown) => e);
    expect(port).toEqual({ code: 'bad_address', message: 'The port must be between 1 and 65535.' });
  });

  it('refuses a guest page URL over http, saying what to type instead', async () => {
    const { controller } = fixture.make();
    await expect(
      controller.join({ address: 'http://127.0.0.1:7420/', name: 'Bob' }),
    ).rejects.toEqual({
      code: 'bad_address',
      message: 'Use ws:// instead of http:// (for example ws://127.0.0.1:7420/).',
    });
  });

  it('says which port is taken, and closes the store it opened', async () => {
    const blocker = createServer();
    fixture.track(blocker);
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    const closed: string[] = [];
    const { controller } = fixture.make({
      openStore: (roomName) => {
        const store = createMemoryStore(roomName);
        const close = store.close.bind(store);
        return Object.assign(store, {
          close: () => {
            closed.push(roomName);
            return close();
          },
        });
      },
    });
    const taken = {
      code: 'port_in_use',
      message: `Port ${port} is already in use. Pick another port.`,
    };
    await expect(controller.host({ roomName: 'Lab', name: 'Ada', port })).rejects.toEqual(taken);
    expect(closed).toEqual(['Lab']);
    // Idle again, not stuck "busy".
    await expect(controller.host({ roomName: 'Lab', name: 'Ada', port })).rejects.toEqual(taken);
  });

  it('reports a history store that cannot be opened', async () => {
    const { controller } = fixture.make({
      openStore: () => {
        throw Object.assign(new Error('/data/parley.db is in use by another Parley host'), {
          code: 'locked',
        });
      },
    });
    await expect(controller.host({ roomName: 'Lab', name: 'Ada', port: 0 })).rejects.toEqual({
      code: 'store_failed',
      message:
        'The room history could not be opened. /data/parley.db is in use by another Parley host.',
    });
  });

  it('cancels a join that hangs when the user leaves', async () => {
    const port = await silentServer(fixture);
    const { controller } = fixture.make();
    const pending = controller.join({ address: `127.0.0.1:${port}`, name: 'Bob' });
    const outcome = pending.catch((error: unknown) => error);
    await controller.leave();
    expect(await outcome).toEqual({
      code: 'cancelled',
      message: 'You left before the room opened.',
    });
    // Free again at once: the next attempt runs (and fails on its own account).
    const closed = await closedPort();
    await expect(
      controller.join({ address: `127.0.0.1:${closed}`, name: 'Bob' }),
    ).rejects.toMatchObject({ code: 'unreachable' });
  });

  it('rejects room requests outside a room and bad arguments', async () => {
    const { controller } = fixture.make();
    const outside = { code: 'not_in_room' };
    await expect(controller.requests.send({ conv: 'general', text: 'hi' })).rejects.toMatchObject(
      outside,
    );
    await expect(
      controller.requests.loadOlder({ conv: 'general', before: 5 }),
    ).rejects.toMatchObject(outside);
    await expect(controller.requests.createChannel({ name: 'x' })).rejects.toMatchObject(outside);
    await expect(controller.requests.openDirect('u_x')).rejects.toMatchObject(outside);
    await expect(controller.requests.typing('general')).resolves.toBeUndefined();
    await expect(
      controller.host({ roomName: '', name: 'Ada', port: 0 } as never),
    ).rejects.toMatchObject({ code: 'bad_argument', message: 'Give the room a name.' });
  });
});

/** The room id an invite names. */
function roomIdOf(invite: string): string {
  return new URL(invite).searchParams.get('room') ?? '';
}
