/**
 * The generator's clients: minimal WebSocket clients on raw sockets (wire-client.ts), opened a
 * bounded number at a time, each through its target's handshake. After the handshake every
 * message goes down one short path: read the message index from the payload in place, count the
 * delivery in the current phase. No JSON.parse, no validation, no UTF-8 check, no allocation.
 */
import type { Dialect, HandshakeStep } from './dialects';
import { OTHER_PHASE, readPayloadIndex } from './payload';
import type { PhaseTracker } from './phase-tracker';
import { WireClient, type WireClientHandler } from './wire-client';

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

type Outcome = { kind: 'ready' } | { kind: 'failed'; reason: string };

export interface PoolClientState {
  /** The client's index; it also names the client (`b<index>`). */
  readonly index: number;
  /** Joined: past the target's own handshake, counted as a receiver. */
  ready: boolean;
  /** Reports the end of the handshake to `connect`, once. */
  settle: ((outcome: Outcome) => void) | undefined;
}

export type PoolClient = WireClient<PoolClientState>;

const MAX_REPORTED_ERRORS = 5;
/** Phase numbers are never negative: with no phase running, every payload is a late one. */
const NO_PHASE = -1;

export function nowMicros(): number {
  return performance.now() * 1000;
}

export class ClientPool implements WireClientHandler<PoolClientState> {
  /** Ready clients, in the order they became ready. */
  readonly ready: PoolClient[] = [];
  tracker: PhaseTracker | undefined;
  /** Ready clients that closed since the pool was connected (the target dropped them). */
  dropped = 0;
  lastFrameAt = performance.now();
  /** The time of the read being parsed, in µs: every delivery in one read arrived together. */
  private readAtMicros = 0;
  private closing = false;

  constructor(private readonly dialect: Dialect) {}

  get openCount(): number {
    return this.ready.filter((client) => client.isOpen).length;
  }

  async connect(options: ConnectOptions): Promise<ConnectOutcome> {
    const started = performance.now();
    const deadline = started + options.timeoutMs;
    const errors = new Set<string>();
    const pending = new Set<PoolClient>();
    let next = 0;
    let failed = 0;

    await new Promise<void>((resolve) => {
      const overall = setTimeout(() => {
        // Out of time: whatever is still handshaking counts as failed.
        for (const client of pending) {
          client.context.settle = undefined;
          client.terminate();
        }
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
          const client = this.open(options.port, index, (outcome) => {
            if (!pending.delete(client)) return;
            if (outcome.kind === 'ready') this.ready.push(client);
            else {
              failed += 1;
              if (errors.size < MAX_REPORTED_ERRORS) errors.add(outcome.reason);
            }
            if (next >= options.clients && pending.size === 0) {
              clearTimeout(overall);
              resolve();
            } else launch();
          });
          pending.add(client);
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

  say(client: PoolClient, sayId: string, text: string): void {
    this.dialect.say(client, sayId, text);
  }

  closeAll(): void {
    this.closing = true;
    for (const client of this.ready) client.terminate();
  }

  private open(port: number, index: number, settle: (outcome: Outcome) => void): PoolClient {
    return new WireClient(
      { port, path: this.dialect.path(index), protocols: this.dialect.protocols },
      this,
      { index, ready: false, settle },
    );
  }

  private become(client: PoolClient, step: HandshakeStep): void {
    if (step.kind === 'wait') return;
    const state = client.context;
    const settle = state.settle;
    state.settle = undefined;
    if (step.kind === 'ready') {
      state.ready = true;
      settle?.({ kind: 'ready' });
    } else {
      settle?.({ kind: 'failed', reason: `handshake error ${step.code}` });
      client.terminate();
    }
  }

  // WireClientHandler: called by every client's socket.
  opened(client: PoolClient): void {
    this.become(client, this.dialect.greet(client, client.context.index));
  }

  arrived(nowMs: number): void {
    this.lastFrameAt = nowMs;
    this.readAtMicros = nowMs * 1000;
  }

  message(client: PoolClient, data: Buffer, start: number, end: number): void {
    if (!client.context.ready) {
      this.become(client, this.dialect.handshake(client, data, start, end));
      return;
    }
    const tracker = this.tracker;
    const index = readPayloadIndex(data, start, end, tracker ? tracker.phase : NO_PHASE);
    if (index >= 0) {
      tracker!.delivery(index, this.readAtMicros);
      return;
    }
    if (index === OTHER_PHASE) return;
    const code = this.dialect.control(client, data, start, end);
    if (code !== undefined) tracker?.error(code);
  }

  ended(client: PoolClient, reason: string): void {
    const state = client.context;
    if (state.ready) {
      if (!this.closing) this.dropped += 1;
      return;
    }
    const settle = state.settle;
    state.settle = undefined;
    settle?.({ kind: 'failed', reason });
  }
}
