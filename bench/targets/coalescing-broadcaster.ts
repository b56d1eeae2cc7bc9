/**
 * Frames each message once and writes everything a turn produced to each socket in one write.
 * Messages that arrive in one event-loop turn are framed as they come and flushed together from
 * setImmediate, so a busy turn costs one write per client however many messages it carried.
 */
import type { Duplex } from 'node:stream';
import * as wsModule from 'ws';

interface FrameOptions {
  fin: boolean;
  rsv1: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
}
// ws exports its frame encoder (Sender.frame) from the package root; @types/ws does not declare it.
const { frame } = (
  wsModule as unknown as { Sender: { frame(data: Buffer, options: FrameOptions): Buffer[] } }
).Sender;

const TEXT_OPCODE = 0x1;
const BINARY_OPCODE = 0x2;

export class CoalescingBroadcaster {
  private readonly sockets = new Set<Duplex>();
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private flushScheduled = false;

  add(socket: Duplex): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  get size(): number {
    return this.sockets.size;
  }

  broadcast(data: Buffer, isBinary: boolean): void {
    const framed = frame(data, {
      fin: true,
      rsv1: false,
      opcode: isBinary ? BINARY_OPCODE : TEXT_OPCODE,
      mask: false,
      readOnly: false,
    });
    for (const part of framed) {
      this.pending.push(part);
      this.pendingBytes += part.length;
    }
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    // Raw writes interleave safely with ws's own (pongs, close): each write holds whole frames.
    for (const socket of this.sockets) if (socket.writable) socket.write(batch);
  }
}
