/**
 * The host's files (issue 14, docs/protocol.md "Files"): everything under `/api/files`, put
 * together. Stored files live by content in `dir` (blob-store.ts), uploads in progress in
 * `uploadsDir` (tus's file store), what the room knows of them in its store (FileBook).
 *
 *   POST   /api/files                     tus creation            (upload-route.ts)
 *   HEAD/PATCH/DELETE /api/files/uploads/ID  tus                  (upload-route.ts)
 *   GET    /api/files/uploads/ID          the file it became      (upload-route.ts)
 *   GET/HEAD /api/files/ID/CAP/NAME       download by capability  (download-route.ts)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { RoomStore } from '../store/room-store';
import { BlobStore } from './blob-store';
import { FILES_PATH } from './capability';
import { DownloadRoute } from './download-route';
import { FileError, sendFileError } from './file-errors';
import { DEFAULT_CLEANUP, FileSweeper, type CleanupTimes, type SweepReport } from './file-sweeper';
import { HashingFileStore, UPLOAD_ID } from './hashing-file-store';
import { UploadFinisher } from './upload-finisher';
import { UploadRegistry } from './upload-registry';
import { UploadRoute, type PostingCheck, type UploadLimits } from './upload-route';
import { definedFields } from '../../../protocol/defined-fields';

/** An upload stays "at once" this long after its last request (see upload-registry.ts). */
const ACTIVE_UPLOAD_MS = 60_000;

export interface FilesSettings extends UploadLimits {
  /** Stored files; undefined: a private temporary folder, deleted when the host closes. */
  dir: string | undefined;
  /** Uploads in progress; same file system as `dir`. Default: `dir`/uploads. */
  uploadsDir: string | undefined;
  /** Each time left out or undefined keeps its default (the host passes its options on). */
  cleanup: { [K in keyof CleanupTimes]?: CleanupTimes[K] | undefined } & {
    now?: (() => number) | undefined;
  };
}

export interface FilesParts {
  store: RoomStore;
  canPost: PostingCheck;
  originAllowed: (request: IncomingMessage) => boolean;
  reportBug: (error: unknown) => void;
}

export interface FilesService {
  readonly dir: string;
  readonly uploadsDir: string;
  /** True for the paths this service answers. */
  handles(pathname: string): boolean;
  serve(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<void>;
  /** Cleans up now (the sweeper also runs by itself). */
  sweep(): Promise<SweepReport>;
  close(): Promise<void>;
}

export async function openFiles(settings: FilesSettings, parts: FilesParts): Promise<FilesService> {
  const temporary = settings.dir === undefined;
  const dir = resolve(settings.dir ?? (await mkdtemp(join(tmpdir(), 'parley-files-'))));
  const uploadsDir = resolve(settings.uploadsDir ?? join(dir, 'uploads'));
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const { now = Date.now, ...cleanup } = settings.cleanup;
  const { store } = parts;
  const book = store.fileBook();
  const blobs = new BlobStore(dir);
  const uploads = await HashingFileStore.open(uploadsDir, (id) => book.upload(id) !== undefined);
  const registry = new UploadRegistry(ACTIVE_UPLOAD_MS, now);
  const finisher = new UploadFinisher({ book, blobs, uploads, now });
  const sweeper = new FileSweeper({
    book: () => store.fileBook(),
    blobs,
    uploads,
    registry,
    finisher,
    times: { ...DEFAULT_CLEANUP, ...definedFields(cleanup) },
    now,
    reportBug: parts.reportBug,
  });
  const uploadRoute = new UploadRoute({
    store,
    uploads,
    registry,
    finisher,
    limits: settings,
    canPost: parts.canPost,
    originAllowed: parts.originAllowed,
    reportBug: parts.reportBug,
  });
  const downloadRoute = new DownloadRoute({ store, blobs });
  // Before the first request: uploads left by the last run are counted, finished or dropped.
  await sweeper.sweep();
  sweeper.start();

  const route = (request: IncomingMessage, response: ServerResponse, pathname: string) => {
    if (pathname === FILES_PATH) return uploadRoute.handle(request, response, {});
    const segments = pathname.slice(FILES_PATH.length + 1).split('/');
    if (segments[0] !== 'uploads') return downloadRoute.handle(request, response, segments);
    const [, uploadId, ...rest] = segments;
    if (uploadId === undefined || !UPLOAD_ID.test(uploadId) || rest.length > 0) {
      throw new FileError('no_such_file');
    }
    return uploadRoute.handle(request, response, { uploadId });
  };

  return {
    dir,
    uploadsDir,
    handles: (pathname) => pathname === FILES_PATH || pathname.startsWith(`${FILES_PATH}/`),
    async serve(request, response, pathname) {
      try {
        await route(request, response, pathname);
      } catch (error) {
        const refusal = error instanceof FileError ? error : new FileError('internal');
        if (refusal.code === 'internal') parts.reportBug(error);
        sendFileError(response, refusal, !request.complete, request.method === 'HEAD');
      }
    },
    sweep: () => sweeper.sweep(),
    async close() {
      await sweeper.stop();
      if (temporary) await rm(dir, { recursive: true, force: true });
    },
  };
}
