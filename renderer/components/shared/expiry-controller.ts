/**
 * Re-renders its host when the next of its deadlines passes (typing indicators expire ~3 s after
 * the last `typing`), with one timer at a time, cleared when the host leaves the page.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class ExpiryController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #nextDeadline: () => number | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #scheduledFor: number | undefined;

  /** `nextDeadline` returns the earliest future deadline (ms since the epoch), if any. */
  constructor(host: ReactiveControllerHost, nextDeadline: () => number | undefined) {
    this.#host = host;
    this.#nextDeadline = nextDeadline;
    host.addController(this);
  }

  hostUpdated(): void {
    const deadline = this.#nextDeadline();
    if (deadline === this.#scheduledFor) return;
    this.#clear();
    if (deadline === undefined) return;
    this.#scheduledFor = deadline;
    // A few ms late, so the re-render sees the deadline as passed.
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#scheduledFor = undefined;
        this.#host.requestUpdate();
      },
      Math.max(0, deadline - Date.now()) + 20,
    );
  }

  hostDisconnected(): void {
    this.#clear();
  }

  #clear(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#scheduledFor = undefined;
  }
}
