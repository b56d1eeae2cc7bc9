/**
 * The client session against the real host (startHost), with a TCP relay in between where a test
 * needs the network to fail: connections cut mid-stream, acks lost, a host gone silent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ClientSession } from '../../../protocol/client/client-session';
import type { ClientSessionOptions } from '../../../protocol/client/client-types';
import { ERROR_SENTENCES } from '../../../protocol/wire/codes';
import type { Limits } from '../../../protocol/wire/limits';
import { startHost } from '../../../main/host/server';
import type { ParleyHost } from '../../../main/host/types';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy';
import { collectMessages, nextEvent } from '../../support/session-events';
import { until, withTimeout } from '../../support/wait';

const cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Generous rates unless a test is about rate limiting: the point here is delivery. */
const FAST: Partial<Limits> = { rateBurst: 10_000, ratePerSecond: 10_000 };

async function host(options: { port?: number; password?: string; limits?: Partial<Limits> } = {}) {
  const started = await startHost({
    host: '127.0.0.1',
    port: options.port ?? 0,
    ...(options.password !== undefined && { password: options.password }),
    limits: { ...FAST, ...options.limits },
  });
  cleanups.push(() => started.close());
  return started;
}

async function proxyTo(target: ParleyHost): Promise<TcpProxy> {
  const proxy = await startTcpProxy(target.port);
  cleanups.push(() => proxy.close());
  return proxy;
}

function session(url: string, name: string, options: Partial<ClientSessionOptions> = {}) {
  const created = new ClientSession({
    url,
    name,
    WebSocket: WebSocket,
    backoff: { initialMs: 20, maxMs: 200 },
    ...options,
  });
  cleanups.push(() => created.close());
  return created;
}

const urlOf = (target: ParleyHost) => `ws://127.0.0.1:${target.port}/ws`;

describe('ClientSession against the real host', () => {
  it('joins, sends, gets the ack and its own message once, and others see it', async () => {
    const room = await host();
    const alice = session(urlOf(room), 'alice');
    const bob = session(urlOf(room), 'bob');
    const aliceWelcome = await alice.connect();
    await bob.connect();
    expect(aliceWelcome.room).toEqual(room.room);
    await until(() => alice.peers.length === 2, 2000, 'alice to see bob');

    const seenByAlice = collectMessages(alice);
    const seenByBob = collectMessages(bob);
    const ack = nextEvent(alice, 'ack');
    const sent = alice.send('hello bob');
    expect((await ack)[0]).toEqual({ id: sent.id, seq: 1 });
    await withTimeout(alice.whenSettled(), 2000, 'alice settled');
    await until(
      () => seenByBob.texts.length === 1 && seenByAlice.texts.length === 1,
      2000,
      'delivery',
    );
    expect(seenByAlice.texts).toEqual(['hello bob']);
    expect(seenByBob.texts).toEqual(['hello bob']);
    expect(alice.outbox).toEqual([]);
  });

  it('gives a newcomer the recent history, and older pages on request', async () => {
    const room = await host({ limits: { historyOnJoin: 10 } });
    const writer = session(urlOf(room), 'writer');
    await writer.connect();
    for (let i = 1; i <= 25; i++) writer.send(`line ${i}`);
    await withTimeout(writer.whenSettled(), 5000, 'all 25 stored');

    const reader = session(urlOf(room), 'reader');
    const seen = collectMessages(reader);
    const welcome = await reader.connect();
    expect(welcome.lastSeq).toBe(25);
    expect(seen.seqs).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);

    const page = await reader.loadOlder(16, 10);
    expect(page.messages.map((message) => message.seq)).toEqual([
      6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
    ]);
    expect(page.more).toBe(true);
    const last = await reader.loadOlder(6);
    expect(last.messages.map((message) => message.text)).toEqual([
      'line 1',
      'line 2',
      'line 3',
      'line 4',
      'line 5',
    ]);
    expect(last.more).toBe(false);
  });

  it('delivers every message exactly once and in order across cut connections', async () => {
    const room = await host();
    const proxy = await proxyTo(room);
    const writer = session(proxy.url(), 'writer');
    const reader = session(proxy.url(), 'reader');
    await writer.connect();
    await reader.connect();
    const seen = collectMessages(reader);
    const readerId = reader.self?.id;

    const total = 60;
    for (let i = 1; i <= total; i++) {
      writer.send(`m${i}`);
      // Cut both connections twice while the stream is under way.
      if (i === 20 || i === 40) {
        await until(() => seen.texts.length >= i - 10, 5000, 'part of the stream');
        proxy.cutAll();
      }
    }
    await withTimeout(writer.whenSettled(), 10_000, 'every message acknowledged');
    await until(() => seen.texts.length >= total, 10_000, 'every message delivered');
    expect(seen.texts).toEqual(Array.from({ length: total }, (_, i) => `m${i + 1}`));
    expect(seen.seqs).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(reader.self?.id).toBe(readerId);
    expect(proxy.accepted).toBeGreaterThanOrEqual(6);
  });

  it('re-sends a message whose frame was lost, and it is stored once', async () => {
    const room = await host();
    const proxy = await proxyTo(room);
    const writer = session(proxy.url(), 'writer');
    const watcher = session(urlOf(room), 'watcher');
    await writer.connect();
    await watcher.connect();
    const seen = collectMessages(watcher);

    proxy.mode = 'drop-upstream';
    const sent = writer.send('lost on the way');
    await until(() => proxy.dropped.upstream > 0, 2000, 'the say frame to be swallowed');
    proxy.mode = 'pass';
    proxy.cutAll();
    await withTimeout(writer.whenSettled(), 5000, 'the re-sent message acknowledged');
    await until(() => seen.texts.length === 1, 2000, 'the watcher to see it');
    expect(seen.texts).toEqual(['lost on the way']);
    expect(writer.outbox).toEqual([]);
    expect(sent.state).toBe('pending');
  });

  it('does not duplicate a message whose ack was lost', async () => {
    const room = await host();
    const proxy = await proxyTo(room);
    const writer = session(proxy.url(), 'writer');
    const watcher = session(urlOf(room), 'watcher');
    await writer.connect();
    await watcher.connect();
    const seen = collectMessages(watcher);
    const own = collectMessages(writer);

    proxy.mode = 'drop-downstream';
    writer.send('stored, ack lost');
    await until(() => seen.texts.length === 1, 2000, 'the host to store it');
    proxy.mode = 'pass';
    proxy.cutAll();
    await withTimeout(writer.whenSettled(), 5000, 'the writer to learn it was stored');
    writer.send('next');
    await until(() => seen.texts.length === 2 && own.texts.length === 2, 5000, 'the next one');
    expect(seen.texts).toEqual(['stored, ack lost', 'next']);
    expect(own.texts).toEqual(['stored, ack lost', 'next']);
  });

  it('resumes with the same peer id and tells the others it left and came back', async () => {
    const room = await host();
    const proxy = await proxyTo(room);
    const roamer = session(proxy.url(), 'roamer');
    const stayer = session(urlOf(room), 'stayer');
    await roamer.connect();
    await stayer.connect();
    const id = roamer.self?.id;
    const left = nextEvent(stayer, 'left', (peer) => peer.id === id);
    const back = nextEvent(roamer, 'state', (state) => state === 'open');
    proxy.cutAll();
    await left;
    await back;
    expect(roamer.self).toEqual({ id, name: 'roamer' });
    await until(() => stayer.peers.some((peer) => peer.id === id), 2000, 'the roamer back');
  });

  it('sees a different room after the host restarts without its history, and starts afresh', async () => {
    const first = await host();
    const port = first.port;
    const client = session(urlOf(first), 'client');
    await client.connect();
    client.send('in the first room');
    await withTimeout(client.whenSettled(), 2000, 'stored');
    const changed = nextEvent(client, 'roomChanged', () => true, 10_000);
    await first.close();

    const second = await host({ port });
    const [change] = await changed;
    expect(change.previous.id).toBe(first.room.id);
    expect(change.current.id).toBe(second.room.id);
    expect(client.lastSeq).toBe(0);
    const seen = collectMessages(client);
    client.send('in the second room');
    await until(() => seen.seqs.length === 1, 5000, 'the first message of the new room');
    expect(seen.seqs).toEqual([1]);
  });

  it('refuses a wrong password and a taken name with their sentences', async () => {
    const room = await host({ password: 'letmein' });
    const wrong = session(urlOf(room), 'eve', { password: 'guess' });
    await expect(wrong.connect()).rejects.toMatchObject({
      code: 'auth_failed',
      message: ERROR_SENTENCES.auth_failed,
    });
    const first = session(urlOf(room), 'Sam', { password: 'letmein' });
    await first.connect();
    const second = session(urlOf(room), 'sam', { password: 'letmein' });
    await expect(second.connect()).rejects.toMatchObject({ code: 'name_taken' });
    const unnamed = session(urlOf(room), '  ', { password: 'letmein' });
    await expect(unnamed.connect()).rejects.toMatchObject({ code: 'bad_name' });
  });

  it('ends the old session with "replaced" when its token is resumed elsewhere, for good', async () => {
    const room = await host();
    const original = session(urlOf(room), 'twin');
    await original.connect();
    const snapshot = original.snapshot();
    const originalId = original.self?.id;
    expect(snapshot).toBeDefined();
    const ended = nextEvent(original, 'ended');
    const takeover = session(urlOf(room), 'twin', { resume: snapshot! });
    await takeover.connect();
    expect((await ended)[0]).toEqual({ code: 'replaced', message: ERROR_SENTENCES.replaced });
    expect(takeover.self?.id).toBe(originalId);
    expect(original.state).toBe('closed');
    await until(() => room.peers().length === 1, 2000, 'one twin left');
  });

  it('notices a host that went silent, drops the socket and resumes', async () => {
    const room = await host();
    const proxy = await proxyTo(room);
    const client = session(proxy.url(), 'watchful', { heartbeatIntervalMs: 100 });
    await client.connect();
    const id = client.self?.id;
    proxy.mode = 'drop-both';
    await nextEvent(client, 'state', (state) => state === 'reconnecting', 5000);
    proxy.mode = 'pass';
    await nextEvent(client, 'state', (state) => state === 'open', 5000);
    expect(client.self?.id).toBe(id);
  });

  it('fails a message the host closed the connection over (1009) and carries on', async () => {
    const room = await host({ limits: { maxPayloadBytes: 2000, maxTextLength: 100_000 } });
    const writer = session(urlOf(room), 'big');
    await writer.connect();
    const big = writer.send('x'.repeat(3000));
    await nextEvent(writer, 'state', (state) => state === 'reconnecting');
    await nextEvent(writer, 'state', (state) => state === 'open');
    expect(writer.outbox).toEqual([{ ...big, state: 'failed', error: 'too_long' }]);
    const seen = collectMessages(writer);
    writer.send('small');
    await until(() => seen.texts.length === 1, 2000, 'the small one');
    expect(seen.texts).toEqual(['small']);
  });

  it('gets every message of a burst through a strict rate limit, in order', async () => {
    const room = await host({ limits: { rateBurst: 3, ratePerSecond: 20 } });
    const writer = session(urlOf(room), 'burst');
    const seen = collectMessages(writer);
    await writer.connect();
    const count = 12;
    for (let i = 1; i <= count; i++) writer.send(`b${i}`);
    await withTimeout(writer.whenSettled(), 15_000, 'the whole burst');
    await until(() => seen.texts.length === count, 2000, 'every message back');
    expect(seen.texts).toEqual(Array.from({ length: count }, (_, i) => `b${i + 1}`));
    expect(seen.seqs).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    expect(writer.outbox).toEqual([]);
  });
});
