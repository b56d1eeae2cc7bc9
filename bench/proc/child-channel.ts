/**
 * The orchestrator's side of a child's IPC channel: validated events, awaited one at a time with
 * a deadline. A child that exits, reports `failed` or goes silent rejects the wait instead of
 * hanging the run.
 */
import type { ChildProcess } from 'node:child_process';
import * as v from 'valibot';

type Typed = { type: string };
type Waiter<E> = {
  type: string;
  resolve: (event: E) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
};

export class ChildFailure extends Error {
  constructor(
    readonly code: 'child_failed' | 'child_exited' | 'child_timeout' | 'child_bad_message',
    message: string,
  ) {
    super(message);
    this.name = 'ChildFailure';
  }
}

export class ChildChannel<Command extends Typed, Event extends Typed> {
  private readonly queued: Event[] = [];
  private waiter: Waiter<Event> | undefined;
  private readonly listeners = new Map<string, (event: Event) => void>();
  private exitReason: string | undefined;
  readonly exited: Promise<void>;

  constructor(
    readonly child: ChildProcess,
    private readonly schema: v.GenericSchema<unknown, Event>,
    readonly label: string,
  ) {
    child.on('message', (raw) => this.receive(raw));
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitReason = `${label} exited (${signal ?? `code ${String(code)}`})`;
        this.rejectWaiter(new ChildFailure('child_exited', this.exitReason));
        resolve();
      });
      child.once('error', (error) => {
        this.exitReason = `${label} could not start: ${error.message}`;
        this.rejectWaiter(new ChildFailure('child_exited', this.exitReason));
        resolve();
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.exitReason === undefined;
  }

  send(command: Command): void {
    if (this.alive && this.child.connected) this.child.send(command);
  }

  /** Events of this type go to the listener as they come and are never queued for `next`. */
  on(type: Event['type'], listener: (event: Event) => void): void {
    this.listeners.set(type, listener);
  }

  next<T extends Event['type']>(type: T, timeoutMs: number): Promise<Extract<Event, { type: T }>> {
    const queuedAt = this.queued.findIndex((event) => event.type === type);
    if (queuedAt >= 0) {
      const [event] = this.queued.splice(queuedAt, 1);
      return Promise.resolve(event as Extract<Event, { type: T }>);
    }
    if (this.exitReason !== undefined) {
      return Promise.reject(new ChildFailure('child_exited', this.exitReason));
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(
          new ChildFailure('child_timeout', `${this.label}: no '${type}' within ${timeoutMs} ms`),
        );
      }, timeoutMs);
      this.waiter = {
        type,
        resolve: (event) => resolve(event as Extract<Event, { type: T }>),
        reject,
        timer,
      };
    });
  }

  /** Sends `command` and awaits the reply of type `replyType`. */
  request<T extends Event['type']>(
    command: Command,
    replyType: T,
    timeoutMs: number,
  ): Promise<Extract<Event, { type: T }>> {
    const reply = this.next(replyType, timeoutMs);
    this.send(command);
    return reply;
  }

  /** Asks the child to finish (it exits by itself), and kills it if it has not within `timeoutMs`. */
  async stop(command: Command, timeoutMs: number): Promise<void> {
    if (!this.alive) return;
    this.send(command);
    let timer: NodeJS.Timeout | undefined;
    const exited = await Promise.race([
      this.exited.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (!exited) this.kill();
    await this.exited;
  }

  /** Ends the child for good; the harness only ever kills the children it started. */
  kill(): void {
    if (this.alive) this.child.kill('SIGKILL');
  }

  private receive(raw: unknown): void {
    const parsed = v.safeParse(this.schema, raw);
    if (!parsed.success) {
      this.rejectWaiter(
        new ChildFailure('child_bad_message', `${this.label} sent an unexpected message`),
      );
      return;
    }
    const event = parsed.output;
    const listener = this.listeners.get(event.type);
    if (listener) {
      listener(event);
      return;
    }
    if (event.type === 'failed' && 'message' in event && typeof event.message === 'string') {
      this.rejectWaiter(new ChildFailure('child_failed', `${this.label}: ${event.message}`));
      return;
    }
    const waiter = this.waiter;
    if (waiter && waiter.type === event.type) {
      this.waiter = undefined;
      clearTimeout(waiter.timer);
      waiter.resolve(event);
      return;
    }
    this.queued.push(event);
  }

  private rejectWaiter(error: Error): void {
    const waiter = this.waiter;
    if (!waiter) return;
    this.waiter = undefined;
    clearTimeout(waiter.timer);
    waiter.reject(error);
  }
}
