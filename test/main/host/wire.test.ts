/**
 * wire.ts reads ws's private fields. These tests pin the ws version it was checked against, show
 * that the raw path is really taken on that version (so the fan-out does not silently fall back
 * to one ws.send per client), and that a WebSocket whose internals look different still gets
 * every frame, in order, through ws.send.
 */
import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { Channel, formatV1Error } from '../../../main/host/channel';
import { OutboundFrame } from '../../../main/host/frame-encoding';
import { BroadcastGroup } from '../../../main/host/turn-log';
import { WS_VERSION, wireOf } from '../../../main/host/wire';
import { channelRig } from './helpers/channel-rig';

const installedWs = (createRequire(import.meta.url)('ws/package.json') as { version: string })
  .version;

/** `ws` as a WebSocket from another release would look: the same API, no `_sender`. */
function withoutSender(ws: WebSocket): WebSocket {
  return new Proxy(ws, {
    get(target, key) {
      if (key === '_sender') return undefined;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('the wire under a WebSocket', () => {
  it(`is written against ws ${WS_VERSION}: another version needs wire.ts checked first`, () => {
    expect(installedWs.startsWith(`${WS_VERSION}.`), `ws ${installedWs} is installed`).toBe(true);
  });

  it('writes framed bytes straight to the socket under ws, with its deflate terms', async () => {
    const plain = await (await channelRig()).connect('plain');
    const wire = wireOf(plain.server);
    expect(wire.rawReady).toBe(true);
    expect(wire.variant).toBe('plain');
    const writes = vi.spyOn(plain.rawServer, 'write');
    wire.write(new OutboundFrame('raw').framedFor(undefined)![0]!);
    expect(writes).toHaveBeenCalledTimes(1);
    expect(await plain.saw(1)).toEqual(['raw']);

    const rig = await channelRig({ threshold: 512, serverNoContextTakeover: true });
    const deflating = wireOf((await rig.connect('deflating', { deflate: true })).server);
    expect(deflating.deflate).toMatchObject({ threshold: 512, noContextTakeover: true });
    expect(deflating.variant).toBe('deflate:512:15:shared');
  });

  it('falls back to ws.send when the internals are not as expected, in order all the same', async () => {
    const client = await (await channelRig()).connect('fallback');
    const socket = withoutSender(client.server);
    const wire = wireOf(socket);
    expect(wire.rawReady).toBe(false);
    const sends = vi.spyOn(client.server, 'send');
    const channel = new Channel(socket, {
      maxBacklogBytes: 1024 * 1024,
      formatError: formatV1Error,
    });
    const group = new BroadcastGroup();
    group.add(channel);
    channel.send('own 1');
    group.broadcast(new OutboundFrame('broadcast 1'));
    channel.send('own 2');
    group.broadcast(new OutboundFrame('broadcast 2'));
    expect(await client.saw(4)).toEqual(['own 1', 'broadcast 1', 'own 2', 'broadcast 2']);
    // Each frame its own ws.send: nothing was framed or written past ws.
    expect(sends).toHaveBeenCalledTimes(4);
  });
});
