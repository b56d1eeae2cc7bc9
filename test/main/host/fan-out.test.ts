import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { Channel, formatV1Error } from '../../../main/host/channel';
import {
  broadcastMessage,
  broadcastPresence,
  broadcastTyping,
  sendToAll,
} from '../../../main/host/fan-out';
import { hostDeflateCount, OutboundFrame } from '../../../main/host/frame-encoding';
import { BroadcastGroup } from '../../../main/host/turn-log';
import { withTimeout } from '../../support/wait';
import { V1Client } from './helpers/clients';
import { testHost } from './helpers/host';

/** A socket without ws's internals: the channel hands every frame to `send`, which records it. */
class RecordingSocket extends EventEmitter {
  readyState = 1;
  bufferedAmount = 0;
  readonly payloads: Buffer[] = [];
  send(data: Buffer): void {
    this.payloads.push(data);
  }
  close(): void {
    this.readyState = 2;
  }
  terminate(): void {
    this.readyState = 3;
  }
}

function recorder() {
  const socket = new RecordingSocket();
  const channel = new Channel(socket as unknown as WebSocket, {
    maxBacklogBytes: 1024 * 1024,
    formatError: formatV1Error,
  });
  const texts = () => socket.payloads.map((payload) => payload.toString('utf8'));
  return { channel, socket, texts };
}

function groupOf(...channels: Channel[]): BroadcastGroup {
  const group = new BroadcastGroup();
  for (const channel of channels) group.add(channel);
  return group;
}

/** The turn's flush runs from setImmediate; this resolves once the next one has run. */
function nextTurn(): Promise<void> {
  return withTimeout(new Promise((resolve) => setImmediate(resolve)), 1000, 'the next turn');
}

const message = { seq: 7, id: 'm', from: { id: 'p_a', name: 'alice' }, text: 'hé', ts: 1 };

describe('fan-out', () => {
  it('encodes a message once and writes those same bytes to every v1 recipient', async () => {
    const recipients = [recorder(), recorder(), recorder()];
    const plain = recorder();
    broadcastMessage(
      { v1: groupOf(...recipients.map((r) => r.channel)), plain: groupOf(plain.channel) },
      message,
    );
    // Nothing runs per recipient until the turn's flush.
    for (const recipient of recipients) expect(recipient.socket.payloads).toEqual([]);
    await nextTurn();
    const first = recipients[0]!.socket.payloads[0];
    for (const recipient of recipients) expect(recipient.socket.payloads).toEqual([first]);
    // One encoding shared by all: the very same Buffer.
    for (const recipient of recipients) expect(recipient.socket.payloads[0]).toBe(first);
    expect(JSON.parse(recipients[0]!.texts()[0]!)).toEqual({ type: 'message', ...message });
    expect(plain.texts()).toEqual(['alice: hé']);
  });

  it('skips the excepted recipient', async () => {
    const a = recorder();
    const b = recorder();
    sendToAll(groupOf(a.channel, b.channel), Buffer.from('x'), a.channel);
    await nextTurn();
    expect(a.socket.payloads).toEqual([]);
    expect(b.texts()).toEqual(['x']);
  });

  it('gives a member that leaves mid-turn what came before, and nothing after', async () => {
    const leaving = recorder();
    const staying = recorder();
    const group = groupOf(leaving.channel, staying.channel);
    sendToAll(group, Buffer.from('before'));
    group.delete(leaving.channel);
    sendToAll(group, Buffer.from('after'));
    expect(leaving.texts()).toEqual(['before']);
    await nextTurn();
    expect(leaving.texts()).toEqual(['before']);
    expect(staying.texts()).toEqual(['before', 'after']);
  });

  it('words presence for both modes, and typing only for parley.v1', async () => {
    const v1 = recorder();
    const other = recorder();
    const plain = recorder();
    const targets = {
      v1: groupOf(v1.channel, other.channel),
      plain: groupOf(plain.channel),
      v2: groupOf(),
    };
    broadcastPresence(targets, 'left', message.from);
    broadcastTyping(targets, message.from, v1.channel);
    await nextTurn();
    expect(v1.texts().map((text) => JSON.parse(text) as unknown)).toEqual([
      { type: 'left', peer: message.from },
    ]);
    expect(JSON.parse(other.texts()[1]!)).toEqual({ type: 'typing', peer: message.from });
    expect(plain.texts()).toEqual(['* alice left']);
  });

  it('accepts an OutboundFrame as it is', async () => {
    const a = recorder();
    const frame = new OutboundFrame('ready');
    sendToAll(groupOf(a.channel), frame);
    await nextTurn();
    expect(a.socket.payloads[0]).toBe(frame.payload);
  });
});

describe('fan-out on real sockets', () => {
  it('compresses a large broadcast once for every deflate client; each gets it intact', async () => {
    const host = await testHost({ limits: { maxTextLength: 20_000 } });
    const { client: sender } = await V1Client.join(host.port, 'sender');
    const deflating = await Promise.all(
      ['a', 'b', 'c'].map(async (name) => (await V1Client.join(host.port, name)).client),
    );
    const { client: plain } = await V1Client.join(
      host.port,
      'plain',
      {},
      { perMessageDeflate: false },
    );
    const text = 'a long chat line with words in it, '.repeat(500);
    const before = hostDeflateCount();
    sender.say('big', text);
    for (const client of [sender, ...deflating, plain]) {
      expect((await client.next('message', 5000, (m) => m.id === 'big')).text).toBe(text);
    }
    expect(hostDeflateCount() - before).toBe(1);
    for (const client of [sender, ...deflating, plain]) expect(client.invalid).toEqual([]);
  });
});
