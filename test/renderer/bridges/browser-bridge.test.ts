/**
 * The browser bridge under Node, against a real host: `ws` stands in for the browser's
 * WebSocket and Maps for Web Storage. (The e2e test runs it in Chromium.)
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ParleyBridge, RoomEvent } from '../../../protocol/bridge';
import { ERROR_SENTENCES } from '../../../protocol/wire/codes';
import { DEFAULT_LIMITS } from '../../../protocol/wire/limits';
import { startHost } from '../../../main/host/server';
import type { ParleyHost } from '../../../main/host/types';
import { createBrowserBridge } from '../../../renderer/bridges/browser-bridge';
import type { BrowserBridgeOptions } from '../../../renderer/bridges/browser-bridge';
import { SESSION_KEY } from '../../../renderer/bridges/browser-storage';
import { memoryStorage } from '../helpers/memory-storage';

const NodeWebSocket = WebSocket;

/** Collects a bridge's events and waits for one that matches. */
function recorder(bridge: ParleyBridge) {
  const events: RoomEvent[] = [];
  const waiters = new Set<() => void>();
  const unsubscribe = bridge.subscribe((event) => {
    events.push(event);
    for (const check of [...waiters]) check();
  });
  return {
    events,
    unsubscribe,
    next<T extends RoomEvent>(
      match: (event: RoomEvent) => event is T,
      what: string,
      ms = 5000,
    ): Promise<T> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${what}`));
        }, ms);
        const check = () => {
          const found = events.find(match);
          if (!found) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        waiters.add(check);
        check();
      });
    },
  };
}

const isSummary = (event: RoomEvent): event is Extract<RoomEvent, { type: 'summary' }> =>
  event.type === 'summary';
const isMessage =
  (text: string) =>
  (event: RoomEvent): event is Extract<RoomEvent, { type: 'message' }> =>
    event.type === 'message' && event.message.text === text;

describe('browser bridge', () => {
  let host: ParleyHost;
  let locked: ParleyHost;
  const bridges: ParleyBridge[] = [];

  beforeAll(async () => {
    [host, locked] = await Promise.all([
      startHost({ port: 0, host: '127.0.0.1', roomName: 'Lab' }),
      startHost({ port: 0, host: '127.0.0.1', roomName: 'Locked', password: 'sesame' }),
    ]);
  });

  afterEach(async () => {
    for (const bridge of bridges.splice(0)) await bridge.leave();
  });

  afterAll(async () => {
    await host.close();
    await locked.close();
  });

  function bridgeFor(
    target: ParleyHost,
    options: Partial<BrowserBridgeOptions> = {},
  ): ParleyBridge {
    const bridge = createBrowserBridge({
      url: `ws://127.0.0.1:${target.port}/ws`,
      WebSocket: NodeWebSocket,
      preferences: memoryStorage(),
      sessions: memoryStorage(),
      ...options,
    });
    bridges.push(bridge);
    return bridge;
  }

  it('joins as a guest: the summary has no addresses and the session is kept for a reload', async () => {
    const sessions = memoryStorage();
    const bridge = bridgeFor(host, { sessions });
    const events = recorder(bridge);
    const summary = await bridge.join({ address: 'ignored', name: '  Ada  ' });
    expect(summary).toMatchObject({
      room: { name: 'Lab' },
      self: { name: 'Ada' },
      hosting: false,
      addresses: [],
    });
    expect(summary.peers.map((peer) => peer.name)).toContain('Ada');
    await events.next(isSummary, 'summary event');
    expect(events.events.some((event) => event.type === 'state' && event.state === 'open')).toBe(
      true,
    );

    const stored = JSON.parse(sessions.map.get(SESSION_KEY) ?? '{}') as Record<string, unknown>;
    expect(stored).toMatchObject({ name: 'Ada', roomId: summary.room.id });
    expect(typeof stored.token).toBe('string');

    const id = await bridge.send('hello from Node');
    expect(typeof id).toBe('string');
    const echoed = await events.next(isMessage('hello from Node'), 'own message');
    expect(echoed.message.id).toBe(id);
    await expect
      .poll(() => JSON.parse(sessions.map.get(SESSION_KEY) ?? '{}').lastSeq)
      .toBe(echoed.message.seq);
  });

  it('refuses a wrong password with the protocol sentence and keeps nothing', async () => {
    const sessions = memoryStorage();
    const bridge = bridgeFor(locked, { sessions });
    const events = recorder(bridge);
    await expect(
      bridge.join({ address: 'x', name: 'Eve', password: 'nope' }),
    ).rejects.toMatchObject({
      code: 'auth_failed',
      message: ERROR_SENTENCES.auth_failed,
    });
    expect(sessions.map.has(SESSION_KEY)).toBe(false);
    // The rejection is the answer; the app is not also told the room ended.
    expect(events.events.filter((event) => event.type === 'ended')).toEqual([]);
    await expect(
      bridge.join({ address: 'x', name: 'Eve', password: 'sesame' }),
    ).resolves.toMatchObject({
      room: { name: 'Locked' },
    });
  });

  it('says in a sentence why a guest cannot host, or send outside a room, or join with a bad name', async () => {
    const bridge = bridgeFor(host);
    await expect(bridge.host({ roomName: 'x', name: 'y', port: 1 })).rejects.toMatchObject({
      code: 'not_supported',
      message: expect.stringMatching(/^A browser guest cannot host a room\./),
    });
    await expect(bridge.send('hi')).rejects.toMatchObject({
      code: 'not_connected',
      message: 'You are not in a room right now.',
    });
    await expect(bridge.loadOlder(5)).rejects.toMatchObject({ code: 'not_connected' });
    await expect(bridge.join({ address: 'x', name: '   ' })).rejects.toMatchObject({
      code: 'bad_name',
      message: ERROR_SENTENCES.bad_name,
    });
    await expect(bridge.openExternal('javascript:alert(1)')).rejects.toMatchObject({
      code: 'bad_request',
    });
  });

  it('words host errors with the shared sentences, as the desktop does', async () => {
    const bridge = bridgeFor(host);
    const events = recorder(bridge);
    await bridge.join({ address: 'x', name: 'Wordy' });
    await bridge.send('x'.repeat(DEFAULT_LIMITS.maxTextLength + 1));
    const error = await events.next(
      (event): event is Extract<RoomEvent, { type: 'error' }> => event.type === 'error',
      'error event',
    );
    expect(error).toEqual({ type: 'error', code: 'too_long', message: ERROR_SENTENCES.too_long });
    await events.next(
      (event): event is Extract<RoomEvent, { type: 'outbox' }> =>
        event.type === 'outbox' && event.outbox.some((entry) => entry.state === 'failed'),
      'failed outbox',
    );
    await expect(bridge.retry('no-such-id')).rejects.toMatchObject({
      code: 'unknown_message',
      message: 'That message is no longer waiting to be sent.',
    });
  });

  it('resumes a stored session after a reload as the same peer, with recent messages again', async () => {
    const sessions = memoryStorage();
    const first = bridgeFor(host, { sessions });
    const firstEvents = recorder(first);
    const summary = await first.join({ address: 'x', name: 'Reloader' });
    await first.send('before the reload');
    await firstEvents.next(isMessage('before the reload'), 'message before reload');
    firstEvents.unsubscribe();

    // A reloaded page: a new bridge over the same sessionStorage. Subscribing resumes.
    const second = bridgeFor(host, { sessions });
    const secondEvents = recorder(second);
    const resumed = await secondEvents.next(isSummary, 'resumed summary');
    expect(resumed.summary.self).toEqual(summary.self);
    await secondEvents.next(isMessage('before the reload'), 'message replayed after reload');
    await expect(second.send('after the reload')).resolves.toEqual(expect.any(String));
    await secondEvents.next(isMessage('after the reload'), 'message after reload');

    // Leaving forgets it: a third page starts at the form.
    await second.leave();
    expect(sessions.map.has(SESSION_KEY)).toBe(false);
  });

  it('loads older messages a page at a time', async () => {
    const bridge = bridgeFor(host, { historyPageSize: 2 });
    const events = recorder(bridge);
    await bridge.join({ address: 'x', name: 'Pager' });
    for (const text of ['p1', 'p2', 'p3']) {
      await bridge.send(text);
      await events.next(isMessage(text), text);
    }
    const last = events.events.filter((event) => event.type === 'message').at(-1);
    if (last?.type !== 'message') throw new Error('no message');
    const page = await bridge.loadOlder(last.message.seq);
    expect(page.messages.map((message) => message.text)).toEqual(['p1', 'p2']);
    expect(page.more).toBe(true);
  });

  it('remembers preferences and opens only web links', async () => {
    const opened: string[] = [];
    const preferences = memoryStorage();
    const bridge = bridgeFor(host, { preferences, openWindow: (url) => opened.push(url) });
    expect(await bridge.loadPreferences()).toEqual({
      name: '',
      roomName: '',
      address: '',
      port: 7420,
    });
    await bridge.savePreferences({ name: 'Ada', roomName: '', address: '', port: 7420 });
    expect((await bridge.loadPreferences()).name).toBe('Ada');
    await bridge.openExternal('https://example.com/a');
    expect(opened).toEqual(['https://example.com/a']);
  });
});
