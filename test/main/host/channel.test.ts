import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import {
  Channel,
  CLOSE_GRACE_MS,
  formatPlainError,
  formatV1Error,
} from '../../../main/host/channel';
import { V1Client } from './helpers/clients';
import { testHost } from './helpers/host';
import { rawSocketOf } from './helpers/ws-internals';

function rawSocket(client: V1Client): Socket {
  return rawSocketOf(client.socket);
}

describe('slow clients', () => {
  it('drops a client whose backlog passes maxBacklogBytes with too_slow, and the room carries on', async () => {
    const host = await testHost({
      limits: {
        maxBacklogBytes: 256 * 1024,
        maxTextLength: 60_000,
        rateBurst: 100_000,
        ratePerSecond: 100_000,
      },
    });
    const { client: sender } = await V1Client.join(host.port, 'sender');
    const { client: slow } = await V1Client.join(
      host.port,
      'slow',
      {},
      { perMessageDeflate: false },
    );
    await sender.next('joined');
    rawSocket(slow).pause();

    // Fill the kernel buffers and then the host's backlog; bounded in count and time.
    const text = 'x'.repeat(60_000);
    const started = Date.now();
    let dropped = false;
    sender.next('left', 20_000).then(
      () => (dropped = true),
      () => {},
    );
    for (let index = 0; index < 2000 && !dropped && Date.now() - started < 20_000; index++) {
      sender.say(`big-${index}`, text);
      await sender.next('ack', 5000, (ack) => ack.id === `big-${index}`);
    }
    expect(dropped).toBe(true);
    expect(host.peers().map((peer) => peer.name)).toEqual(['sender']);

    rawSocket(slow).resume();
    const closed = await slow.waitClosed(5000);
    // 4008 if the client drained its backlog before the grace ran out, else terminated.
    expect([4008, 1006]).toContain(closed.code);
    if (closed.code === 4008) {
      expect(slow.received('error').map((error) => error.code)).toContain('too_slow');
    }

    sender.say('after', 'still working');
    expect((await sender.next('message', 5000, (m) => m.id === 'after')).text).toBe(
      'still working',
    );
  });
});

/** Just enough of a ws socket to watch what the channel does with it. */
class FakeSocket extends EventEmitter {
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: string[] = [];
  readonly closes: [number, string][] = [];
  terminated = false;
  send(data: Buffer | string): void {
    this.sent.push(String(data));
  }
  close(code: number, reason: string): void {
    this.readyState = 2;
    this.closes.push([code, reason]);
  }
  terminate(): void {
    this.terminated = true;
    this.readyState = 3;
  }
}

function channelOn(fake: FakeSocket, maxBacklogBytes = 100, formatError = formatV1Error) {
  const closing = vi.fn();
  const channel = new Channel(fake as unknown as WebSocket, {
    maxBacklogBytes,
    formatError,
    onClosing: closing,
  });
  return { channel, closing };
}

describe('Channel', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends too_slow then closes 4008 once the backlog passes the limit, and stops sending', () => {
    vi.useFakeTimers();
    const fake = new FakeSocket();
    const { channel, closing } = channelOn(fake);
    channel.send('first');
    expect(channel.isOpen).toBe(true);
    fake.bufferedAmount = 101;
    channel.send('second');
    expect(JSON.parse(fake.sent[2]!)).toMatchObject({ type: 'error', code: 'too_slow' });
    expect(fake.closes).toEqual([[4008, 'too_slow']]);
    expect(channel.isOpen).toBe(false);
    expect(closing).toHaveBeenCalledTimes(1);
    channel.send('third');
    expect(fake.sent).toHaveLength(3);
    // A peer that never completes the closing handshake is destroyed after the grace.
    vi.advanceTimersByTime(CLOSE_GRACE_MS - 1);
    expect(fake.terminated).toBe(false);
    vi.advanceTimersByTime(1);
    expect(fake.terminated).toBe(true);
  });

  it('does not destroy a socket that closes within the grace', () => {
    vi.useFakeTimers();
    const fake = new FakeSocket();
    const { channel } = channelOn(fake);
    channel.close(1001, 'bye');
    fake.emit('close');
    vi.advanceTimersByTime(CLOSE_GRACE_MS * 2);
    expect(fake.terminated).toBe(false);
  });

  it('does not count bytes for a socket the peer is already closing', () => {
    const fake = new FakeSocket();
    const { channel, closing } = channelOn(fake);
    fake.readyState = 2;
    fake.bufferedAmount = 1000;
    channel.send('ignored');
    expect(fake.sent).toEqual([]);
    expect(closing).not.toHaveBeenCalled();
  });

  it('words errors as plain lines for plain clients', () => {
    const fake = new FakeSocket();
    const { channel } = channelOn(fake, 100, formatPlainError);
    channel.sendError('too_long', 'too long');
    channel.fail('auth_failed');
    expect(fake.sent).toEqual([
      '* error too_long: too long',
      '* error auth_failed: Wrong password for this room.',
    ]);
    expect(fake.closes).toEqual([[4003, 'auth_failed']]);
  });

  it('reports closing once, however the socket ends', () => {
    const fake = new FakeSocket();
    const { channel, closing } = channelOn(fake);
    channel.terminate();
    channel.close(1000);
    fake.emit('close');
    expect(closing).toHaveBeenCalledTimes(1);
  });
});
