/**
 * tus's file store (`@tus/file-store`: the bytes at `UPLOADS/ID`, the upload's JSON at
 * `UPLOADS/ID.json`) with its writes hashed as they reach the disk: a SHA-256 per upload,
 * advanced only by bytes actually written, so at the end the file's id is known without reading
 * it again. The hash lives in memory only: after a host restart (or a write cut mid-way, when
 * what reached the disk is not certain) it is dropped and the finisher hashes the file from disk.
 *
 * A finished upload's bytes have moved to the content-addressed store; its JSON stays until the
 * upload record expires, and `getUpload` answers it as complete (HEAD, a late PATCH).
 */
import { createHash, type Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileConfigstore, FileStore } from '@tus/file-store';
import { ERRORS, Upload } from '@tus/utils';

/** tus's default upload ids: 16 random bytes in hex. */
export const UPLOAD_ID = /^[0-9a-f]{32}$/;

interface HashState {
  hash: Hash;
  /** Bytes hashed, which are exactly the bytes written from the start of the upload. */
  bytes: number;
}

export class HashingFileStore extends FileStore {
  readonly #hashes = new Map<string, HashState>();

  private constructor(
    readonly uploadsDir: string,
    /** True when the upload finished (its bytes are stored by content now). */
    private readonly finished: (id: string) => boolean,
  ) {
    super({ directory: uploadsDir, configstore: new FileConfigstore(uploadsDir) });
  }

  /** The folder is made first: tus's constructor only starts making it, and cannot report why. */
  static async open(uploadsDir: string, finished: (id: string) => boolean) {
    await mkdir(uploadsDir, { recursive: true, mode: 0o700 });
    return new HashingFileStore(uploadsDir, finished);
  }

  dataPath(id: string): string {
    if (!UPLOAD_ID.test(id)) throw ERRORS.FILE_NOT_FOUND;
    return join(this.uploadsDir, id);
  }

  /** The upload's JSON (tus's Upload as stored), or undefined. */
  async config(id: string): Promise<Upload | undefined> {
    if (!UPLOAD_ID.test(id)) return undefined;
    return this.configstore.get(id);
  }

  override async create(upload: Upload): Promise<Upload> {
    const created = await super.create(upload);
    this.#hashes.set(upload.id, { hash: createHash('sha256'), bytes: 0 });
    return created;
  }

  override async write(readable: Readable, id: string, offset: number): Promise<number> {
    const kept = this.#hashes.get(id);
    this.#hashes.delete(id);
    const hashing =
      kept?.bytes === offset
        ? kept
        : offset === 0
          ? { hash: createHash('sha256'), bytes: 0 }
          : undefined;
    const handle = await open(this.dataPath(id), 'r+');
    const sink = new HashingWriter(handle, offset, hashing);
    try {
      await pipeline(readable, sink);
    } catch {
      throw ERRORS.FILE_WRITE_ERROR;
    } finally {
      await handle.close();
      if (hashing && sink.intact) this.#hashes.set(id, hashing);
    }
    return sink.position;
  }

  override async getUpload(id: string): Promise<Upload> {
    if (!this.finished(id)) return super.getUpload(id);
    const stored = await this.config(id);
    if (!stored || stored.size === undefined) throw ERRORS.FILE_NOT_FOUND;
    // tus's Upload holds its absent fields as undefined; its constructor takes them left out.
    const { size, metadata, creation_date, storage } = stored;
    return new Upload({
      id: stored.id,
      size,
      offset: size,
      ...(metadata && { metadata }),
      ...(creation_date !== undefined && { creation_date }),
      ...(storage && { storage }),
    });
  }

  /** Forgets an upload: its JSON, and its bytes unless they were stored by content. */
  override async remove(id: string): Promise<void> {
    this.#hashes.delete(id);
    if (!UPLOAD_ID.test(id)) throw ERRORS.FILE_NOT_FOUND;
    await rm(this.dataPath(id), { force: true });
    await rm(join(this.uploadsDir, `${id}.json`), { force: true });
  }

  /** The hex SHA-256 of an upload of `size` bytes if every byte went through the hash; once. */
  takeDigest(id: string, size: number): string | undefined {
    const state = this.#hashes.get(id);
    this.#hashes.delete(id);
    return state?.bytes === size ? state.hash.digest('hex') : undefined;
  }
}

/**
 * Writes at a position and hashes what was written, in order. Chunks that arrive while a write
 * runs go together in one writev. Destroyed mid-write, it waits for the write under way, so the
 * hash and `position` say exactly what reached the file.
 */
class HashingWriter extends Writable {
  intact = true;
  #writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly handle: FileHandle,
    public position: number,
    private readonly hashing: HashState | undefined,
  ) {
    super({ highWaterMark: 1024 * 1024 });
  }

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    done: (error?: Error | null) => void,
  ): void {
    this.#writeAll([chunk], done);
  }

  override _writev(chunks: { chunk: Buffer }[], done: (error?: Error | null) => void): void {
    this.#writeAll(
      chunks.map(({ chunk }) => chunk),
      done,
    );
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    void this.#writing.then(() => done(error));
  }

  #writeAll(buffers: Buffer[], done: (error?: Error | null) => void): void {
    const length = buffers.reduce((sum, buffer) => sum + buffer.length, 0);
    this.#writing = this.handle.writev(buffers, this.position).then(
      ({ bytesWritten }) => {
        if (bytesWritten !== length) {
          this.intact = false;
          done(new Error(`wrote ${bytesWritten} of ${length} bytes`));
          return;
        }
        if (this.hashing) {
          for (const buffer of buffers) this.hashing.hash.update(buffer);
          this.hashing.bytes += length;
        }
        this.position += length;
        done();
      },
      (error: Error) => {
        this.intact = false;
        done(error);
      },
    );
  }
}
