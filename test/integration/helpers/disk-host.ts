/**
 * A host in the test process on 127.0.0.1 with its history in SQLite in a real directory, that
 * can be restarted on the same directory and port (close everything, reopen the store, listen
 * again), and that tells the test how far the history is durable.
 */
import { startHost } from '../../../main/host/server';
import { openSqliteStore } from '../../../main/host/store/sqlite-store';
import type { ParleyHost } from '../../../main/host/types';
import { GENERAL } from '../../../protocol/wire/identity';
import type { Limits } from '../../../protocol/wire/limits';
import { until } from '../../support/wait';

/** Generous rates unless a test is about rate limiting: the point here is delivery. */
export const FAST_LIMITS: Partial<Limits> = { rateBurst: 10_000, ratePerSecond: 10_000 };

const ROOM_NAME = 'Disk room';
const live = new Set<DiskHost>();

export class DiskHost {
  #host: ParleyHost | undefined;
  #port = 0;
  #durableSeq = 0;

  private constructor(
    readonly dir: string,
    private readonly limits: Partial<Limits>,
  ) {}

  /** Opens the history in `dir` and starts listening on a free port. */
  static async start(dir: string, limits: Partial<Limits> = FAST_LIMITS): Promise<DiskHost> {
    const host = new DiskHost(dir, limits);
    live.add(host);
    await host.open(0);
    return host;
  }

  get host(): ParleyHost {
    if (!this.#host) throw new Error('the host is stopped');
    return this.#host;
  }

  get running(): boolean {
    return this.#host !== undefined;
  }

  get port(): number {
    return this.#port;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.#port}/ws`;
  }

  /** Highest seq of `general` the store reported committed (and synced). */
  get durableSeq(): number {
    return this.#durableSeq;
  }

  whenDurable(seq: number, ms: number): Promise<void> {
    return until(
      () => this.#durableSeq >= seq,
      ms,
      `seq ${seq} to be durable`,
      () => String(this.#durableSeq),
    );
  }

  /** A clean stop and a start on the same directory and port. */
  async restart(): Promise<void> {
    await this.stop();
    await this.open(this.#port);
  }

  /** Closes every socket with 1001, flushes and closes the store. Idempotent. */
  async stop(): Promise<void> {
    const host = this.#host;
    this.#host = undefined;
    // ParleyHost.close closes the store it was given too.
    await host?.close();
  }

  async close(): Promise<void> {
    live.delete(this);
    await this.stop();
  }

  private async open(port: number): Promise<void> {
    const store = await openSqliteStore(this.dir, ROOM_NAME, {
      onCommit: ({ lastDurableSeqs }) => {
        this.#durableSeq = lastDurableSeqs[GENERAL] ?? this.#durableSeq;
      },
    });
    this.#durableSeq = store.lastDurableSeq(GENERAL);
    try {
      this.#host = await startHost({ host: '127.0.0.1', port, store, limits: this.limits });
    } catch (error) {
      await store.close();
      throw error;
    }
    this.#port = this.#host.port;
  }
}

/** Stops every host a test left running (afterEach). */
export async function closeDiskHosts(): Promise<void> {
  await Promise.all([...live].map((host) => host.close()));
}
