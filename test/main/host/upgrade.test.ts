import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { chooseSubprotocol } from '../../../main/host/upgrade';
import { V1Client } from './helpers/clients';
import { testHost } from './helpers/host';
import { rawSocketOf } from './helpers/ws-internals';
import { withTimeout } from '../../support/wait';

describe('upgrades', () => {
  it('chooses parley.v1 whenever it is offered, and no subprotocol otherwise', () => {
    expect(chooseSubprotocol(new Set(['parley.v1']))).toBe('parley.v1');
    expect(chooseSubprotocol(new Set(['chat', 'parley.v1']))).toBe('parley.v1');
    expect(chooseSubprotocol(new Set(['chat']))).toBe(false);
  });

  it('chooses parley.v2 over parley.v1 when both are offered', () => {
    expect(chooseSubprotocol(new Set(['parley.v2']))).toBe('parley.v2');
    expect(chooseSubprotocol(new Set(['parley.v1', 'parley.v2']))).toBe('parley.v2');
  });

  it('answers upgrades on any other path with 404 and drops the socket', async () => {
    const host = await testHost();
    for (const path of ['/', '/socket', '/ws/extra', '/api/info']) {
      const socket = new WebSocket(`ws://127.0.0.1:${host.port}${path}`, ['parley.v1']);
      const status = new Promise<number>((resolve, reject) => {
        socket.once('unexpected-response', (_request, response) =>
          resolve(response.statusCode ?? 0),
        );
        socket.once('open', () => reject(new Error(`upgrade on ${path} was accepted`)));
        socket.once('error', reject);
      });
      expect(await withTimeout(status, 2000, `a refusal of ${path}`)).toBe(404);
      socket.terminate();
    }
  });

  it('keeps the query string out of the path check', async () => {
    const host = await testHost();
    const { welcome } = await V1Client.join(host.port, 'alice', {}, { path: '/ws?x=1' });
    expect(welcome.self.name).toBe('alice');
  });

  it('closes with 1009 on a message over maxPayloadBytes and the others carry on', async () => {
    const host = await testHost({ limits: { maxPayloadBytes: 1024 } });
    const { client: alice } = await V1Client.join(host.port, 'alice');
    const { client: bob } = await V1Client.join(host.port, 'bob');
    bob.say('big', 'x'.repeat(2000));
    expect((await bob.waitClosed()).code).toBe(1009);
    expect((await alice.next('left')).peer.name).toBe('bob');
    alice.say('small', 'still fine');
    expect((await alice.next('ack')).seq).toBe(1);
  });

  it('counts the limit after decompression', async () => {
    const host = await testHost({ limits: { maxPayloadBytes: 1024 } });
    const { client } = await V1Client.join(host.port, 'alice', {}, { perMessageDeflate: true });
    // Compresses to a few dozen bytes on the wire, 4 KiB once inflated.
    client.say('zip', 'a'.repeat(4096));
    expect((await client.waitClosed()).code).toBe(1009);
  });

  it('closes with 1007 on a text frame that is not valid UTF-8', async () => {
    const host = await testHost();
    const { client: alice } = await V1Client.join(host.port, 'alice');
    const { client: bob } = await V1Client.join(host.port, 'bob');
    bob.sendRaw(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    expect((await bob.waitClosed()).code).toBe(1007);
    expect((await alice.next('left')).peer.name).toBe('bob');
  });

  it('compresses large messages for a client that offers permessage-deflate, intact', async () => {
    const host = await testHost();
    const options = { perMessageDeflate: true };
    const { client: alice } = await V1Client.join(host.port, 'alice', {}, options);
    const { client: bob } = await V1Client.join(host.port, 'bob', {}, options);
    expect(alice.socket.extensions).toBe('permessage-deflate');
    const text = Array.from({ length: 4000 }, (_, index) =>
      String.fromCodePoint(0x4e00 + (index % 500)),
    ).join('');
    alice.say('large', text);
    expect((await bob.next('message')).text).toBe(text);
    expect((await alice.next('message')).text).toBe(text);
  });

  it('negotiates deflate without context takeover on either side', async () => {
    const host = await testHost();
    const request = http.request({
      host: '127.0.0.1',
      port: host.port,
      path: '/ws',
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        'Sec-WebSocket-Protocol': 'parley.v1',
        'Sec-WebSocket-Extensions': 'permessage-deflate; client_max_window_bits',
      },
    });
    const upgraded = new Promise<http.IncomingMessage>((resolve, reject) => {
      request.once('upgrade', (response, socket) => {
        socket.destroy();
        resolve(response);
      });
      request.once('error', reject);
    });
    request.end();
    const response = await withTimeout(upgraded, 2000, 'the upgrade');
    expect(response.headers['sec-websocket-protocol']).toBe('parley.v1');
    const extensions = response.headers['sec-websocket-extensions'] ?? '';
    expect(extensions).toMatch(/^permessage-deflate/);
    expect(extensions).toContain('server_no_context_takeover');
    expect(extensions).toContain('client_no_context_takeover');
  });

  it('compresses text frames of compressThresholdBytes and more, and only those', async () => {
    const host = await testHost({ limits: { compressThresholdBytes: 1024 } });
    const { client } = await V1Client.join(host.port, 'alice', {}, { perMessageDeflate: true });
    const frames: { compressed: boolean; opcode: number }[] = [];
    let pending = Buffer.alloc(0);
    const raw = rawSocketOf(client.socket);
    raw.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      // Server frames are unmasked: 2 header bytes, then a 16- or 64-bit length when flagged.
      for (let guard = 0; guard < 1000 && pending.length >= 2; guard++) {
        const short = pending[1]! & 0x7f;
        const header = short === 126 ? 4 : short === 127 ? 10 : 2;
        if (pending.length < header) break;
        const length =
          short === 126
            ? pending.readUInt16BE(2)
            : short === 127
              ? Number(pending.readBigUInt64BE(2))
              : short;
        if (pending.length < header + length) break;
        frames.push({ compressed: (pending[0]! & 0x40) !== 0, opcode: pending[0]! & 0x0f });
        pending = pending.subarray(header + length);
      }
    });
    client.say('small', 'hi');
    await client.next('message');
    client.say('large', 'z'.repeat(2000));
    await client.next('message', undefined, (message) => message.id === 'large');
    const text = frames.filter((frame) => frame.opcode === 1);
    // ack small, message small, ack large (all below the threshold), then the large message.
    expect(text.map((frame) => frame.compressed)).toEqual([false, false, false, true]);
  });

  it('serves a client that does not offer deflate uncompressed', async () => {
    const host = await testHost();
    const { client } = await V1Client.join(host.port, 'alice', {}, { perMessageDeflate: false });
    expect(client.socket.extensions).toBe('');
    client.say('large', 'y'.repeat(3000));
    expect((await client.next('message')).text).toBe('y'.repeat(3000));
  });
});
