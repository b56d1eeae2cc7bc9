/**
 * Sends read markers for the conversations the person reads: each seq once (again only after its
 * request failed), never a lower one, and at most one request per conversation every `intervalMs`
 * (a busy room read at its end would otherwise mark every frame), the newest seq going out when
 * the interval is over.
 */

export interface ReadMarkerOptions {
  /** Sends one marker; its failure is not worth a word (the next one carries the same news). */
  send: (conv: string, seq: number) => Promise<void>;
  intervalMs?: number;
  setTimer?: (callback: () => void, ms: number) => ReturnType<typeof setTimeout>;
  clearTimer?: (handle: ReturnType<typeof setTimeout>) => void;
}

interface ConversationMarks {
  /** The highest seq asked for. */
  wanted: number;
  /** The highest seq sent. */
  sent: number;
  /** Waiting out the interval (or the request in flight) before sending again. */
  busy: boolean;
}

export const READ_MARK_INTERVAL_MS = 400;

export class ReadMarker {
  readonly #send: ReadMarkerOptions['send'];
  readonly #intervalMs: number;
  readonly #setTimer: NonNullable<ReadMarkerOptions['setTimer']>;
  readonly #clearTimer: NonNullable<ReadMarkerOptions['clearTimer']>;
  readonly #marks = new Map<string, ConversationMarks>();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(options: ReadMarkerOptions) {
    this.#send = options.send;
    this.#intervalMs = options.intervalMs ?? READ_MARK_INTERVAL_MS;
    this.#setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
    this.#clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle));
  }

  /** The person has read `conv` up to `seq`. */
  mark(conv: string, seq: number): void {
    const marks = this.#marks.get(conv) ?? { wanted: 0, sent: 0, busy: false };
    this.#marks.set(conv, marks);
    if (seq <= marks.wanted) return;
    marks.wanted = seq;
    if (!marks.busy) this.#flush(conv, marks);
  }

  /** Forgets everything (another room: its seqs start over). */
  reset(): void {
    for (const timer of this.#timers) this.#clearTimer(timer);
    this.#timers.clear();
    this.#marks.clear();
  }

  #flush(conv: string, marks: ConversationMarks): void {
    if (marks.wanted <= marks.sent) return;
    const before = marks.sent;
    marks.sent = marks.wanted;
    marks.busy = true;
    void this.#send(conv, marks.sent)
      .catch(() => {
        // Not sent (no connection, say): the same seq may be asked for again.
        if (marks.sent === marks.wanted) marks.wanted = before;
        marks.sent = before;
      })
      .then(() => {
        // Reset meanwhile: this conversation's marks belong to a room left behind.
        if (this.#marks.get(conv) !== marks) return;
        const timer = this.#setTimer(() => {
          this.#timers.delete(timer);
          marks.busy = false;
          this.#flush(conv, marks);
        }, this.#intervalMs);
        this.#timers.add(timer);
      });
  }
}
