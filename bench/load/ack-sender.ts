/**
 * The client of the durable-ack benchmark (bench/acks.ts): it keeps at most one `say` in flight
 * and records how long each took to be acknowledged. At full speed it sends the next one as soon
 * as the ack arrives; paced, it sends one every `paceMs` (later if the ack is late), so that
 * many senders offer a steady rate the host can take, and their p99 shows what a commit adds to
 * an ack rather than how long a queue grows when the host is saturated.
 */
import { createHash } from 'node:crypto';
import WebSocket from 'ws';
import * as v from 'valibot';
import { SUBPROTOCOL, SUBPROTOCOL_V2 } from '../../protocol/wire/limits';
import type { LatencyHistogram } from './histogram';

/** Where every sender of one measurement records its ack latencies; replaced after the warm-up. */
export interface Recorder {
  histogram: LatencyHistogram;
}

/**
 * Where a sender posts: `general` as a parley.v1 client (every client there gets every message),
 * or a channel of its own as a parley.v2 client (only the sender gets it back), so that many
 * senders measure the group commit rather than a fan-out to all of them.
 */
export type SenderPlace = 'general' | 'own-channel';

export interface SenderPace {
  /** Time between one send and the next (ms); 0 sends on each ack. */
  paceMs: number;
  /** Delay before the first send (ms), to spread many senders over one pace. */
  offsetMs: number;
}

export const FULL_SPEED: SenderPace = { paceMs: 0, offsetMs: 0 };

const TEXT = 'x'.repeat(100);
const ackSchema = v.object({ type: v.literal('ack'), id: v.string(), conv: v.string() });

export class AckSender {
  private next = 0;
  private sentAt = 0;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  /** The channel it posts to; undefined for a parley.v1 client in `general`. */
  private conv: string | undefined;
  acked = 0;
  /**
   * Why this sender stopped before it was told to: the host refused a `say` or dropped the
   * connection. Kept for the measurement to report, never thrown from a socket's event (that
   * would end the whole benchmark run without its results).
   */
  failure: Error | undefined;

  private constructor(
    private readonly socket: WebSocket,
    private readonly name: string,
    private readonly recorder: Recorder,
    private readonly pace: SenderPace,
  ) {}

  static open(
    port: number,
    name: string,
    recorder: Recorder,
    place: SenderPlace,
    pace: SenderPace = FULL_SPEED,
  ): Promise<AckSender> {
    const v2 = place === 'own-channel';
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`, [v2 ? SUBPROTOCOL_V2 : SUBPROTOCOL], {
      perMessageDeflate: false,
    });
    const sender = new AckSender(socket, name, recorder, pace);
    const createId = `${name}-channel`;
    return new Promise<AckSender>((resolve, reject) => {
      socket.once('error', reject);
      socket.once('open', () => {
        const identity = createHash('sha256').update(`parley-bench-acks:${name}`);
        const hello = v2 ? { identity: identity.digest('base64url') } : {};
        socket.send(JSON.stringify({ type: 'hello', name, ...hello }));
      });
      const handshake = (data: WebSocket.RawData) => {
        const text = String(data);
        if (text.includes('"type":"error"')) reject(new Error(`the host refused: ${text}`));
        if (text.startsWith('{"type":"welcome"')) {
          if (!v2) return ready();
          socket.send(JSON.stringify({ type: 'create_channel', id: createId, name }));
        }
        const ack = text.startsWith('{"type":"ack"')
          ? v.safeParse(ackSchema, JSON.parse(text))
          : undefined;
        if (ack?.success && ack.output.id === createId) {
          sender.conv = ack.output.conv;
          ready();
        }
      };
      const ready = () => {
        socket.off('message', handshake);
        socket.on('message', (data) => sender.onMessage(String(data)));
        socket.on('error', (error) => sender.fail(`its connection failed: ${error.message}`));
        socket.on('close', (code) => {
          if (sender.running) sender.fail(`the host closed its connection (${code})`);
        });
        resolve(sender);
      };
      socket.on('message', handshake);
    });
  }

  start(): void {
    this.running = true;
    this.sendAfter(this.pace.offsetMs);
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  close(): void {
    this.stop();
    this.socket.terminate();
  }

  private sendAfter(ms: number): void {
    if (ms <= 0) this.send();
    else this.timer = setTimeout(() => this.send(), ms);
  }

  private send(): void {
    if (!this.running) return;
    this.sentAt = performance.now();
    const id = `${this.name}-${this.next++}`;
    // JSON leaves `conv` out for a parley.v1 client, whose conv is undefined.
    this.socket.send(JSON.stringify({ type: 'say', id, conv: this.conv, text: TEXT }));
  }

  private fail(why: string): void {
    this.failure ??= new Error(`${this.name}: ${why}`);
    this.stop();
  }

  private onMessage(text: string): void {
    if (!text.startsWith('{"type":"ack"')) {
      if (text.includes('"type":"error"')) this.fail(`the host refused a say: ${text}`);
      return;
    }
    const now = performance.now();
    this.recorder.histogram.record((now - this.sentAt) * 1000);
    this.acked += 1;
    if (this.running) this.sendAfter(this.sentAt + this.pace.paceMs - now);
  }
}
