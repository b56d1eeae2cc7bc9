/**
 * Frames each message once and writes everything a turn produced to each socket in one write.
 * Messages that arrive in one event-loop turn are framed as they come and flushed together from
 * setImmediate, so a busy turn costs one write per client however many messages it carried.
 */
import type { Duplex } from 'node:stream';
import { BINARY_OPCODE, frameWithWs, TEXT_OPCODE } from '../../main/host/wire';

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
    const framed = frameWithWs(data, isBinary ? BINARY_OPCODE : TEXT_OPCODE, false);
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
