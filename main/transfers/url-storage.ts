/**
 * Where a Node client (desktop main process, terminal) keeps the URLs of unfinished uploads, by
 * the file's fingerprint (its path, size and modification time), so sending the same file again
 * after a restart continues the upload the host already has: tus-js-client's UrlStorage over a
 * small private JSON file. Entries older than a day are dropped (the host deletes unreferenced
 * uploads after 24 h anyway), and the file holds a bounded number of them.
 */
import * as v from 'valibot';
import type { UrlStorage, PreviousUpload } from 'tus-js-client';
import { readJsonFile, writeJsonFile } from '../fs/json-file';

const MAX_ENTRIES = 500;
const MAX_AGE_MS = 24 * 60 * 60 * 1000;
const MAX_FILE_BYTES = 1024 * 1024;

const entrySchema = v.object({
  key: v.string(),
  fingerprint: v.string(),
  size: v.nullable(v.number()),
  metadata: v.record(v.string(), v.string()),
  creationTime: v.string(),
  // tus-js-client leaves out what it does not use (no parallel uploads here): read absent as null.
  uploadUrl: v.nullish(v.string(), null),
  parallelUploadUrls: v.nullish(v.array(v.string()), null),
});
const fileSchema = v.object({ uploads: v.array(entrySchema) });
type StoredUpload = v.InferOutput<typeof entrySchema>;

export class JsonUrlStorage implements UrlStorage {
  readonly #file: string;
  readonly #now: () => number;
  // One change at a time, so two uploads finishing together do not lose each other's write.
  #queue: Promise<unknown> = Promise.resolve();

  constructor(file: string, now: () => number = Date.now) {
    this.#file = file;
    this.#now = now;
  }

  async findAllUploads(): Promise<PreviousUpload[]> {
    return (await this.#read()).map(toPrevious);
  }

  async findUploadsByFingerprint(fingerprint: string): Promise<PreviousUpload[]> {
    return (await this.#read())
      .filter((entry) => entry.fingerprint === fingerprint)
      .map(toPrevious);
  }

  removeUpload(urlStorageKey: string): Promise<void> {
    return this.#change((uploads) => uploads.filter((entry) => entry.key !== urlStorageKey));
  }

  async addUpload(fingerprint: string, upload: PreviousUpload): Promise<string> {
    const key = `tus::${fingerprint}::${globalThis.crypto.randomUUID()}`;
    await this.#change((uploads) => [
      ...uploads,
      {
        key,
        fingerprint,
        size: upload.size,
        metadata: upload.metadata,
        creationTime: upload.creationTime,
        uploadUrl: upload.uploadUrl ?? null,
        parallelUploadUrls: upload.parallelUploadUrls ?? null,
      },
    ]);
    return key;
  }

  async #read(): Promise<StoredUpload[]> {
    await this.#queue.catch(() => undefined);
    const parsed = v.safeParse(fileSchema, await readJsonFile(this.#file, MAX_FILE_BYTES));
    if (!parsed.success) return [];
    const oldest = this.#now() - MAX_AGE_MS;
    return parsed.output.uploads.filter((entry) => Date.parse(entry.creationTime) >= oldest);
  }

  #change(update: (uploads: StoredUpload[]) => StoredUpload[]): Promise<void> {
    const next = this.#queue.then(async () => {
      const parsed = v.safeParse(fileSchema, await readJsonFile(this.#file, MAX_FILE_BYTES));
      const oldest = this.#now() - MAX_AGE_MS;
      const current = parsed.success
        ? parsed.output.uploads.filter((entry) => Date.parse(entry.creationTime) >= oldest)
        : [];
      await writeJsonFile(this.#file, { uploads: update(current).slice(-MAX_ENTRIES) });
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }
}

function toPrevious({ key, fingerprint: _fingerprint, ...upload }: StoredUpload): PreviousUpload {
  return { ...upload, urlStorageKey: key };
}
