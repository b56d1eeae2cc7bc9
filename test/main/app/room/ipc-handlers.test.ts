import { describe, expect, it, vi } from 'vitest';
import {
  createIpcHandlers,
  senderInfo,
  type BridgeActions,
  type InvokeEventLike,
} from '../../../../main/app/room/ipc-handlers';
import { createDesktopBridge } from '../../../../main/app/shell/bridge-factory';
import { isTrustedSender } from '../../../../main/app/shell/security-policy';
import {
  bridgeRequests,
  type BridgeRequestName,
  type ConversationView,
  type RoomSummary,
} from '../../../../protocol/bridge';

const rendererUrl = 'file:///app/dist/renderer/index.html';
const WINDOW_ID = 3;
const ourEvent: InvokeEventLike = {
  sender: { id: WINDOW_ID },
  senderFrame: { url: rendererUrl, parent: null },
};

const summary: RoomSummary = {
  room: { id: 'r1', name: 'Lab' },
  self: { id: 'p1', name: 'Ada' },
  peers: [{ id: 'p1', name: 'Ada' }],
  peerCount: 1,
  conversations: [],
  hosting: true,
  addresses: [{ address: '127.0.0.1:7420', interfaceName: 'loopback' }],
};

const crew: ConversationView = {
  id: 'c_crew',
  kind: 'channel',
  name: 'crew',
  member: true,
  lastSeq: 1,
  readSeq: 0,
  unread: 0,
  mentioned: false,
  muted: false,
};

function fakeActions(): BridgeActions & Record<BridgeRequestName, ReturnType<typeof vi.fn>> {
  return {
    host: vi.fn(async () => summary),
    join: vi.fn(async () => summary),
    leave: vi.fn(async () => undefined),
    send: vi.fn(async () => 'say-1'),
    edit: vi.fn(async () => 'edit-1'),
    deleteMessage: vi.fn(async () => 'delete-1'),
    react: vi.fn(async () => 'react-1'),
    search: vi.fn(async () => []),
    setMuted: vi.fn(async () => undefined),
    upload: vi.fn(async () => ({ message: 'm1', transfers: ['t1'] })),
    cancelTransfer: vi.fn(async () => undefined),
    download: vi.fn(async () => 't2'),
    showInFolder: vi.fn(async () => undefined),
    retry: vi.fn(async () => undefined),
    typing: vi.fn(async () => undefined),
    loadOlder: vi.fn(async () => ({ entries: [], more: false })),
    markRead: vi.fn(async () => undefined),
    createChannel: vi.fn(async () => crew),
    joinChannel: vi.fn(async () => crew),
    leaveChannel: vi.fn(async () => undefined),
    openDirect: vi.fn(async () => crew),
    setTopic: vi.fn(async () => undefined),
    renameChannel: vi.fn(async () => undefined),
    morePeers: vi.fn(async () => ({ peers: [], more: false })),
    loadPreferences: vi.fn(async () => ({ name: 'Ada', roomName: 'Lab', address: '', port: 7420 })),
    savePreferences: vi.fn(async () => undefined),
    openExternal: vi.fn(async () => undefined),
    startDiscovery: vi.fn(async () => undefined),
    stopDiscovery: vi.fn(async () => undefined),
    forgetRoom: vi.fn(async () => undefined),
  };
}

function setup(actions = fakeActions()) {
  const log = vi.fn();
  const handlers = createIpcHandlers({
    actions,
    isTrustedSender: (sender) => isTrustedSender(sender, { webContentsId: WINDOW_ID, rendererUrl }),
    log,
  });
  const byChannel = new Map(handlers.map((handler) => [handler.channel, handler]));
  const call = (name: BridgeRequestName, arg: unknown, event: InvokeEventLike = ourEvent) => {
    const handler = byChannel.get(bridgeRequests[name].channel);
    if (!handler) throw new Error(`no handler for ${name}`);
    return handler.handle(event, arg);
  };
  return { handlers, actions, call, log };
}

describe('createIpcHandlers', () => {
  it('has exactly one handler per bridge request, on its channel', () => {
    const channels = setup().handlers.map((handler) => handler.channel);
    expect(channels.sort()).toEqual(
      Object.values(bridgeRequests)
        .map((r) => r.channel)
        .sort(),
    );
  });

  it('passes a valid argument, as parsed by its schema, to the action', async () => {
    const { call, actions } = setup();
    const result = await call('host', { roomName: '  Lab  ', name: 'Ada', port: 0 });
    expect(result).toEqual({ ok: true, value: summary });
    expect(actions.host).toHaveBeenCalledWith({ roomName: 'Lab', name: 'Ada', port: 0 });
    expect(await call('send', { conv: 'general', text: 'hi' })).toEqual({
      ok: true,
      value: 'say-1',
    });
    expect(await call('createChannel', { name: ' crew ' })).toEqual({ ok: true, value: crew });
    expect(actions.createChannel).toHaveBeenCalledWith({ name: 'crew' });
    expect(await call('markRead', { conv: 'general', seq: 4 })).toEqual({
      ok: true,
      value: undefined,
    });
    expect(await call('leave', undefined)).toEqual({ ok: true, value: undefined });
  });

  it.each([
    ['host', { roomName: '', name: 'Ada', port: 7420 }, 'Give the room a name.'],
    ['host', { roomName: 'Lab', name: 'Ada', port: 70000 }, undefined],
    ['host', { roomName: 'Lab', name: 'Ada', port: 1.5 }, undefined],
    ['host', 'Lab', undefined],
    ['join', { address: '   ', name: 'Bob' }, 'Type the address of the room.'],
    ['join', { address: 'x', name: 7 }, undefined],
    ['send', 'hi', undefined],
    ['send', { conv: 'general', text: 42 }, undefined],
    ['send', { conv: 'general', text: 'x'.repeat(100_001) }, undefined],
    ['send', { conv: '', text: 'hi' }, undefined],
    ['send', { conv: 'general', text: 'hi', replyTo: 0 }, undefined],
    ['retry', 'x'.repeat(65), undefined],
    ['loadOlder', { conv: 'general', before: 0 }, undefined],
    ['loadOlder', 5, undefined],
    ['markRead', { conv: 'general', seq: -1 }, undefined],
    ['createChannel', { name: '  ' }, 'Give the channel a name.'],
    ['joinChannel', 'c'.repeat(65), undefined],
    ['leaveChannel', undefined, undefined],
    ['openDirect', '', undefined],
    ['setTopic', { conv: 'c_crew' }, undefined],
    ['renameChannel', { conv: 'c_crew', name: '' }, 'Give the channel a name.'],
    ['morePeers', { after: 5 }, undefined],
    ['leave', 'now', undefined],
    ['typing', {}, undefined],
    ['savePreferences', { name: 'Ada' }, undefined],
    ['openExternal', 'not a url', undefined],
    ['startDiscovery', { now: true }, undefined],
    ['forgetRoom', '', undefined],
    ['forgetRoom', 'r'.repeat(257), undefined],
    ['join', { address: 'x', name: 'Bob', fingerprint: 'AB:CD' }, undefined],
    [
      'savePreferences',
      { name: 'Ada', roomName: '', address: '', port: 1, notifications: 'on' },
      undefined,
    ],
  ] as [BridgeRequestName, unknown, string | undefined][])(
    'rejects %s(%j) with bad_argument and never calls the action',
    async (name, arg, sentence) => {
      const { call, actions } = setup();
      const result = await call(name, arg);
      expect(result).toMatchObject({ ok: false, error: { code: 'bad_argument' } });
      if (sentence && !result.ok) expect(result.error.message).toBe(sentence);
      expect(actions[name]).not.toHaveBeenCalled();
    },
  );

  it.each([
    ['another window', { sender: { id: 9 }, senderFrame: { url: rendererUrl, parent: null } }],
    ['a subframe', { sender: { id: WINDOW_ID }, senderFrame: { url: rendererUrl, parent: {} } }],
    [
      'a page that navigated away',
      { sender: { id: WINDOW_ID }, senderFrame: { url: 'https://evil.example/', parent: null } },
    ],
    ['a destroyed frame', { sender: { id: WINDOW_ID }, senderFrame: null }],
  ] as [string, InvokeEventLike][])('refuses requests from %s', async (_label, event) => {
    const { call, actions, log } = setup();
    expect(await call('send', { conv: 'general', text: 'hi' }, event)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(actions.send).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalled();
  });

  it('passes BridgeErrors through and hides anything else behind internal', async () => {
    const actions = fakeActions();
    actions.join.mockRejectedValueOnce({ code: 'name_taken', message: 'Someone uses that name.' });
    actions.send.mockRejectedValueOnce(
      Object.assign(new Error('EPIPE: broken pipe, write'), { code: 'EPIPE' }),
    );
    const { call, log } = setup(actions);
    expect(await call('join', { address: 'a', name: 'b' })).toEqual({
      ok: false,
      error: { code: 'name_taken', message: 'Someone uses that name.' },
    });
    const hidden = await call('send', { conv: 'general', text: 'hi' });
    expect(hidden).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(hidden)).not.toContain('EPIPE');
    expect(log).toHaveBeenCalledWith('parley: parley:send failed', expect.any(Error));
  });

  it('passes an identity error with its fingerprint, room id and name, and nothing more', async () => {
    const actions = fakeActions();
    const identity = {
      code: 'identity_changed',
      message:
        'WARNING: the identity of room "Lab" (r_lab) has changed, so Parley did not connect.',
      fingerprint: { short: '91C0 7A2E', full: '91:C0:7A:2E' },
      roomName: 'Lab',
      roomId: 'r_lab',
    };
    actions.join.mockRejectedValueOnce({ ...identity, details: { secret: 'x' } });
    const { call } = setup(actions);
    expect(await call('join', { address: 'a', name: 'b' })).toEqual({ ok: false, error: identity });
  });

  it('hands a join its fingerprint in the canonical form, in any spelling', async () => {
    const { call, actions } = setup();
    const bare = 'ab'.repeat(32);
    await call('join', { address: '10.0.0.2', name: 'Bob', fingerprint: bare });
    expect(actions.join).toHaveBeenCalledWith({
      address: '10.0.0.2',
      name: 'Bob',
      fingerprint: Array.from({ length: 32 }, () => 'AB').join(':'),
    });
  });

  it('reads the sender from a real-shaped event', () => {
    expect(senderInfo(ourEvent)).toEqual({
      webContentsId: WINDOW_ID,
      frameUrl: rendererUrl,
      isMainFrame: true,
    });
    expect(senderInfo({ sender: { id: 1 }, senderFrame: null })).toEqual({
      webContentsId: 1,
      frameUrl: undefined,
      isMainFrame: false,
    });
  });
});

describe('bridge and handlers together', () => {
  it('carry values and error codes across a structured-clone boundary like Electron IPC', async () => {
    const actions = fakeActions();
    actions.host.mockRejectedValueOnce({
      code: 'port_in_use',
      message: 'Port 7420 is already in use. Pick another port.',
    });
    const { handlers } = setup(actions);
    const bridge = createDesktopBridge({
      async invoke(channel, arg) {
        const handler = handlers.find((h) => h.channel === channel);
        if (!handler) throw new Error(`No handler registered for '${channel}'`);
        return structuredClone(await handler.handle(ourEvent, structuredClone(arg)));
      },
      on: () => undefined,
      off: () => undefined,
    });

    await expect(bridge.join({ address: '127.0.0.1', name: 'Bob' })).resolves.toEqual(summary);
    await expect(bridge.host({ roomName: 'Lab', name: 'Ada', port: 7420 })).rejects.toEqual({
      code: 'port_in_use',
      message: 'Port 7420 is already in use. Pick another port.',
    });
    await expect(bridge.loadOlder({ conv: 'general', before: 0 })).rejects.toMatchObject({
      code: 'bad_argument',
    });
    expect(actions.loadOlder).not.toHaveBeenCalled();
  });
});
