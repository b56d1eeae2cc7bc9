/**
 * Keeps the saved session snapshot of a joined room current: at once on every welcome (a new
 * token), at most once per `delayMs` while entries arrive (the cursors), and a final time when the
 * room closes. A snapshot that is a little behind costs only a few entries received twice after
 * a crash, which the client session drops by seq; so saving on every entry would buy nothing but
 * disk writes.
 */
import type { SessionSnapshot } from '../../../protocol/client/client-types';
import type { RoomSession } from '../../../protocol/client/room-adapter';

export interface SnapshotKeeperOptions {
  session: Pick<RoomSession, 'on' | 'snapshot'>;
  /** Persists the snapshot for the name the host knows this peer by. */
  save: (snapshot: SessionSnapshot, name: string) => Promise<void>;
  /** Longest new cursors wait before they are saved. Default 1000 ms. */
  delayMs?: number;
  log?: (message: string, detail?: unknown) => void;
}

export class SnapshotKeeper {
  readonly #options: Required<SnapshotKeeperOptions>;
  readonly #stops: (() => void)[];
  #name: string | undefined;
  #saved = '';
  #timer: ReturnType<typeof setTimeout> | undefined;
  #writing: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(options: SnapshotKeeperOptions) {
    this.#options = {
      delayMs: 1000,
      log: (message: string, detail?: unknown) => console.warn(message, detail ?? ''),
      ...options,
    };
    const { session } = options;
    this.#stops = [
      session.on('welcome', (welcome) => {
        this.#name = welcome.self.name;
        void this.#saveNow();
      }),
      session.on('entry', () => this.#schedule()),
    ];
  }

  /** Stops listening and saves the final snapshot; never rejects. Idempotent. */
  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      for (const stop of this.#stops) stop();
      clearTimeout(this.#timer);
      this.#timer = undefined;
      void this.#saveNow(true);
    }
    await this.#writing;
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#saveNow();
    }, this.#options.delayMs);
  }

  /** Queues a save of the current snapshot unless it equals the last one saved. */
  #saveNow(final = false): Promise<void> {
    if (this.#closed && !final) return this.#writing;
    const snapshot = this.#options.session.snapshot();
    const name = this.#name;
    if (!snapshot || name === undefined) return this.#writing;
    const key = JSON.stringify([snapshot, name]);
    if (key === this.#saved) return this.#writing;
    this.#saved = key;
    this.#writing = this.#writing.then(() =>
      this.#options
        .save(snapshot, name)
        .catch((error: unknown) => this.#options.log('parley: session not remembered', error)),
    );
    return this.#writing;
  }
}
