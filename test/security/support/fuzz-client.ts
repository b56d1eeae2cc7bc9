/** A parley.v1 socket for fuzzing: sends anything, records every frame and the close, in order. */
import WebSocket from 'ws';
import type { Outbound } from './fuzz-frames';

export interface Received {
  type: string;
  code?: string;
  ref?: string;
}

/** Frames that follow the store or other peers, not the frame just sent. */
const INDIRECT = new Set(['ack', 'message', 'joined', 'left', 'typing']);

export class FuzzClient {
  /** The host's direct answers, in arrival order. */
  readonly answers: Received[] = [];
  /** Frames that were not JSON objects with a type: the host must never send one. */
  readonly unreadable: string[] = [];
  closeCode: number | undefined;
  private changed: (() => void) | undefined;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      const text = String(data);
      let frame: unknown;
      try {
        frame = isBinary ? undefined : JSON.parse(text);
      } catch {
        frame = undefined;
      }
      const received = frame as Received | undefined;
      if (typeof received?.type !== 'string') this.unreadable.push(text);
      else if (!INDIRECT.has(received.type)) this.answers.push(received);
      this.changed?.();
    });
    socket.on('close', (code) => {
      this.closeCode = code;
      this.changed?.();
    });
    socket.on('error', () => {});
  }

  static open(url: string): Promise<FuzzClient> {
    const socket = new WebSocket(url, 'parley.v1');
    const client = new FuzzClient(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client));
      socket.once('error', reject);
    });
  }

  send(frame: Outbound): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    this.socket.send(frame.data, { binary: frame.kind === 'binary' });
  }

  /** Bytes in a text frame, valid UTF-8 or not (a browser could not send the invalid ones). */
  sendBytesAsText(bytes: Uint8Array): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    this.socket.send(Buffer.from(bytes), { binary: false });
  }

  /** Resolves once `count` answers arrived or the socket closed; rejects after `ms`. */
  waitFor(count: number, ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.answers.length < count && this.closeCode === undefined) return;
        clearTimeout(timer);
        this.changed = undefined;
        resolve();
      };
      const timer = setTimeout(() => {
        this.changed = undefined;
        reject(
          new Error(`timed out waiting for ${count} answers (got ${JSON.stringify(this.answers)})`),
        );
      }, ms);
      this.changed = check;
      check();
    });
  }

  /** Resolves with the close code, once closed; rejects after `ms`. */
  async closed(ms: number): Promise<number | undefined> {
    if (this.closeCode === undefined) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('timed out waiting for the close')), ms);
        this.changed = () => {
          if (this.closeCode === undefined) return;
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.closeCode;
  }

  terminate(): void {
    this.socket.terminate();
  }
}
