/**
 * The browser bridge under Node against a scripted host (test/protocol/client/support): `ws`
 * stands in for the browser's WebSocket and Maps for Web Storage. What the guest sends (its
 * identity), what it keeps (identity per origin, the session per tab) and what it refuses.
 * Against the real host: browser-bridge.v2-host.test.ts; in Chromium: the guest page e2e test.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ParleyBridge } from '../../../protocol/bridge';
import { ERROR_SENTENCES } from '../../../protocol/wire/codes';
import { identitySchema } from '../../../protocol/wire/identity';
import * as v from 'valibot';
import { createBrowserBridge } from '../../../renderer/bridges/browser-bridge';
import type { BrowserBridgeOptions } from '../../../renderer/bridges/browser-bridge';
import { IDENTITY_KEY, SESSION_KEY } from '../../../renderer/bridges/browser-storage';
import { memoryStorage } from '../helpers/memory-storage';
import {
  ALICE,
  catchup,
  conversation,
  startScriptedHost,
  text,
  welcome,
  type ScriptedHost,
} from '../../protocol/client/support/scripted-host';
import { isSummary, isText, recorder } from './support/bridge-events';

let host: ScriptedHost;
const bridges: ParleyBridge[] = [];

beforeEach(async () => {
  host = await startScriptedHost();
});

afterEach(async () => {
  for (const bridge of bridges.splice(0)) await bridge.leave();
  await host.close();
});

function bridgeFor(options: Partial<BrowserBridgeOptions> = {}): ParleyBridge {
  const bridge = createBrowserBridge({
    url: host.url,
    WebSocket: WebSocket,
    preferences: memoryStorage(),
    sessions: memoryStorage(),
    ...options,
  });
  bridges.push(bridge);
  return bridge;
}

/** Joins through the bridge, answering its hello with a welcome; returns the hello and connection. */
async function join(bridge: ParleyBridge, name = 'alice', welcomeFields = {}) {
  const joining = bridge.join({ address: 'ignored', name });
  const connection = await host.nextConnection();
  const hello = await connection.next('hello');
  connection.send(welcome(welcomeFields));
  return { summary: await joining, connection, hello };
}

describe('browser bridge: the guest’s identity', () => {
  it('makes a secret for this origin once, keeps it in local storage and sends it as is', async () => {
    const preferences = memoryStorage();
    const first = await join(bridgeFor({ preferences }));
    const kept = JSON.parse(preferences.map.get(IDENTITY_KEY) ?? 'null') as unknown;
    expect(v.is(identitySchema, kept)).toBe(true);
    expect(first.hello.identity).toBe(kept);

    // A returning guest (a new page, the same origin's storage) is the same person.
    const second = await join(bridgeFor({ preferences, sessions: memoryStorage() }));
    expect(second.hello.identity).toBe(kept);
    // Another browser (other storage) is someone else.
    const stranger = await join(bridgeFor());
    expect(stranger.hello.identity).not.toBe(kept);
  });

  it('keeps the identity in a storage of its own when given one', async () => {
    const preferences = memoryStorage();
    const identities = memoryStorage();
    const { hello } = await join(bridgeFor({ preferences, identities }));
    expect(preferences.map.has(IDENTITY_KEY)).toBe(false);
    expect(JSON.parse(identities.map.get(IDENTITY_KEY) ?? 'null')).toBe(hello.identity);
  });

  it('still joins, with a fresh identity each time, when storage refuses to keep anything', async () => {
    const refusing = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => undefined,
    };
    const { hello, summary } = await join(bridgeFor({ preferences: refusing }));
    expect(v.is(identitySchema, hello.identity)).toBe(true);
    expect(summary.self).toEqual(ALICE);
  });
});

describe('browser bridge: the session kept for a reload', () => {
  it('keeps the token and each conversation’s cursor, and a reload resumes a little before them', async () => {
    const sessions = memoryStorage();
    const preferences = memoryStorage();
    const first = bridgeFor({ sessions, preferences, reloadBacklog: 10 });
    const events = recorder(first);
    const crew = conversation('c_crew', { name: 'crew', lastSeq: 4 });
    const { connection, hello, summary } = await join(first, 'alice', {
      conversations: [conversation('general', { lastSeq: 30 }), crew],
    });
    expect(summary.conversations.map((view) => view.id)).toEqual(['general', 'c_crew']);
    connection.send(catchup('general', [text(29, 'a'), text(30, 'last in general')]));
    connection.send(catchup('c_crew', [text(4, 'last in crew', { conv: 'c_crew' })]));
    await events.next(isText('last in crew'), 'the crew catchup');
    expect(JSON.parse(sessions.map.get(SESSION_KEY) ?? '{}')).toEqual({
      name: 'alice',
      token: 'token-1',
      roomId: 'room-1',
      cursors: { general: 30, c_crew: 4 },
    });
    events.unsubscribe();

    // A reloaded page: a new bridge over the same storage; subscribing resumes.
    const second = bridgeFor({ sessions, preferences, reloadBacklog: 10 });
    const resumed = recorder(second);
    const again = await host.nextConnection();
    const rehello = await again.next('hello');
    expect(rehello).toEqual({
      type: 'hello',
      name: 'alice',
      identity: hello.identity,
      resume: { token: 'token-1', cursors: { general: 20, c_crew: 0 } },
    });
    again.send(welcome({ conversations: [conversation('general', { lastSeq: 30 }), crew] }));
    again.send(catchup('general', [text(30, 'last in general')]));
    await resumed.next(isSummary, 'the resumed summary');
    await resumed.next(isText('last in general'), 'the entries again');
  });

  it('keeps unsent messages across a reload and sends them again under the same ids', async () => {
    const sessions = memoryStorage();
    const preferences = memoryStorage();
    const first = bridgeFor({ sessions, preferences });
    const { connection } = await join(first, 'alice', {
      conversations: [conversation('general', { lastSeq: 0 })],
    });
    connection.send(catchup('general', []));
    await first.send({ conv: 'general', text: 'not acked before the reload' });
    const sent = await connection.next('say');
    expect(JSON.parse(sessions.map.get(SESSION_KEY) ?? '{}').outbox).toEqual([
      { type: 'say', id: sent.id, conv: 'general', text: 'not acked before the reload' },
    ]);

    // The tab reloads before the host answered: the new page sends the same post again.
    const second = bridgeFor({ sessions, preferences });
    const resumed = recorder(second);
    const again = await host.nextConnection();
    await again.next('hello');
    again.send(welcome({ conversations: [conversation('general', { lastSeq: 0 })] }));
    again.send(catchup('general', []));
    const resent = await again.next('say');
    expect(resent).toEqual(sent);
    await resumed.next(isSummary, 'the resumed summary');

    // Once acked it is no longer kept.
    again.send({ type: 'ack', id: sent.id, conv: 'general', seq: 1 });
    again.send({
      type: 'message',
      ...text(1, 'not acked before the reload', { id: String(sent.id), from: ALICE }),
    });
    await expect
      .poll(() => JSON.parse(sessions.map.get(SESSION_KEY) ?? '{}').outbox)
      .toBeUndefined();
  });

  it('keeps a name changed from another device, so a reload does not change it back', async () => {
    const sessions = memoryStorage();
    const bridge = bridgeFor({ sessions });
    const events = recorder(bridge);
    const { connection } = await join(bridge);
    connection.send({ type: 'peer', peer: { ...ALICE, name: 'ally' } });
    const renamed = await events.next(
      (event): event is Extract<typeof event, { type: 'summary' }> =>
        event.type === 'summary' && event.summary.self.name === 'ally',
      'a summary with the new name',
    );
    expect(renamed.summary.self).toEqual({ ...ALICE, name: 'ally' });
    expect(JSON.parse(sessions.map.get(SESSION_KEY) ?? '{}')).toMatchObject({ name: 'ally' });
  });

  it('forgets the session on leaving, and keeps nothing after a refused join', async () => {
    const sessions = memoryStorage();
    const bridge = bridgeFor({ sessions });
    await join(bridge);
    expect(sessions.map.has(SESSION_KEY)).toBe(true);
    await bridge.leave();
    expect(sessions.map.has(SESSION_KEY)).toBe(false);

    const joining = bridge.join({ address: 'x', name: 'alice', password: 'nope' });
    const connection = await host.nextConnection();
    await connection.next('hello');
    connection.send({ type: 'error', code: 'auth_failed', message: 'no' });
    connection.socket.close(4003);
    await expect(joining).rejects.toMatchObject({
      code: 'auth_failed',
      message: ERROR_SENTENCES.auth_failed,
    });
    expect(sessions.map.has(SESSION_KEY)).toBe(false);
  });
});

describe('browser bridge: requests', () => {
  it('says in a sentence why a guest cannot host, or send outside a room, or join with a bad name', async () => {
    const bridge = bridgeFor();
    await expect(bridge.host({ roomName: 'x', name: 'y', port: 1 })).rejects.toMatchObject({
      code: 'not_supported',
      message: expect.stringMatching(/^A browser guest cannot host a room\./),
    });
    await expect(bridge.send({ conv: 'general', text: 'hi' })).rejects.toMatchObject({
      code: 'not_connected',
      message: 'You are not in a room right now.',
    });
    await expect(bridge.loadOlder({ conv: 'general', before: 5 })).rejects.toMatchObject({
      code: 'not_connected',
    });
    await expect(bridge.joinChannel('c_crew')).rejects.toMatchObject({ code: 'not_connected' });
    await expect(bridge.join({ address: 'x', name: '   ' })).rejects.toMatchObject({
      code: 'bad_name',
      message: ERROR_SENTENCES.bad_name,
    });
    await expect(bridge.openExternal('javascript:alert(1)')).rejects.toMatchObject({
      code: 'bad_request',
    });
  });

  it('answers channel requests through the shared session requests', async () => {
    const bridge = bridgeFor();
    const { connection } = await join(bridge);
    const opening = bridge.openDirect('u_bob');
    await connection.next('open_direct');
    connection.send({ type: 'error', code: 'no_identity', message: 'ephemeral' });
    await expect(opening).rejects.toMatchObject({
      code: 'no_identity',
      message: ERROR_SENTENCES.no_identity,
    });
    await expect(bridge.markRead({ conv: 'general', seq: 0 })).resolves.toBeUndefined();
  });

  it('remembers preferences and opens only web links', async () => {
    const opened: string[] = [];
    const preferences = memoryStorage();
    const bridge = bridgeFor({ preferences, openWindow: (url) => opened.push(url) });
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
