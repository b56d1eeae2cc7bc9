/**
 * The unfinished uploads this host knows of, for the limits that are checked before a byte is
 * read: the room's space (an upload reserves its whole length from its creation until it
 * finishes, is terminated or expires) and uploads at once per identity (an upload counts while a
 * request of it runs, or while it was active within `activeMs`: a client that pauses between
 * requests still holds its slot, one that vanished frees it soon).
 *
 * Filled at start from the uploads folder (uploads survive restarts), then kept by the routes.
 */
interface Unfinished {
  owner: string;
  size: number;
  lastActive: number;
  running: number;
}

export class UploadRegistry {
  readonly #uploads = new Map<string, Unfinished>();

  constructor(
    private readonly activeMs: number,
    private readonly now: () => number,
  ) {}

  add(id: string, owner: string, size: number, lastActive = this.now()): void {
    this.#uploads.set(id, { owner, size, lastActive, running: 0 });
  }

  has(id: string): boolean {
    return this.#uploads.has(id);
  }

  remove(id: string): void {
    this.#uploads.delete(id);
  }

  /** A request of upload `id` starts; call the returned function once when it ends. */
  begin(id: string): () => void {
    const upload = this.#uploads.get(id);
    if (!upload) return () => {};
    upload.running++;
    upload.lastActive = this.now();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      upload.running--;
      upload.lastActive = this.now();
    };
  }

  /** Bytes reserved by unfinished uploads. */
  reservedBytes(): number {
    let total = 0;
    for (const { size } of this.#uploads.values()) total += size;
    return total;
  }

  /** Uploads of `owner` that count as under way (see above). */
  activeOf(owner: string): number {
    const since = this.now() - this.activeMs;
    let count = 0;
    for (const upload of this.#uploads.values()) {
      if (upload.owner === owner && (upload.running > 0 || upload.lastActive > since)) count++;
    }
    return count;
  }

  /** Requests of `owner`'s uploads running now. */
  runningOf(owner: string): number {
    let count = 0;
    for (const upload of this.#uploads.values())
      if (upload.owner === owner) count += upload.running;
    return count;
  }
}
