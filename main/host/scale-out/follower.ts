/**
 * Follows a shared room's event stream: every host, the one that made an event included, learns
 * of it here and applies it in stream order: entries are stored in the replica and shown
 * (event-effects.ts), presence and the rest change the room. One connection blocks on XREAD from
 * the last event applied, so a Redis that goes away and comes back costs no event; an event whose
 * predecessor is not the last one applied means some were trimmed away meanwhile, and the
 * follower resynchronises from a snapshot and the conversations' logs (snapshot.ts).
 *
 * Entries become visible in the replica one commit later (a disk replica resolves them at the
 * commit, REPLICA_DURABILITY): events are applied in order through a queue whose head waits for
 * its entry's commit.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Entry } from '../../../protocol/wire/entries';
import type { Room } from '../room';
import type { RoomStore } from '../store/room-store';
import { EventEffects } from './event-effects';
import { parseEvent, streamEntries, type RoomEvent } from './events';
import { describe, type RedisLink, type Reply } from './redis-link';
import type { SharedLog } from './shared-log';
import type { SharedRoom } from './shared-room';
import { catchUp } from './snapshot';

/** Events read at most per XREAD; the follower applies them before it reads again. */
const READ_COUNT = 1000;
/** How long one XREAD blocks before it is asked again (ms): bounds how long close() waits. */
const BLOCK_MS = 1000;

/** Pause after Redis answered XREAD with an error (ms). */
const RETRY_MS = 200;

interface Step {
  ready: boolean;
  readonly run: () => void;
}

export class Follower {
  /** The newest event applied (queued in order); catchUp() sets it first. */
  #lastId: string;
  readonly #steps: Step[] = [];
  #running: Promise<void> | undefined;
  #stopped = false;
  readonly #effects: EventEffects;
  /** Resolves once the loop is waiting for Redis again (tests, close). */
  #readyWaiters: (() => void)[] = [];

  constructor(
    private readonly shared: SharedRoom,
    private readonly link: RedisLink,
    private readonly cache: RoomStore,
    private readonly room: Room,
    private readonly log: SharedLog,
    private readonly problem: (why: string) => void,
    private readonly failed: (error: Error) => void,
  ) {
    this.#lastId = '0-0';
    this.#effects = new EventEffects(room, cache, shared.hostId, log);
  }

  get lastEventId(): string {
    return this.#lastId;
  }

  /** Redis refused a rename this host showed already: the room's name is shown again. */
  renamed(conv: string): void {
    this.#effects.renamed(conv);
  }

  /** Catches up from a snapshot and the logs (at start, and after missing events). */
  async catchUp(): Promise<void> {
    this.#lastId = await catchUp(this.shared, this.cache, this.#effects, {
      entry: (entry) => this.#queueEntry(entry),
      effect: (run) => this.#queue({ ready: true, run }),
      problem: this.problem,
    });
  }

  /** Resolves once everything read so far is applied (shown to this host's people). */
  async applied(): Promise<void> {
    if (this.#steps.length === 0) return;
    await new Promise<void>((resolve) => this.#queue({ ready: true, run: resolve }));
  }

  /** Starts following; runs until stop(). */
  start(): void {
    this.#running ??= this.#loop();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const wake of this.#readyWaiters.splice(0)) wake();
    await this.#running;
  }

  async #loop(): Promise<void> {
    while (!this.#stopped) {
      if (!this.link.stream.isReady) {
        await this.#whenReady();
        continue;
      }
      let reply: Reply;
      try {
        reply = await this.link.stream.sendCommand<Reply>([
          'XREAD',
          'COUNT',
          String(READ_COUNT),
          'BLOCK',
          String(BLOCK_MS),
          'STREAMS',
          this.shared.keys.events,
          this.#lastId,
        ]);
      } catch (error) {
        if (this.#stopped) return;
        if (this.link.stream.isReady) {
          // Redis answered with an error: say so, and do not ask again at once.
          this.problem(`reading the room's events: ${describe(error)}`);
          await delay(RETRY_MS);
        }
        // Reconnecting: node-redis says when it is ready again.
        await this.#whenReady();
        continue;
      }
      try {
        await this.#applyAll(streamEntries(reply));
      } catch (error) {
        this.failed(error instanceof Error ? error : new Error(String(error)));
        return;
      }
    }
  }

  async #applyAll(raw: Reply[]): Promise<void> {
    for (const item of raw) {
      const event = parseEvent(item);
      if (typeof event === 'string') {
        this.problem(`skipped an event: ${event}`);
        if (Array.isArray(item) && typeof item[0] === 'string') this.#lastId = item[0];
        continue;
      }
      if (event.prev !== this.#lastId) {
        // Events between the last one applied and this one were trimmed away: catch up from the
        // logs themselves, then read on from where the snapshot was taken.
        this.problem(`missed events after ${this.#lastId}: catching up from the logs`);
        await this.catchUp();
        return;
      }
      this.#apply(event);
      this.#lastId = event.id;
    }
  }

  #apply(event: RoomEvent): void {
    if (event.kind === 'e') {
      this.#queueEntry(event.data);
      return;
    }
    let run: (() => void) | undefined;
    try {
      run = this.#effects.apply(event);
    } catch (error) {
      // The replica refused it (a rename it finds taken): the room goes on, the log says why.
      this.problem(`applying event ${event.id} (${event.kind}): ${describe(error)}`);
    }
    if (run) this.#queue({ ready: true, run });
  }

  /** Stores the entry in the replica (unless it has it) and shows it once it is committed. */
  #queueEntry(entry: Entry): void {
    const stored = this.#effects.store(entry);
    if (!stored) return;
    const step: Step = { ready: false, run: () => this.#effects.show(stored.entry) };
    stored.committed.then(
      () => {
        step.ready = true;
        this.#drain();
      },
      (error: unknown) => this.failed(error instanceof Error ? error : new Error(String(error))),
    );
    this.#steps.push(step);
  }

  #queue(step: Step): void {
    this.#steps.push(step);
    this.#drain();
  }

  #drain(): void {
    while (this.#steps[0]?.ready) {
      const step = this.#steps.shift()!;
      try {
        step.run();
      } catch (error) {
        this.problem(`applying an event: ${describe(error)}`);
      }
    }
  }

  /** Resolves once the stream connection is ready again (or the follower stops). */
  #whenReady(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.link.stream.off('ready', done);
        this.#readyWaiters = this.#readyWaiters.filter((waiter) => waiter !== done);
        resolve();
      };
      this.#readyWaiters.push(done);
      this.link.stream.on('ready', done);
      // Ready in between: do not wait for the next reconnect.
      if (this.link.stream.isReady) done();
    });
  }
}
