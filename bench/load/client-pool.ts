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
  /** Servers sharing one room: client i connects to ports[i % length] (default: [port]). */
  ports?: readonly number[] | undefined;
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
    let failed = 0;
    this.dialect.prepare?.(options.clients);
    for (const wave of this.waves(options.clients)) {
      const remaining = deadline - performance.now();
      failed += await this.connectWave(options, wave, remaining, errors);
    }
    return {
      open: this.ready.length,
      failed,
      ms: performance.now() - started,
      errors: [...errors],
    };
  }

  /** Client indexes grouped by the dialect's waves, in order (everyone in one without waves). */
  private waves(clients: number): number[][] {
    const indexes = Array.from({ length: clients }, (_, index) => index);
    const waveOf = this.dialect.waveOf;
    if (!waveOf) return [indexes];
    const waves = new Map<number, number[]>();
    for (const index of indexes) {
      const wave = waveOf(index);
      waves.set(wave, [...(waves.get(wave) ?? []), index]);
    }
    return [...waves.keys()].sort((a, b) => a - b).map((wave) => waves.get(wave)!);
  }

  /** Connects one wave; returns how many of its clients failed (or had no time left). */
  private async connectWave(
    options: ConnectOptions,
    indexes: number[],
    timeoutMs: number,
    errors: Set<string>,
  ): Promise<number> {
    if (timeoutMs <= 0) {
      errors.add(`not all connected within ${options.timeoutMs} ms`);
      return indexes.length;
    }
    const deadline = performance.now() + timeoutMs;
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
        failed += pending.size + (indexes.length - next);
        next = indexes.length;
        errors.add(`not all connected within ${options.timeoutMs} ms`);
        pending.clear();
        resolve();
      }, timeoutMs);
      const launch = () => {
        while (next < indexes.length && pending.size < options.concurrency) {
          if (performance.now() >= deadline) break;
          const index = indexes[next++]!;
          const ports = options.ports ?? [options.port];
          const client = this.open(ports[index % ports.length]!, index, (outcome) => {
            if (!pending.delete(client)) return;
            if (outcome.kind === 'ready') this.ready.push(client);
            else {
              failed += 1;
              if (errors.size < MAX_REPORTED_ERRORS) errors.add(outcome.reason);
            }
            if (next >= indexes.length && pending.size === 0) {
              clearTimeout(overall);
              resolve();
            } else launch();
          });
          pending.add(client);
        }
      };
      if (indexes.length === 0) {
        clearTimeout(overall);
        resolve();
      } else launch();
    });
    return failed;
  }

  /** Sends message number `message` of a phase from `client`. */
  say(client: PoolClient, sayId: string, text: string, message: number): void {
    this.dialect.say(client, client.context.index, sayId, text, message);
  }

  /** How many clients should receive message number `message` from `client`. */
  receiversOf(client: PoolClient, message: number, everyone: number): number {
    return this.dialect.receivers?.(client.context.index, message) ?? everyone;
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
      this.become(client, this.dialect.handshake(client, client.context.index, data, start, end));
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
