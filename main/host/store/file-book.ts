/**
 * What a room keeps about its files (issue 14), beside its logs: the room file secret that
 * capability URLs are made with, the uploads that finished (who sent what, for which
 * conversation, under which name) and the stored files themselves (content-addressed by SHA-256,
 * with what their bytes are). The bytes live on disk (main/host/files/); this is the index.
 *
 * A stored file may be deleted once nothing needs it (`unreferencedBlobs`): no text entry in its
 * current state lists it (a deleted message lists nothing), no other stored file has it as its
 * thumbnail, and no finished upload record names it (a file sent but not posted yet). Text entries
 * are the store's own; how a store knows which files they list is its business (SQLite: an index
 * kept by triggers, see sqlite-file-book.ts; memory: a scan of the logs).
 *
 * Writes are not synced on their own: like read markers, they reach the disk with the next commit.
 */
import { randomBytes } from 'node:crypto';
import type { RoomStore } from './room-store';

/** A stored file: its bytes are at the content address of `id`. */
export interface StoredBlob {
  /** Lowercase hex SHA-256 of the bytes. */
  id: string;
  size: number;
  /** From the bytes (magic numbers), never from a name. */
  mime: string;
  width?: number;
  height?: number;
  /** The id of its thumbnail, itself a stored file (images only). */
  thumb?: string;
  created: number;
}

/** An upload that finished: what the sender may now post with `say {files: [fileId]}`. */
export interface FinishedUpload {
  /** The tus upload id. */
  uploadId: string;
  fileId: string;
  /** The identity that sent it. */
  peerId: string;
  /** The conversation it was sent for. */
  conv: string;
  /** The sender's file name, made safe (files/file-names.ts). */
  name: string;
  finished: number;
}

export interface FileBook {
  /** The room file secret (32 random bytes): created on first use, then never changed. */
  secret(): Buffer;

  /** Records (or replaces) a finished upload. */
  saveUpload(upload: FinishedUpload): void;
  upload(uploadId: string): FinishedUpload | undefined;
  /** The newest upload of `fileId` by `peerId` for `conv` that finished at or after `since`. */
  uploadOf(peerId: string, conv: string, fileId: string, since: number): FinishedUpload | undefined;
  /** Up to `limit` finished uploads that finished before `before`, oldest first. */
  uploadsFinishedBefore(before: number, limit: number): FinishedUpload[];
  removeUpload(uploadId: string): void;

  /** Records a stored file; a file already recorded keeps its record. */
  saveBlob(blob: StoredBlob): void;
  blob(id: string): StoredBlob | undefined;
  /** Bytes of every stored file together (thumbnails included). */
  blobBytes(): number;
  /** Up to `limit` stored files that nothing needs any more (see above). */
  unreferencedBlobs(limit: number): string[];
  /**
   * Forgets a stored file if nothing needs it (checked again at once, so a file posted or sent
   * again meanwhile is kept); true when it was forgotten, and its bytes may go.
   */
  removeBlobIfUnreferenced(id: string): boolean;
}

/** The random secret of a new room. */
export function createFileSecret(): Buffer {
  return randomBytes(32);
}

/** The file ids a durable text entry lists now; a shared reading of the logs. */
function* listedFiles(store: Pick<RoomStore, 'conversations' | 'page'>): Generator<string> {
  const PAGE = 500;
  for (const { id, lastSeq } of store.conversations()) {
    for (let before = lastSeq + 1; before > 1; before -= PAGE) {
      for (const entry of store.page(id, before, PAGE)) {
        if (entry.kind === 'text') for (const file of entry.files ?? []) yield file.id;
      }
    }
  }
}

/** The memory store's book: gone with the process, like the rest of a memory room. */
export class MemoryFileBook implements FileBook {
  readonly #secret = createFileSecret();
  readonly #uploads = new Map<string, FinishedUpload>();
  readonly #blobs = new Map<string, StoredBlob>();

  constructor(private readonly store: Pick<RoomStore, 'conversations' | 'page'>) {}

  secret(): Buffer {
    return Buffer.from(this.#secret);
  }

  saveUpload(upload: FinishedUpload): void {
    this.#uploads.set(upload.uploadId, { ...upload });
  }

  upload(uploadId: string): FinishedUpload | undefined {
    const found = this.#uploads.get(uploadId);
    return found && { ...found };
  }

  uploadOf(peerId: string, conv: string, fileId: string, since: number) {
    let newest: FinishedUpload | undefined;
    for (const upload of this.#uploads.values()) {
      if (upload.peerId !== peerId || upload.conv !== conv || upload.fileId !== fileId) continue;
      if (upload.finished < since) continue;
      if (!newest || upload.finished >= newest.finished) newest = upload;
    }
    return newest && { ...newest };
  }

  uploadsFinishedBefore(before: number, limit: number): FinishedUpload[] {
    return [...this.#uploads.values()]
      .filter((upload) => upload.finished < before)
      .sort((a, b) => a.finished - b.finished)
      .slice(0, limit)
      .map((upload) => ({ ...upload }));
  }

  removeUpload(uploadId: string): void {
    this.#uploads.delete(uploadId);
  }

  saveBlob(blob: StoredBlob): void {
    if (!this.#blobs.has(blob.id)) this.#blobs.set(blob.id, { ...blob });
  }

  blob(id: string): StoredBlob | undefined {
    const found = this.#blobs.get(id);
    return found && { ...found };
  }

  blobBytes(): number {
    let total = 0;
    for (const { size } of this.#blobs.values()) total += size;
    return total;
  }

  unreferencedBlobs(limit: number): string[] {
    if (this.#blobs.size === 0 || limit < 1) return [];
    const needed = this.#needed();
    const unneeded: string[] = [];
    for (const id of this.#blobs.keys()) {
      if (unneeded.length >= limit) break;
      if (!needed.has(id)) unneeded.push(id);
    }
    return unneeded;
  }

  removeBlobIfUnreferenced(id: string): boolean {
    if (!this.#blobs.has(id) || this.#needed().has(id)) return false;
    return this.#blobs.delete(id);
  }

  /** Every file id something needs: listed by a text entry, a thumbnail, or a finished upload. */
  #needed(): Set<string> {
    const needed = new Set(listedFiles(this.store));
    for (const { thumb } of this.#blobs.values()) if (thumb !== undefined) needed.add(thumb);
    for (const { fileId } of this.#uploads.values()) needed.add(fileId);
    return needed;
  }
}
