import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  RoomController,
  type RoomControllerOptions,
} from '../../../../main/app/room/room-controller';
import { createMemoryStore } from '../../../../main/host/store/memory-store';
import type { MessageStore } from '../../../../main/host/store/message-store';
import { ERROR_SENTENCES } from '../../../../protocol/wire/codes';
import type { RoomSummary } from '../../../../protocol/bridge';
import { buildInvite } from '../../../../protocol/client/invite';
import { isType, recordEvents, type EventLog } from '../helpers/room-events';
import { quietAdvertiser } from '../helpers/fakes';

let dataDir: string;
const controllers: RoomController[] = [];
const servers: net.Server[] = [];

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-controller-'));
});

afterEach(async () => {
  await Promise.all(controllers.splice(0).map((controller) => controller.leave()));
  await Promise.all(
    servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
  );
  await rm(dataDir, { recursive: true, force: true });
});

function makeController(options: Partial<RoomControllerOptions> = {}) {
  const controller = new RoomController({
    dataDir,
    openStore: createMemoryStore,
    // Loopback only: the tests never listen on or connect to another interface.
    bindAddress: '127.0.0.1',
    sessionOptions: { backoff: { initialMs: 50, maxMs: 200 } },
    // Advertising has its own tests (host-advert.test.ts), on a loopback mDNS port of their own.
    advertiseRoom: quietAdvertiser(),
    log: () => undefined,
    ...options,
  });
  controllers.push(controller);
  return { controller, log: recordEvents(controller) };
}

/** The invite a hosted room hands out: joining by it pins the host's certificate at once. */
function inviteOf(summary: RoomSummary): string {
  return summary.invites?.[0]?.invite ?? '';
}

async function hostAndJoin(password?: string) {
  const ada = makeController();
  const hosted = await ada.controller.host({ roomName: 'Lab', name: 'Ada', port: 0, password });
  const address = inviteOf(hosted);
  const bob = makeController();
  const joined = await bob.controller.join({ address, name: 'Bob', password });
  return { ada, bob, hosted, joined, address };
}

/** A local port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A server that accepts TCP connections and never answers them. */
async function silentServer(): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  server.on('close', () => sockets.forEach((socket) => socket.destroy()));
  const originalClose = server.close.bind(server);
  server.close = (callback) => {
    sockets.forEach((socket) => socket.destroy());
    return originalClose(callback);
  };
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

async function waitForMessage(log: EventLog, text: string) {
  return log.waitFor((e) => e.type === 'message' && e.message.text === text);
}

describe('RoomController: host and join', () => {
  it('hosts a room, joins it as its first member and lists where others can join', async () => {
    const { controller, log } = makeController();
    const summary = await controller.host({ roomName: ' Lab ', name: 'Ada', port: 0 });

    expect(summary.room.name).toBe('Lab');
    expect(summary.self.name).toBe('Ada');
    expect(summary.peers).toEqual([summary.self]);
    expect(summary.hosting).toBe(true);
    expect(controller.hosting).toBe(true);
    expect(summary.addresses).toHaveLength(1);
    expect(summary.addresses[0]).toMatchObject({ interfaceName: 'loopback' });
    expect(summary.addresses[0]?.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(log.events[0]).toEqual({ type: 'summary', summary });
    await log.waitFor((e) => e.type === 'state' && e.state === 'open');
  });

  it('lets a second app join by address; both see each other and each other’s messages', async () => {
    const { ada, bob, joined } = await hostAndJoin();

    expect(joined.hosting).toBe(false);
    expect(joined.addresses).toEqual([]);
    expect(joined.peers.map((p) => p.name)).toEqual(['Ada', 'Bob']);
    const bobPeer = await ada.log.waitFor(isType('joined'));
    expect(bobPeer.peer).toEqual(joined.self);
    await ada.log.waitFor((e) => e.type === 'peers' && e.peers.length === 2);

    const id = await bob.controller.requests.send('hi Ada');
    expect(id).toEqual(expect.any(String));
    const seenByAda = await waitForMessage(ada.log, 'hi Ada');
    const seenByBob = await waitForMessage(bob.log, 'hi Ada');
    expect(seenByAda).toEqual(seenByBob);
    expect(seenByAda).toMatchObject({ message: { id, seq: 1, from: joined.self } });

    await ada.controller.requests.send('hello Bob');
    await waitForMessage(bob.log, 'hello Bob');
    await waitForMessage(ada.log, 'hello Bob');
    expect(ada.log.lines()).toEqual(['Bob: hi Ada', 'Ada: hello Bob']);
    expect(bob.log.lines()).toEqual(['Bob: hi Ada', 'Ada: hello Bob']);
    // The sender's outbox empties once the host acknowledged.
    await bob.log.waitFor((e) => e.type === 'outbox' && e.outbox.length === 0);
  });

  it('relays typing to the others', async () => {
    const { ada, bob, joined } = await hostAndJoin();
    await bob.controller.requests.typing();
    const typing = await ada.log.waitFor(isType('typing'));
    expect(typing.peer).toEqual(joined.self);
  });

  it('pages older history for a late joiner', async () => {
    const ada = makeController();
    const hosted = await ada.controller.host({ roomName: 'Lab', name: 'Ada', port: 0 });
    for (let i = 1; i <= 5; i++) await ada.controller.requests.send(`m${i}`);
    await waitForMessage(ada.log, 'm5');
    const bob = makeController();
    await bob.controller.join({ address: inviteOf(hosted), name: 'Bob' });
    await waitForMessage(bob.log, 'm5');
    const page = await bob.controller.requests.loadOlder(3);
    expect(page.messages.map((m) => m.text)).toEqual(['m1', 'm2']);
    expect(page.more).toBe(false);
  });

  it('tells the others when a guest leaves, and ends the guest’s room', async () => {
    const { ada, bob, joined } = await hostAndJoin();
    await bob.controller.leave();
    const left = await ada.log.waitFor(isType('left'));
    expect(left.peer).toEqual(joined.self);
    expect(bob.log.events.at(-1)).toEqual({
      type: 'ended',
      reason: { code: 'closed', message: 'You left the room.' },
    });
    await expect(bob.controller.requests.send('anyone?')).rejects.toMatchObject({
      code: 'not_in_room',
    });
  });

  it('stops the host when the hosting app leaves: the port closes and guests lose the room', async () => {
    const { ada, bob, hosted } = await hostAndJoin();
    const port = Number(hosted.addresses[0]?.address.split(':')[1]);
    await ada.controller.leave();

    expect(ada.controller.hosting).toBe(false);
    await ada.log.waitFor(isType('ended'));
    await expect(fetch(`http://127.0.0.1:${port}/api/info`)).rejects.toThrow();
    await bob.log.waitFor(
      (e) => e.type === 'state' && e.state !== 'open' && e.state !== 'connecting',
    );
  });

  it('can host again after leaving', async () => {
    const { controller } = makeController();
    await controller.host({ roomName: 'One', name: 'Ada', port: 0 });
    await controller.leave();
    const again = await controller.host({ roomName: 'Two', name: 'Ada', port: 0 });
    expect(again.room.name).toBe('Two');
  });
});

describe('RoomController: what goes wrong, in sentences', () => {
  it('refuses a wrong or missing password with its sentence', async () => {
    const ada = makeController();
    const hosted = await ada.controller.host({
      roomName: 'Lab',
      name: 'Ada',
      port: 0,
      password: 'secret',
    });
    const address = inviteOf(hosted);
    const bob = makeController();
    const expected = { code: 'auth_failed', message: ERROR_SENTENCES.auth_failed };
    await expect(bob.controller.join({ address, name: 'Bob', password: 'nope' })).rejects.toEqual(
      expected,
    );
    await expect(bob.controller.join({ address, name: 'Bob' })).rejects.toEqual(expected);
    // Nothing is left half-open: the right password still works.
    const joined = await bob.controller.join({ address, name: 'Bob', password: 'secret' });
    expect(joined.peers).toHaveLength(2);
  });

  it('refuses a name already in the room, whatever its case', async () => {
    const { address } = await hostAndJoin();
    const carol = makeController();
    await expect(carol.controller.join({ address, name: 'ADA' })).rejects.toEqual({
      code: 'name_taken',
      message: ERROR_SENTENCES.name_taken,
    });
  });

  it('refuses a name that breaks the name rule', async () => {
    const ada = makeController();
    await expect(ada.controller.host({ roomName: 'Lab', name: '   ', port: 0 })).rejects.toEqual({
      code: 'bad_name',
      message: ERROR_SENTENCES.bad_name,
    });
    // The host started for that attempt is stopped again.
    expect(ada.controller.hosting).toBe(false);
  });

  it('says when nothing answers at the address', async () => {
    const port = await closedPort();
    const { controller } = makeController();
    const failure = await controller
      .join({ address: `127.0.0.1:${port}`, name: 'Bob' })
      .catch((error: unknown) => error);
    expect(failure).toEqual({
      code: 'unreachable',
      message: `Could not reach a Parley room at 127.0.0.1:${port}. Check the address and that the room is still open.`,
    });
  });

  it('explains an address it cannot read', async () => {
    const { controller } = makeController();
    for (const address of ['ftp://127.0.0.1:7420', 'parley://127.0.0.1:70000/', '[::1']) {
      const failure = await controller.join({ address, name: 'Bob' }).catch((e: unknown) => e);
      expect(failure).toMatchObject({ code: 'bad_address', message: expect.stringMatching(/\w+/) });
    }
    const port = await controller
      .join({ address: 'parley://127.0.0.1:70000/', name: 'Bob' })
      .catch((e: unknown) => e);
    expect(port).toEqual({ code: 'bad_address', message: 'The port must be between 1 and 65535.' });
  });

  it('joins by the invite or the guest page URL a host hands out, as by its address', async () => {
    const ada = makeController();
    const hosted = await ada.controller.host({ roomName: 'Lab', name: 'Ada', port: 0 });
    const address = hosted.addresses[0]?.address ?? '';
    const fingerprint = hosted.fingerprint?.full;
    const ways = [
      { address: inviteOf(hosted) },
      // Without a fingerprint in it, the same room once its fingerprint was confirmed.
      { address: `parley://${address}/?room=${hosted.room.id}`, fingerprint },
      { address: hosted.invites?.[0]?.guestUrl ?? '', fingerprint },
      { address: `wss://${address}/ws`, fingerprint },
      { address, fingerprint },
      // Cleartext only when asked for (the host takes it from this machine only).
      { address: `ws://${address}/ws` },
    ];
    for (const [i, way] of ways.entries()) {
      const guest = makeController();
      const joined = await guest.controller.join({ ...way, name: `Guest${i}` });
      expect(joined.room).toEqual(hosted.room);
      await guest.controller.leave();
      // An invite for the room that answers brings no warning.
      expect(guest.log.events.filter(isType('notice'))).toEqual([]);
    }
  });

  it('refuses a guest page URL over http, saying what to type instead', async () => {
    const { controller } = makeController();
    await expect(
      controller.join({ address: 'http://127.0.0.1:7420/', name: 'Bob' }),
    ).rejects.toEqual({
      code: 'bad_address',
      message: 'Use ws:// instead of http:// (for example ws://127.0.0.1:7420/).',
    });
  });

  it('warns when the invited room is not the one at the address any more', async () => {
    const ada = makeController();
    const hosted = await ada.controller.host({ roomName: 'Lab', name: 'Ada', port: 0 });
    const bob = makeController();
    const [host = '', port = ''] = hosted.addresses[0]?.address.split(':') ?? [];
    const address = buildInvite({
      host,
      port: Number(port),
      fingerprint: hosted.fingerprint?.full ?? '',
      roomId: 'r_someOtherRoom',
    });
    const joined = await bob.controller.join({ address, name: 'Bob' });
    expect(joined.room).toEqual(hosted.room);
    expect(await bob.log.waitFor(isType('notice'))).toEqual({
      type: 'notice',
      code: 'other_room',
      message: 'This address now hosts the room “Lab”, not the one you were invited to.',
    });
  });

  it('says which port is taken, and closes the store it opened', async () => {
    const blocker = net.createServer();
    servers.push(blocker);
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    const closed: string[] = [];
    const { controller } = makeController({
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

    await expect(controller.host({ roomName: 'Lab', name: 'Ada', port })).rejects.toEqual({
      code: 'port_in_use',
      message: `Port ${port} is already in use. Pick another port.`,
    });
    expect(closed).toEqual(['Lab']);
    await expect(controller.host({ roomName: 'Lab', name: 'Ada', port: 0 })).resolves.toMatchObject(
      { hosting: true },
    );
  });

  it('reports a history store that cannot be opened', async () => {
    const { controller } = makeController({
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

  it('refuses a second room while in one, and a second attempt while connecting', async () => {
    const { ada, address } = await hostAndJoin();
    await expect(ada.controller.join({ address, name: 'Ada2' })).rejects.toMatchObject({
      code: 'in_room',
    });
    const carol = makeController();
    const first = carol.controller.join({ address, name: 'Carol' });
    await expect(carol.controller.join({ address, name: 'Carol' })).rejects.toMatchObject({
      code: 'busy',
    });
    await first;
  });

  it('cancels a join that hangs when the user leaves', async () => {
    const port = await silentServer();
    const { controller } = makeController();
    const pending = controller.join({ address: `127.0.0.1:${port}`, name: 'Bob' });
    const outcome = pending.catch((error: unknown) => error);
    await controller.leave();
    expect(await outcome).toEqual({
      code: 'cancelled',
      message: 'You left before the room opened.',
    });
    // Free again at once.
    await expect(controller.host({ roomName: 'Lab', name: 'Ada', port: 0 })).resolves.toBeDefined();
  });

  it('rejects requests outside a room, bad arguments and unknown retries', async () => {
    const { controller } = makeController();
    await expect(controller.requests.send('hi')).rejects.toMatchObject({ code: 'not_in_room' });
    await expect(controller.requests.loadOlder(5)).rejects.toMatchObject({ code: 'not_in_room' });
    await expect(controller.requests.typing()).resolves.toBeUndefined();
    await expect(
      controller.host({ roomName: '', name: 'Ada', port: 0 } as never),
    ).rejects.toMatchObject({ code: 'bad_argument', message: 'Give the room a name.' });
    await controller.host({ roomName: 'Lab', name: 'Ada', port: 0 });
    await expect(controller.requests.retry('no-such-id')).rejects.toMatchObject({
      code: 'unknown_message',
    });
  });

  it('ends the room and says why when the host’s history store fails', async () => {
    let broken = false;
    const ada = makeController({
      openStore: (roomName) => {
        const store: MessageStore = createMemoryStore(roomName);
        const append = store.append.bind(store);
        return Object.assign(store, {
          append: (message: Parameters<MessageStore['append']>[0]) =>
            broken ? Promise.reject(new Error('disk full')) : append(message),
        });
      },
    });
    await ada.controller.host({ roomName: 'Lab', name: 'Ada', port: 0 });
    broken = true;
    await ada.controller.requests.send('lost');
    const error = await ada.log.waitFor(isType('error'));
    expect(error).toMatchObject({ code: 'store_failed' });
    const ended = await ada.log.waitFor(isType('ended'));
    expect(ended.reason.message).toMatch(/history could not be saved/);
    expect(ada.controller.hosting).toBe(false);
  });
});

describe('RoomController: durable history (SQLite store in the data directory)', () => {
  it('gives the window the summary first, then the history, across an app restart', async () => {
    const first = makeController({ openStore: undefined });
    const before: RoomSummary = await first.controller.host({
      roomName: 'Lab',
      name: 'Ada',
      port: 0,
    });
    for (const text of ['one', 'two', 'three']) await first.controller.requests.send(text);
    // Broadcast means stored: the host sends a message only once it is durable.
    await waitForMessage(first.log, 'three');
    await first.controller.leave();

    const second = makeController({ openStore: undefined });
    const after = await second.controller.host({ roomName: 'Lab renamed', name: 'Ada', port: 0 });
    expect(after.room).toEqual({ id: before.room.id, name: 'Lab renamed' });
    await waitForMessage(second.log, 'three');
    const types = second.log.events.map((e) => e.type);
    expect(types[0]).toBe('summary');
    expect(types.indexOf('message')).toBeGreaterThan(0);
    expect(second.log.lines()).toEqual(['Ada: one', 'Ada: two', 'Ada: three']);
  });
});
