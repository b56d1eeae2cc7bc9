/**
 * An upload whose last byte arrived becomes a stored file: its id (the SHA-256 the store kept
 * while writing, or read again from disk after a restart), its type from its bytes, an image's
 * size and thumbnail, the records (finished upload, stored file), and last its bytes moved to
 * their content address.
 *
 * The order makes every crash recoverable: the records are written together (synchronously) only
 * once the bytes are hashed and the thumbnail stored, and the upload's bytes move last, so a host
 * that stops in between finds a finished record whose bytes still wait in the uploads folder and
 * moves them (`settle`). The finished-upload record is written before the stored file's, so the
 * sweeper never sees the file unneeded in between.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Upload } from '@tus/utils';
import { fileTypeFromFile } from 'file-type';
import type { FileBook, FinishedUpload, StoredBlob } from '../store/file-book';
import type { BlobStore } from './blob-store';
import { isMissing } from './blob-store';
import { safeFileName } from './file-names';
import type { HashingFileStore } from './hashing-file-store';
import { probeImage, RASTER_IMAGE_TYPES } from './image-probe';
import { uploadMetadata } from './upload-metadata';

export const UNKNOWN_TYPE = 'application/octet-stream';

/** A complete upload as tus describes it. */
export type FinishingUpload = Pick<Upload, 'id' | 'size' | 'metadata'>;

export interface FinisherParts {
  book: FileBook;
  blobs: BlobStore;
  uploads: HashingFileStore;
  now: () => number;
}

export class UploadFinisher {
  /** Finishing runs once per upload, however many requests ask for it at once. */
  readonly #running = new Map<string, Promise<FinishedUpload>>();

  constructor(private readonly parts: FinisherParts) {}

  /** The finished record of a complete upload, finishing it first if need be. */
  finish(upload: FinishingUpload): Promise<FinishedUpload> {
    const done = this.parts.book.upload(upload.id);
    if (done) return this.settle(done);
    let running = this.#running.get(upload.id);
    if (!running) {
      running = this.#finish(upload).finally(() => this.#running.delete(upload.id));
      this.#running.set(upload.id, running);
    }
    return running;
  }

  /** Moves a finished upload's bytes to their content address if a crash left them behind. */
  async settle(record: FinishedUpload): Promise<FinishedUpload> {
    const { blobs, uploads } = this.parts;
    const path = uploads.dataPath(record.uploadId);
    if (await exists(path)) {
      await blobs.exclusive(record.fileId, () => blobs.place(record.fileId, path));
    }
    return record;
  }

  async #finish(upload: FinishingUpload): Promise<FinishedUpload> {
    const { book, blobs, uploads, now } = this.parts;
    const meta = uploadMetadata(upload);
    const size = upload.size ?? 0;
    const path = uploads.dataPath(upload.id);
    const id = uploads.takeDigest(upload.id, size) ?? (await hashFile(path));
    let blob = book.blob(id);
    let thumb: StoredBlob | undefined;
    if (!blob) {
      const mime = (await fileTypeFromFile(path))?.mime ?? UNKNOWN_TYPE;
      blob = { id, size, mime, created: now() };
      if (RASTER_IMAGE_TYPES.has(mime)) {
        const thumbPath = join(uploads.uploadsDir, `${upload.id}.thumb`);
        const facts = await probeImage(path, thumbPath);
        if (facts) {
          const thumbId = await hashFile(thumbPath);
          await blobs.exclusive(thumbId, () => blobs.place(thumbId, thumbPath));
          thumb = { id: thumbId, mime: 'image/webp', ...facts.thumb, created: now() };
          blob = { ...blob, width: facts.width, height: facts.height, thumb: thumbId };
        }
      }
    }
    const record: FinishedUpload = {
      uploadId: upload.id,
      fileId: id,
      peerId: meta.owner,
      conv: meta.conv,
      name: safeFileName(meta.filename),
      finished: now(),
    };
    book.saveUpload(record);
    if (thumb) book.saveBlob(thumb);
    book.saveBlob(blob);
    await blobs.exclusive(id, () => blobs.place(id, path));
    return record;
  }
}

/** The hex SHA-256 of a file, read as a stream. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path, { highWaterMark: 1024 * 1024 }), hash);
  return hash.digest('hex');
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}
