/**
 * The generator's clients: raw `ws` sockets opened a bounded number at a time, each through its
 * target's handshake. After the handshake every frame goes down one short path: find the payload,
 * count the delivery in the current phase. No JSON.parse, no validation, no UTF-8 check per frame.
 */
import WebSocket, { type RawData } from 'ws';
import type { Dialect, HandshakeStep } from './dialects';
import { decodePayload, type PayloadFields } from './payload';
import type { PhaseTracker } from './phase-tracker';

export interface ConnectOptions {
  port: number;
  clients: number;
  concurrency: number;
  timeoutMs: number;
}

export interface ConnectOutcome {
  open: number;
  failed: number;
  ms: number;
  errors: string[];
}

const MAX_REPORTED_ERRORS = 5;

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

export function nowMicros(): number {
  return performance.now() * 1000;
}

export class ClientPool {
  /** Ready clients, by their index (the index also names them: `b<index>`). */
  readonly ready: WebSocket[] = [];
  tracker: PhaseTracker | undefined;
  /** Ready clients that closed since the pool was connected (the target dropped them). */
  dropped = 0;
  lastFrameAt = performance.now();
  private closing = false;
  private readonly fields: PayloadFields = { phase: 0, index: 0, sentMicros: 0 };

  constructor(private readonly dialect: Dialect) {}

  get openCount(): number {
    return this.ready.filter((socket) => socket.readyState === WebSocket.OPEN).length;
  }

  async connect(options: ConnectOptions): Promise<ConnectOutcome> {
    const started = performance.now();
    const deadline = started + options.timeoutMs;
    const errors = new Set<string>();
    const pending = new Set<WebSocket>();
    let next = 0;
    let failed = 0;

    await new Promise<void>((resolve) => {
      const overall = setTimeout(() => {
        // Out of time: whatever is still handshaking counts as failed.
        for (const socket of pending) socket.terminate();
        failed += pending.size + (options.clients - next);
        next = options.clients;
        errors.add(`not all connected within ${options.timeoutMs} ms`);
        pending.clear();
        resolve();
      }, options.timeoutMs);
      const launch = () => {
        while (next < options.clients && pending.size < options.concurrency) {
          if (performance.now() >= deadline) break;
          const index = next++;
          const socket = this.open(options.port, index, (outcome) => {
            if (!pending.delete(socket)) return;
            if (outcome.kind === 'ready') this.ready.push(socket);
            else {
              failed += 1;
              if (errors.size < MAX_REPORTED_ERRORS) errors.add(outcome.reason);
            }
            if (next >= options.clients && pending.size === 0) {
              clearTimeout(overall);
              resolve();
            } else launch();
          });
          pending.add(socket);
        }
      };
      launch();
    });
    return {
      open: this.ready.length,
      failed,
      ms: performance.now() - started,
      errors: [...errors],
    };
  }

  say(socket: WebSocket, sayId: string, text: string): void {
    this.dialect.say(socket, sayId, text);
  }

  closeAll(): void {
    this.closing = true;
    for (const socket of this.ready) socket.terminate();
  }

  private open(
    port: number,
    index: number,
    settle: (outcome: { kind: 'ready' } | { kind: 'failed'; reason: string }) => void,
  ): WebSocket {
    const dialect = this.dialect;
    const socket = new WebSocket(
      `ws://127.0.0.1:${port}${dialect.path(index)}`,
      dialect.protocols,
      {
        perMessageDeflate: false,
        skipUTF8Validation: true,
      },
    );
    let isReady = false;
    const become = (step: HandshakeStep) => {
      if (step.kind === 'wait') return;
      if (step.kind === 'ready') {
        isReady = true;
        settle({ kind: 'ready' });
      } else {
        settle({ kind: 'failed', reason: `handshake error ${step.code}` });
        socket.terminate();
      }
    };
    socket.on('open', () => become(dialect.greet(socket, index)));
    socket.on('message', (data) => {
      const frame = toBuffer(data);
      // One clock read per frame serves both the silence detector and the latency sample.
      const now = performance.now();
      this.lastFrameAt = now;
      if (!isReady) {
        become(dialect.handshake(socket, frame));
        return;
      }
      this.receive(socket, frame, now);
    });
    socket.on('error', (error) => settle({ kind: 'failed', reason: error.message }));
    socket.on('close', (code) => {
      if (isReady) {
        if (!this.closing) this.dropped += 1;
      } else settle({ kind: 'failed', reason: `closed with ${code} during handshake` });
    });
    return socket;
  }

  private receive(socket: WebSocket, frame: Buffer, nowMs: number): void {
    const tracker = this.tracker;
    if (decodePayload(frame, this.fields)) {
      if (tracker && this.fields.phase === tracker.phase) {
        tracker.delivery(this.fields.index, this.fields.sentMicros, nowMs * 1000);
      }
      return;
    }
    const code = this.dialect.control(socket, frame);
    if (code !== undefined) tracker?.error(code);
  }
}
