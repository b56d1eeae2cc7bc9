/**
 * Cleaning up files, at start and then every `intervalMs`:
 * - an upload record (a file sent but maybe never posted) is forgotten `keptMs` after it finished
 *   (a day and an hour: `say` accepts it for a day, the hour covers a `say` in flight);
 * - an unfinished upload that received nothing for `abandonedMs` (a day) is deleted;
 * - a stored file that nothing needs (the book's rule: no message lists it, no file thumbs it, no
 *   upload record names it) is deleted with its bytes, so a deleted message's files go at the next
 *   sweep, and its thumbnail at the one after;
 * - an upload whose bytes are all in but which was never finished (the host stopped in between)
 *   is finished; bytes a crash left unnamed are deleted (once at start, then daily).
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileBook } from '../store/file-book';
import { isMissing, type BlobStore } from './blob-store';
import { UPLOAD_ID, type HashingFileStore } from './hashing-file-store';
import { UPLOAD_POSTABLE_MS } from './say-files';
import type { UploadFinisher } from './upload-finisher';
import { ownerOf } from './upload-metadata';
import type { UploadRegistry } from './upload-registry';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

export const DEFAULT_CLEANUP = {
  intervalMs: 5 * 60 * 1000,
  keptMs: UPLOAD_POSTABLE_MS + HOUR,
  abandonedMs: DAY,
  /** Bytes without a record are left this long (they may be a file being finished). */
  strayMs: HOUR,
  strayScanMs: DAY,
};
export type CleanupTimes = typeof DEFAULT_CLEANUP;

export interface SweeperParts {
  book: () => FileBook;
  blobs: BlobStore;
  uploads: HashingFileStore;
  registry: UploadRegistry;
  finisher: UploadFinisher;
  times: CleanupTimes;
  now: () => number;
  reportBug: (error: unknown) => void;
}

/** What one sweep removed. */
export interface SweepReport {
  uploadsForgotten: number;
  uploadsAbandoned: number;
  filesDeleted: number;
}

/** Stored files looked at per query, and queries per sweep at most. */
const BATCH = 100;
const MAX_BATCHES = 1000;

export class FileSweeper {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<SweepReport> | undefined;
  #lastStrayScan = -Infinity;

  constructor(private readonly parts: SweeperParts) {}

  start(): void {
    this.#timer ??= setInterval(() => void this.#safeSweep(), this.parts.times.intervalMs);
    this.#timer.unref();
  }

  /** Stops the timer and waits for a sweep under way. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => undefined);
  }

  /** One sweep; a sweep asked for while one runs shares it. */
  sweep(): Promise<SweepReport> {
    this.#running ??= this.#sweep().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #safeSweep(): Promise<void> {
    try {
      await this.sweep();
    } catch (error) {
      this.parts.reportBug(error);
    }
  }

  async #sweep(): Promise<SweepReport> {
    const report = { uploadsForgotten: 0, uploadsAbandoned: 0, filesDeleted: 0 };
    report.uploadsForgotten = await this.#forgetOldUploads();
    report.uploadsAbandoned = await this.#walkUploads();
    report.filesDeleted = await this.#deleteUnneeded();
    const now = this.parts.now();
    if (now - this.#lastStrayScan >= this.parts.times.strayScanMs) {
      this.#lastStrayScan = now;
      report.filesDeleted += await this.#deleteStrays();
    }
    return report;
  }

  async #forgetOldUploads(): Promise<number> {
    const { book, uploads, times, now } = this.parts;
    const before = now() - times.keptMs;
    let forgotten = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const old = book().uploadsFinishedBefore(before, BATCH);
      if (old.length === 0) break;
      for (const { uploadId } of old) {
        await uploads.remove(uploadId);
        book().removeUpload(uploadId);
        forgotten++;
      }
    }
    return forgotten;
  }

  /** Unfinished uploads: abandoned ones go, complete ones are finished, the rest are counted. */
  async #walkUploads(): Promise<number> {
    const { book, uploads, registry, finisher, times, now } = this.parts;
    let abandoned = 0;
    for (const name of await readdir(uploads.uploadsDir)) {
      const id = name.slice(0, -'.json'.length);
      if (!name.endsWith('.json') || !UPLOAD_ID.test(id)) continue;
      const finished = book().upload(id);
      if (finished) {
        await finisher.settle(finished);
        continue;
      }
      const upload = await uploads.config(id);
      const written = await modifiedAndSize(uploads.dataPath(id));
      const described = await modifiedAndSize(join(uploads.uploadsDir, name));
      const touched = Math.max(written?.modified ?? 0, described?.modified ?? 0);
      // An upload without a JSON the host wrote may be one being created this instant.
      const owner = upload && ownerOf(upload);
      if (now() - touched > times.abandonedMs) {
        await uploads.remove(id);
        registry.remove(id);
        abandoned++;
      } else if (!upload || owner === undefined) {
        continue;
      } else if (written && upload.size !== undefined && written.size === upload.size) {
        await finisher.finish(upload);
        registry.remove(id);
      } else if (!registry.has(id)) {
        registry.add(id, owner, upload.size ?? 0, touched);
      }
    }
    return abandoned;
  }

  async #deleteUnneeded(): Promise<number> {
    const { book, blobs } = this.parts;
    let deleted = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const unneeded = book().unreferencedBlobs(BATCH);
      let removed = 0;
      for (const id of unneeded) {
        // Checked again inside the turn: an upload of the same bytes may have just finished.
        const gone = await blobs.exclusive(id, async () => {
          if (!book().removeBlobIfUnreferenced(id)) return false;
          await blobs.remove(id);
          return true;
        });
        if (gone) removed++;
      }
      deleted += removed;
      if (removed === 0) break;
    }
    return deleted;
  }

  async #deleteStrays(): Promise<number> {
    const { book, blobs, uploads, times, now } = this.parts;
    const before = now() - times.strayMs;
    let deleted = 0;
    for await (const { id, modified } of blobs.list()) {
      if (modified >= before || book().blob(id)) continue;
      const gone = await blobs.exclusive(id, async () => {
        if (book().blob(id)) return false;
        await blobs.remove(id);
        return true;
      });
      if (gone) deleted++;
    }
    // Thumbnails a crash left half-made.
    for (const name of await readdir(uploads.uploadsDir)) {
      if (!name.endsWith('.thumb')) continue;
      const path = join(uploads.uploadsDir, name);
      const info = await modifiedAndSize(path);
      if (info && info.modified < before) await rm(path, { force: true });
    }
    return deleted;
  }
}

async function modifiedAndSize(
  path: string,
): Promise<{ modified: number; size: number } | undefined> {
  try {
    const info = await stat(path);
    return { modified: info.mtimeMs, size: info.size };
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}
