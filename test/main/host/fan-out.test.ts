import { describe, expect, it } from 'vitest';
import type { Channel } from '../../../main/host/channel';
import {
  broadcastMessage,
  broadcastPresence,
  broadcastTyping,
  sendToAll,
} from '../../../main/host/fan-out';
import { hostDeflateCount, OutboundFrame } from '../../../main/host/frame-encoding';
import { V1Client } from './helpers/clients';
import { testHost } from './helpers/host';

/** Records what it is sent; stands in for a Channel (only `send` is used by the fan-out). */
function recorder() {
  const frames: OutboundFrame[] = [];
  const channel = { send: (frame: OutboundFrame) => frames.push(frame) } as unknown as Channel;
  const texts = () => frames.map((frame) => frame.payload.toString('utf8'));
  return { channel, frames, texts };
}

const message = { seq: 7, id: 'm', from: { id: 'p_a', name: 'alice' }, text: 'hé', ts: 1 };

describe('fan-out', () => {
  it('encodes a message once and sends that same frame to every v1 recipient', () => {
    const recipients = [recorder(), recorder(), recorder()];
    const plain = recorder();
    broadcastMessage(
      { v1: new Set(recipients.map((r) => r.channel)), plain: new Set([plain.channel]) },
      message,
    );
    const first = recipients[0]!.frames[0];
    expect(first).toBeInstanceOf(OutboundFrame);
    for (const recipient of recipients) expect(recipient.frames).toEqual([first]);
    for (const recipient of recipients) expect(recipient.frames[0]).toBe(first);
    expect(JSON.parse(recipients[0]!.texts()[0]!)).toEqual({ type: 'message', ...message });
    expect(plain.texts()).toEqual(['alice: hé']);
  });

  it('skips the excepted recipient', () => {
    const a = recorder();
    const b = recorder();
    sendToAll(new Set([a.channel, b.channel]), Buffer.from('x'), a.channel);
    expect(a.frames).toEqual([]);
    expect(b.texts()).toEqual(['x']);
  });

  it('tolerates a recipient leaving the set while it is being sent to', () => {
    const targets = new Set<Channel>();
    const b = recorder();
    const leaving = {
      send: () => targets.delete(leaving),
    } as unknown as Channel;
    targets.add(leaving).add(b.channel);
    sendToAll(targets, Buffer.from('x'));
    expect(b.frames).toHaveLength(1);
    expect(targets.size).toBe(1);
  });

  it('words presence for both modes, and typing only for parley.v1', () => {
    const v1 = recorder();
    const other = recorder();
    const plain = recorder();
    const targets = { v1: new Set([v1.channel, other.channel]), plain: new Set([plain.channel]) };
    broadcastPresence(targets, 'left', message.from);
    expect(JSON.parse(v1.texts()[0]!)).toEqual({ type: 'left', peer: message.from });
    expect(plain.texts()).toEqual(['* alice left']);
    broadcastTyping(targets, message.from, v1.channel);
    expect(v1.frames).toHaveLength(1);
    expect(JSON.parse(other.texts()[1]!)).toEqual({ type: 'typing', peer: message.from });
    expect(plain.frames).toHaveLength(1);
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
