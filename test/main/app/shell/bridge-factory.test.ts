import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  createDesktopBridge,
  type BridgeTransport,
} from '../../../../main/app/shell/bridge-factory';
import {
  bridgeRequests,
  ROOM_EVENT_CHANNEL,
  type BridgeRequestName,
  type RoomEvent,
} from '../../../../protocol/bridge';

/** ipcRenderer stand-in: records invokes, answers with a scripted result, emits like Electron. */
function fakeTransport(
  answer: (channel: string, arg: unknown) => unknown = () => ({ ok: true, value: 'done' }),
) {
  const calls: { channel: string; arg: unknown }[] = [];
  const events = new EventEmitter();
  const transport: BridgeTransport = {
    async invoke(channel, arg) {
      calls.push({ channel, arg });
      return answer(channel, arg);
    },
    on: (channel, listener) => events.on(channel, listener),
    off: (channel, listener) => events.off(channel, listener),
  };
  const sendFromMain = (payload: unknown) =>
    events.emit(ROOM_EVENT_CHANNEL, { sender: 'the ipcRenderer itself' }, payload);
  return { transport, calls, events, sendFromMain };
}

const sampleArgs: Record<BridgeRequestName, unknown> = {
  host: { roomName: 'Lab', name: 'Ada', port: 0 },
  join: { address: '127.0.0.1:7420', name: 'Bob' },
  leave: undefined,
  send: { conv: 'general', text: 'hello' },
  edit: { conv: 'general', target: 3, text: 'fixed' },
  deleteMessage: { conv: 'general', target: 3 },
  react: { conv: 'general', target: 3, emoji: '👍', on: true },
  search: { q: 'lunch', limit: 5 },
  setMuted: { conv: 'c_design', muted: true },
  // Already in its IPC form (no File objects): the preload passes it on unchanged.
  upload: { conv: 'general', text: 'look', files: [] },
  cancelTransfer: 't-1',
  download: { url: '/api/files/ab/cap/a.png', name: 'a.png', size: 5 },
  showInFolder: 't-1',
  retry: 'say-1',
  typing: 'general',
  loadOlder: { conv: 'general', before: 42 },
  markRead: { conv: 'c_design', seq: 7 },
  createChannel: { name: 'design', topic: 'Pixels' },
  joinChannel: 'c_design',
  leaveChannel: 'c_design',
  openDirect: 'u_bob',
  setTopic: { conv: 'c_design', topic: 'Pixels' },
  renameChannel: { conv: 'c_design', name: 'pixels' },
  morePeers: { after: 'Bob' },
  loadPreferences: undefined,
  savePreferences: { name: 'Ada', roomName: 'Lab', address: '', port: 7420 },
  openExternal: 'https://example.org/',
  startDiscovery: undefined,
  stopDiscovery: undefined,
  forgetRoom: 'r_lab',
};

describe('createDesktopBridge', () => {
  it('is a desktop bridge with one own function per request (contextBridge copies only those)', () => {
    const bridge = createDesktopBridge(fakeTransport().transport);
    expect(bridge.kind).toBe('desktop');
    for (const name of [...Object.keys(bridgeRequests), 'subscribe']) {
      expect(Object.getOwnPropertyDescriptor(bridge, name)?.value).toBeTypeOf('function');
    }
    expect(Object.keys(bridge)).not.toContain('invoke');
  });

  it.each(Object.keys(bridgeRequests) as BridgeRequestName[])(
    'sends %s on its own channel with its argument and resolves with the value',
    async (name) => {
      const { transport, calls } = fakeTransport((channel) => ({ ok: true, value: channel }));
      const bridge = createDesktopBridge(transport);
      const method = bridge[name] as (arg?: unknown) => Promise<unknown>;
      await expect(method(sampleArgs[name])).resolves.toBe(bridgeRequests[name].channel);
      expect(calls).toEqual([{ channel: bridgeRequests[name].channel, arg: sampleArgs[name] }]);
    },
  );

  it('hands main the path of each file on disk, and the bytes of one without (pasted)', async () => {
    const { transport, calls } = fakeTransport(() => ({
      ok: true,
      value: { message: 'm1', transfers: ['t1', 't2'] },
    }));
    const onDisk = new File(['ignored'], 'report.pdf');
    const pasted = new File([new Uint8Array([1, 2, 3])], '');
    const bridge = createDesktopBridge(transport, (file) =>
      file === onDisk ? '/home/ada/report.pdf' : '',
    );
    await expect(
      bridge.upload({ conv: 'c_design', text: 'two', replyTo: 4, files: [onDisk, pasted] }),
    ).resolves.toEqual({ message: 'm1', transfers: ['t1', 't2'] });
    expect(calls).toEqual([
      {
        channel: bridgeRequests.upload.channel,
        arg: {
          conv: 'c_design',
          text: 'two',
          replyTo: 4,
          files: [
            { path: '/home/ada/report.pdf' },
            { name: 'pasted', bytes: new Uint8Array([1, 2, 3]) },
          ],
        },
      },
    ]);
  });

  it('rejects with the code and sentence main answered, as a plain object', async () => {
    const { transport } = fakeTransport(() => ({
      ok: false,
      error: { code: 'auth_failed', message: 'Wrong password for this room.' },
    }));
    const failure = await createDesktopBridge(transport)
      .join({ address: 'x', name: 'y' })
      .catch((error: unknown) => error);
    expect(failure).toEqual({ code: 'auth_failed', message: 'Wrong password for this room.' });
    expect(failure).not.toBeInstanceOf(Error);
  });

  it('keeps what an identity error carries for the window to ask or warn, and nothing else', async () => {
    const fingerprint = { short: '4FE2 DDDA', full: '4F:E2:DD:DA' };
    const { transport } = fakeTransport(() => ({
      ok: false,
      error: {
        code: 'confirm_identity',
        message: 'Parley has not seen room "Lab" (r_lab) before.',
        fingerprint,
        roomName: 'Lab',
        roomId: 'r_lab',
        stack: 'Error: at somewhere',
      },
    }));
    const failure = await createDesktopBridge(transport)
      .join({ address: 'x', name: 'y' })
      .catch((error: unknown) => error);
    expect(failure).toEqual({
      code: 'confirm_identity',
      message: 'Parley has not seen room "Lab" (r_lab) before.',
      fingerprint,
      roomName: 'Lab',
      roomId: 'r_lab',
    });
  });

  it('turns a broken IPC into ipc_failed and a malformed answer into internal', async () => {
    const broken = createDesktopBridge({
      ...fakeTransport().transport,
      invoke: () => Promise.reject(new Error("No handler registered for 'parley:send'")),
    });
    const hi = { conv: 'general', text: 'hi' };
    await expect(broken.send(hi)).rejects.toMatchObject({ code: 'ipc_failed' });
    const odd = createDesktopBridge(fakeTransport(() => 'surprise').transport);
    await expect(odd.send(hi)).rejects.toMatchObject({ code: 'internal' });
  });

  it('delivers room events without the IPC event, until unsubscribed', () => {
    const { transport, events, sendFromMain } = fakeTransport();
    const bridge = createDesktopBridge(transport);
    const seen: RoomEvent[][] = [[], []];
    const stopFirst = bridge.subscribe((event) => seen[0]?.push(event));
    bridge.subscribe((event) => seen[1]?.push(event));
    const typing: RoomEvent = { type: 'typing', conv: 'general', peer: { id: 'p1', name: 'Ada' } };

    sendFromMain(typing);
    stopFirst();
    stopFirst();
    sendFromMain({ type: 'gap', conv: 'general' });

    expect(seen[0]).toEqual([typing]);
    expect(seen[1]).toEqual([typing, { type: 'gap', conv: 'general' }]);
    expect(events.listenerCount(ROOM_EVENT_CHANNEL)).toBe(1);
  });

  it('ignores payloads on the event channel that are not room events', () => {
    const { transport, sendFromMain } = fakeTransport();
    const seen: unknown[] = [];
    createDesktopBridge(transport).subscribe((event) => seen.push(event));
    sendFromMain(undefined);
    sendFromMain('text');
    sendFromMain({ kind: 'no type' });
    expect(seen).toEqual([]);
  });
});
