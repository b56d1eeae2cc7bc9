import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { InboundQueue, MAX_HELD_FRAMES } from '../../../main/host/inbound-queue';

/** Just enough of a ws socket: 'message' events and pause/resume. */
class FakeSocket extends EventEmitter {
  paused = false;
  pause() {
    this.paused = true;
  }
  resume() {
    this.paused = false;
  }
  deliver(text: string) {
    this.emit('message', Buffer.from(text), false);
  }
}

function setup(onFrame: (text: string, queue: InboundQueue) => void = () => {}) {
  const socket = new FakeSocket();
  const handled: string[] = [];
  let overflows = 0;
  const queue: InboundQueue = new InboundQueue(socket as unknown as WebSocket, {
    handleFrame(data) {
      const text = String(data);
      handled.push(text);
      onFrame(text, queue);
    },
    inboundFlooded: () => overflows++,
  });
  return { socket, queue, handled, overflows: () => overflows };
}

describe('InboundQueue', () => {
  it('hands frames over at once while not held', () => {
    const { socket, handled } = setup();
    socket.deliver('a');
    socket.deliver('b');
    expect(handled).toEqual(['a', 'b']);
  });

  it('keeps frames while held, pauses the socket, and hands them over in order on release', () => {
    const { socket, queue, handled } = setup();
    queue.hold();
    expect(socket.paused).toBe(true);
    socket.deliver('1');
    socket.deliver('2');
    expect(handled).toEqual([]);
    queue.release();
    expect(socket.paused).toBe(false);
    socket.deliver('3');
    expect(handled).toEqual(['1', '2', '3']);
  });

  it('stops handing over when a frame holds it again, and goes on at the next release', () => {
    const { socket, queue, handled } = setup((text, held) => {
      if (text === 'hello') held.hold();
    });
    queue.hold();
    for (const text of ['x', 'hello', 'y', 'z']) socket.deliver(text);
    queue.release();
    expect(handled).toEqual(['x', 'hello']);
    socket.deliver('late');
    queue.release();
    expect(handled).toEqual(['x', 'hello', 'y', 'z', 'late']);
  });

  it('gives up once, dropping everything, when too many frames pile up while held', () => {
    const { socket, queue, handled, overflows } = setup();
    queue.hold();
    for (let index = 0; index <= MAX_HELD_FRAMES + 10; index++) socket.deliver(String(index));
    expect(overflows()).toBe(1);
    queue.release();
    socket.deliver('after');
    expect(handled).toEqual([]);
  });
});
