import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { startHost } from '../../../main/host/server';
import { createMemoryStore } from '../../../main/host/store/memory-store';
import { V1Client } from './helpers/clients';
import { onCleanup, testHost } from './helpers/host';
import { request } from './helpers/http';
import { delegateStore, failingStore, gatedStore } from './helpers/stores';
import { rawSocketOf } from './helpers/ws-internals';
import { until, withTimeout } from '../../support/wait';

afterEach(() => {
  vi.restoreAllMocks();
});

function connectStatus(port: number): Promise<string> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`, ['parley.v1']);
  onCleanup(() => socket.terminate());
  const outcome = new Promise<string>((resolve) => {
    socket.once('open', () => resolve('open'));
    socket.once('unexpected-response', (_request, response) =>
      resolve(`http ${response.statusCode}`),
    );
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
  return withTimeout(outcome, 3000, 'the connection attempt');
}

describe('startHost', () => {
  it('starts on the given port with the default room name and nobody in it', async () => {
    const host = await testHost();
    expect(host.port).toBeGreaterThan(0);
    expect(host.room).toMatchObject({ name: 'Parley' });
    expect(host.room.id).toMatch(/\S/);
    expect(host.peers()).toEqual([]);
  });

  it('uses the room of a store it is given, keeping its id and name', async () => {
    const store = createMemoryStore('Stored name');
    const host = await testHost({ store, roomName: 'Ignored for an existing room' });
    expect(host.room).toEqual(store.room);
  });

  it('rejects invalid options with code invalid_options', async () => {
    const invalid = [
      { port: -1 },
      { port: 70_000 },
      { port: 1.5 },
      { roomName: '   ' },
      { limits: { maxConnections: -1 } },
      { limits: { notALimit: 5 } },
      { store: {} },
      { allowPlain: 'yes' },
      { tls: { cert: 'not pem', key: 'not pem' } },
      { maxConnectionsPerAddress: 0 },
      { allowedOrigins: ['not a url'] },
      { authThrottle: { delaysMs: 'slow' } },
      { serverTimeouts: { headersTimeout: -1 } },
    ];
    for (const options of invalid) {
      await expect(startHost(options as never), JSON.stringify(options)).rejects.toMatchObject({
        code: 'invalid_options',
      });
    }
  });

  it('rejects a port in use with EADDRINUSE and a message naming the port', async () => {
    const first = await testHost();
    const store = createMemoryStore('Second');
    const attempt = startHost({ port: first.port, host: '127.0.0.1', store });
    await expect(attempt).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await expect(attempt).rejects.toThrow(String(first.port));
    // The caller's store stays open for the caller to close; the first host is unharmed.
    await expect(
      store.append({
        seq: 1,
        conv: 'general',
        id: 'x',
        from: { id: 'p', name: 'p' },
        ts: 1,
        kind: 'text',
        text: 't',
      }),
    ).resolves.toBeUndefined();
    await store.close();
    expect((await request(first.port, '/api/info')).status).toBe(200);
  });

  it('returns copies from peers()', async () => {
    const host = await testHost();
    await V1Client.join(host.port, 'alice');
    host.peers()[0]!.name = 'mallory';
    expect(host.peers()[0]!.name).toBe('alice');
  });

  it('counts the people present in peerCount as they come and go', async () => {
    const host = await testHost();
    expect(host.peerCount).toBe(0);
    const { client: alice } = await V1Client.join(host.port, 'alice');
    await V1Client.join(host.port, 'bob');
    expect(host.peerCount).toBe(2);
    alice.close();
    await until(() => host.peerCount === 1);
    expect(host.peers()).toHaveLength(1);
  });
});

describe('close()', () => {
  it('closes every socket with 1001, stops listening, and is idempotent', async () => {
    const host = await testHost();
    const { client: alice } = await V1Client.join(host.port, 'alice');
    const pending = await V1Client.connect(host.port);
    const first = host.close();
    const second = host.close();
    expect((await alice.waitClosed()).code).toBe(1001);
    expect((await pending.waitClosed()).code).toBe(1001);
    await Promise.all([first, second]);
    await expect(host.close()).resolves.toBeUndefined();
    expect(await connectStatus(host.port)).toBe('ECONNREFUSED');
  });

  it('waits for appends in flight before closing the store', async () => {
    const gated = gatedStore();
    const order: string[] = [];
    const closeStore = gated.store.close.bind(gated.store);
    gated.store.close = async () => {
      order.push('store closed');
      await closeStore();
    };
    const host = await testHost({ store: gated.store });
    const { client } = await V1Client.join(host.port, 'alice');
    gated.hold();
    client.say('last', 'words');
    await until(() => gated.store.lastSeq('general') === 1, 2000, 'the append');
    const closing = host.close().then(() => order.push('host closed'));
    await client.waitClosed();
    expect(order).toEqual([]);
    order.push('append released');
    gated.release();
    await closing;
    expect(order).toEqual(['append released', 'store closed', 'host closed']);
    expect(gated.store.page('general', 2, 1).map((message) => message.id)).toEqual(['last']);
  });

  it('finishes even when a client never answers the closing handshake', async () => {
    const host = await testHost();
    const { client } = await V1Client.join(host.port, 'alice');
    rawSocketOf(client.socket).pause();
    const started = Date.now();
    await host.close();
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('store failure', () => {
  it('closes every socket with 1011, emits error, refuses newcomers and still closes cleanly', async () => {
    const host = await testHost({ store: failingStore(2) });
    const errors: Error[] = [];
    host.on('error', (error) => errors.push(error));
    const { client: alice } = await V1Client.join(host.port, 'alice');
    const { client: bob } = await V1Client.join(host.port, 'bob');
    alice.say('ok', 'stored');
    expect((await alice.next('ack')).seq).toBe(1);
    alice.say('lost', 'the disk is full');
    expect((await alice.waitClosed()).code).toBe(1011);
    expect((await bob.waitClosed()).code).toBe(1011);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/disk full/);
    expect(bob.received('message').map((message) => message.seq)).toEqual([1]);
    expect(alice.received('ack').map((ack) => ack.id)).toEqual(['ok']);
    expect(await connectStatus(host.port)).toBe('http 503');
    await expect(host.close()).resolves.toBeUndefined();
  });

  it('logs the failure when nobody listens for errors', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const host = await testHost({ store: failingStore(1) });
    const { client } = await V1Client.join(host.port, 'alice');
    client.say('lost', 'x');
    expect((await client.waitClosed()).code).toBe(1011);
    expect(logged).toHaveBeenCalledWith(expect.stringMatching(/store failed/), expect.any(Error));
  });
});

describe('robustness', () => {
  it('answers a frame that hits a bug with an error and carries on', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const store = createMemoryStore('Buggy');
    const buggy = delegateStore(store, {
      findBySayId: (peerId: string, sayId: string) => {
        if (sayId === 'boom') throw new Error('bug');
        return store.findBySayId(peerId, sayId);
      },
    });
    const host = await testHost({ store: buggy });
    const { client } = await V1Client.join(host.port, 'alice');
    client.say('boom', 'x');
    expect(await client.next('error')).toMatchObject({ code: 'bad_message', ref: 'boom' });
    expect(logged).toHaveBeenCalled();
    client.say('fine', 'y');
    expect(await client.next('ack')).toEqual({ type: 'ack', id: 'fine', seq: 1 });
  });

  it('survives a burst of hostile frames and keeps serving the others', async () => {
    const host = await testHost({ limits: { rateBurst: 1000 } });
    const { client: alice } = await V1Client.join(host.port, 'alice');
    const { client: mallory } = await V1Client.join(host.port, 'mallory');
    const hostile = [
      '{"type":"say","id":{"toString":1},"text":"x"}',
      '{"__proto__":{"type":"ping"}}',
      '{"type":"history","before":1e400,"limit":5}',
      '{"type":"say","id":"a","text":"x","extra":[1,2,3]}',
      `{"type":"${'t'.repeat(10_000)}"}`,
      '{"type":"hello","name":"x","resume":{"token":5,"lastSeq":"a"}}',
      '\u0000',
    ];
    for (const raw of hostile) mallory.sendRaw(raw);
    mallory.sendRaw(Buffer.alloc(100), true);
    alice.say('normal', 'hello');
    expect((await alice.next('ack')).id).toBe('normal');
    mallory.send({ type: 'ping' });
    await mallory.next('pong');
    expect(mallory.invalid).toEqual([]);
  });
});

describe('host events', () => {
  it('keeps the room working when a joined or left listener throws', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const host = await testHost();
    host.on('joined', () => {
      throw new Error('listener bug');
    });
    host.on('left', () => {
      throw new Error('listener bug');
    });
    const { client: alice } = await V1Client.join(host.port, 'alice');
    const { client: bob } = await V1Client.join(host.port, 'bob');
    bob.close();
    expect((await alice.next('left')).peer.name).toBe('bob');
    alice.say('m', 'still here');
    expect((await alice.next('ack')).seq).toBe(1);
    expect(logged).toHaveBeenCalled();
  });
});
