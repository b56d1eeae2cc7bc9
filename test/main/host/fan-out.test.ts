import { describe, expect, it } from 'vitest';
import type { Channel } from '../../../main/host/channel';
import {
  broadcastMessage,
  broadcastPresence,
  broadcastTyping,
  sendToAll,
} from '../../../main/host/fan-out';

/** Records what it is sent; stands in for a Channel (only `send` is used by the fan-out). */
function recorder() {
  const sent: (Buffer | string)[] = [];
  const channel = { send: (data: Buffer | string) => sent.push(data) } as unknown as Channel;
  return { channel, sent };
}

const message = { seq: 7, id: 'm', from: { id: 'p_a', name: 'alice' }, text: 'hé', ts: 1 };

describe('fan-out', () => {
  it('encodes a message once and sends that same Buffer to every v1 recipient', () => {
    const recipients = [recorder(), recorder(), recorder()];
    const plain = recorder();
    broadcastMessage(
      { v1: new Set(recipients.map((r) => r.channel)), plain: new Set([plain.channel]) },
      message,
    );
    const first = recipients[0]!.sent[0];
    expect(Buffer.isBuffer(first)).toBe(true);
    for (const recipient of recipients) expect(recipient.sent).toEqual([first]);
    for (const recipient of recipients) expect(recipient.sent[0]).toBe(first);
    expect(JSON.parse(first!.toString())).toEqual({ type: 'message', ...message });
    expect(plain.sent.map(String)).toEqual(['alice: hé']);
  });

  it('skips the excepted recipient', () => {
    const a = recorder();
    const b = recorder();
    sendToAll(new Set([a.channel, b.channel]), Buffer.from('x'), a.channel);
    expect(a.sent).toEqual([]);
    expect(b.sent).toHaveLength(1);
  });

  it('tolerates a recipient leaving the set while it is being sent to', () => {
    const targets = new Set<Channel>();
    const b = recorder();
    const leaving = {
      send: () => targets.delete(leaving),
    } as unknown as Channel;
    targets.add(leaving).add(b.channel);
    sendToAll(targets, Buffer.from('x'));
    expect(b.sent).toHaveLength(1);
    expect(targets.size).toBe(1);
  });

  it('words presence for both modes, and typing only for parley.v1', () => {
    const v1 = recorder();
    const other = recorder();
    const plain = recorder();
    const targets = { v1: new Set([v1.channel, other.channel]), plain: new Set([plain.channel]) };
    broadcastPresence(targets, 'left', message.from);
    expect(JSON.parse(String(v1.sent[0]))).toEqual({ type: 'left', peer: message.from });
    expect(String(plain.sent[0])).toBe('* alice left');
    broadcastTyping(targets, message.from, v1.channel);
    expect(v1.sent).toHaveLength(1);
    expect(JSON.parse(String(other.sent[1]))).toEqual({ type: 'typing', peer: message.from });
    expect(plain.sent).toHaveLength(1);
  });
});
