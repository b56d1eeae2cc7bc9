/**
 * Files on disk by content: the bytes whose SHA-256 is `abcdef…` live at `DIR/ab/cdef…`, so
 * identical files are stored once and a name never becomes a path. A file arrives complete by an
 * atomic rename from the same file system (the uploads folder lives beside, see files-options.ts),
 * synced first, so a crash leaves either no file or the whole of it.
 *
 * Placing and removing the same id take turns (`exclusive`): the sweeper removing a file nobody
 * needed and an upload of the same bytes finishing at that moment must not lose the file.
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** A file id: lowercase hex SHA-256. */
export const FILE_ID = /^[0-9a-f]{64}$/;
const SHARD = /^[0-9a-f]{2}$/;
const REST = /^[0-9a-f]{62}$/;

export class BlobStore {
  readonly #turns = new Map<string, Promise<unknown>>();

  constructor(readonly dir: string) {}

  pathOf(id: string): string {
    if (!FILE_ID.test(id)) throw new TypeError(`not a file id: ${id}`);
    return join(this.dir, id.slice(0, 2), id.slice(2));
  }

  /** The size of the stored file, or undefined when there is none. */
  async sizeOf(id: string): Promise<number | undefined> {
    try {
      const info = await stat(this.pathOf(id));
      return info.isFile() ? info.size : undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  /**
   * Makes `source` (a complete file on the same file system) the file `id`, or removes it when
   * the file is stored already. Call inside `exclusive(id)`.
   */
  async place(id: string, source: string): Promise<'placed' | 'existed'> {
    const target = this.pathOf(id);
    if ((await this.sizeOf(id)) !== undefined) {
      await rm(source, { force: true });
      return 'existed';
    }
    await syncFile(source);
    const shard = join(this.dir, id.slice(0, 2));
    await mkdir(shard, { recursive: true, mode: 0o700 });
    await rename(source, target);
    await syncFolder(shard);
    return 'placed';
  }

  /** Removes file `id` if stored. Call inside `exclusive(id)`. */
  async remove(id: string): Promise<void> {
    try {
      await unlink(this.pathOf(id));
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }

  /** Runs `work` when no other work on `id` runs, in the order asked. */
  exclusive<T>(id: string, work: () => Promise<T>): Promise<T> {
    const before = this.#turns.get(id) ?? Promise.resolve();
    const turn = before.then(work, work);
    const settled = turn.catch(() => undefined);
    this.#turns.set(id, settled);
    void settled.then(() => {
      if (this.#turns.get(id) === settled) this.#turns.delete(id);
    });
    return turn;
  }

  /** Streams bytes `start` to `end` (inclusive) of file `id`. */
  read(id: string, range?: { start: number; end: number }) {
    return createReadStream(this.pathOf(id), { ...range, highWaterMark: 256 * 1024 });
  }

  /** Every stored file with its modification time (for the sweeper: files without a record). */
  async *list(): AsyncGenerator<{ id: string; modified: number }> {
    for (const shard of await namesIn(this.dir)) {
      if (!SHARD.test(shard)) continue;
      for (const rest of await namesIn(join(this.dir, shard))) {
        if (!REST.test(rest)) continue;
        try {
          const info = await stat(join(this.dir, shard, rest));
          if (info.isFile()) yield { id: shard + rest, modified: info.mtimeMs };
        } catch (error) {
          if (!isMissing(error)) throw error;
        }
      }
    }
  }
}

async function namesIn(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A rename is durable once its folder is synced; Windows cannot open a folder, and needs none. */
async function syncFolder(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return;
  }
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse to sync a folder; the rename itself is atomic all the same.
  } finally {
    await handle.close();
  }
}

export function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
