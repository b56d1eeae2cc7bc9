/**
 * Forgets resume tokens nobody has used for a while (RoomStore.pruneSessions): once when the host
 * starts, then once a day, so a room that runs for months does not keep every token it ever
 * handed out. A token used within the retention (found on a resume) is kept.
 */
import type { RoomStore } from './store/room-store';

export const DAY_MS = 24 * 60 * 60 * 1000;

export class SessionPruner {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Pick<RoomStore, 'pruneSessions'>,
    private readonly retentionDays: number,
    private readonly reportBug: (error: unknown) => void,
  ) {}

  /** Prunes now and then once a day until `stop`. */
  start(): void {
    this.prune();
    this.timer ??= setInterval(() => this.prune(), DAY_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** How many sessions were forgotten (0 when the store failed: it is logged, never fatal). */
  prune(): number {
    try {
      return this.store.pruneSessions(Date.now() - this.retentionDays * DAY_MS);
    } catch (error) {
      // A closed or failing store is handled where appends fail; a prune can wait a day.
      this.reportBug(error);
      return 0;
    }
  }
}
