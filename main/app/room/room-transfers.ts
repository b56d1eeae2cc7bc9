/**
 * The file transfers of the room the desktop app is in: uploads from disk paths (or pasted
 * bytes) through the shared Uploads (protocol/client/uploads.ts), posted by the room's session
 * once up, and downloads into the Downloads folder with Range resume (main/transfers). Every
 * change reaches the window as a `transfer` RoomEvent. Closed with the room.
 */
import { join } from 'node:path';
import type {
  DesktopUploadRequest,
  DownloadRequest,
  RoomEvent,
  TransferView,
  UploadStarted,
} from '../../../protocol/bridge';
import { fileError } from '../../../protocol/client/file-errors';
import type { RoomSession } from '../../../protocol/client/room-adapter';
import { TransferMeter } from '../../../protocol/client/transfer-meter';
import { Uploads, type UploadFile } from '../../../protocol/client/uploads';
import { DownloadError, downloadFile } from '../../transfers/download-file';
import { nodeTusOptions, uploadFileAt, uploadFileOf } from '../../transfers/node-upload-files';
import { roomFileResponse, type FileSchemeRequest } from '../../transfers/room-file-response';
import { savePathIn } from '../../transfers/save-path';
import type { PinnedTlsOptions } from '../../tls/pinning';
import { appError } from './app-errors';

export interface RoomTransfersOptions {
  session: Pick<RoomSession, 'token' | 'send' | 'on'>;
  /** The room's HTTP origin (`https://host:port`). */
  origin: string;
  /** The room's pinned certificate (a joined TLS room). */
  tls?: PinnedTlsOptions;
  /** Where downloads are saved (the system's Downloads folder). */
  downloadsDir: string;
  /** Where unfinished uploads are remembered between runs. */
  urlStorageFile?: string;
  emit: (event: RoomEvent) => void;
  /** Least time between two progress events of one download. Default 250 ms. */
  progressIntervalMs?: number;
  /** Waits between download tries. Default: downloadFile's. */
  retryDelays?: readonly number[];
}

interface Download {
  view: TransferView;
  abort: AbortController;
}

export class RoomTransfers {
  readonly #options: RoomTransfersOptions;
  readonly #uploads: Uploads;
  readonly #downloads = new Map<string, Download>();
  readonly #stop: () => void;

  constructor(options: RoomTransfersOptions) {
    this.#options = options;
    const { session } = options;
    this.#uploads = new Uploads({
      origin: options.origin,
      token: () => session.token,
      post: ({ id, conv, text, replyTo, files }) =>
        session.send({ conv, text, ...(replyTo !== undefined && { replyTo }), files }, id),
      changed: (transfer) => options.emit({ type: 'transfer', transfer }),
      tus: nodeTusOptions({
        ...(options.tls && { tls: options.tls }),
        ...(options.urlStorageFile !== undefined && { urlStorageFile: options.urlStorageFile }),
      }),
    });
    // A new connection brings a new token: uploads that waited for it go on.
    this.#stop = session.on('welcome', () => this.#uploads.resume());
  }

  /** Queues the files of one message; rejects with `not_a_file` for a path that is none. */
  async upload(request: DesktopUploadRequest): Promise<UploadStarted> {
    let files: UploadFile[];
    try {
      files = await Promise.all(
        request.files.map((source) =>
          'path' in source ? uploadFileAt(source.path) : uploadFileOf(source.name, source.bytes),
        ),
      );
    } catch {
      throw fileError('not_a_file');
    }
    return this.#uploads.start({
      conv: request.conv,
      ...(request.text !== undefined && { text: request.text }),
      ...(request.replyTo !== undefined && { replyTo: request.replyTo }),
      files,
    });
  }

  /** Downloads a file of an entry into the Downloads folder; resolves with the transfer id. */
  async download(request: DownloadRequest): Promise<string> {
    const path = await savePathIn(this.#options.downloadsDir, request.name);
    const view: TransferView = {
      id: globalThis.crypto.randomUUID(),
      direction: 'download',
      name: path.slice(this.#options.downloadsDir.length + 1),
      size: request.size,
      done: 0,
      bytesPerSecond: 0,
      state: 'running',
      path,
    };
    const download: Download = { view, abort: new AbortController() };
    this.#downloads.set(view.id, download);
    this.#emit(download);
    void this.#run(download, new URL(request.url, this.#options.origin).href);
    return view.id;
  }

  cancel(id: string): void {
    if (this.#uploads.cancel(id)) return;
    const download = this.#downloads.get(id);
    if (!download || (download.view.state !== 'running' && download.view.state !== 'paused'))
      return;
    download.abort.abort();
    this.#update(download, { state: 'cancelled', bytesPerSecond: 0 });
  }

  /** The saved file of a finished download; rejects for anything else. */
  /** Answers the window's `parley-file:` request for one of the room's files (its images). */
  fileResponse(request: FileSchemeRequest): Promise<Response> {
    const { origin, tls } = this.#options;
    return roomFileResponse(request, { origin, ...(tls && { tls }) });
  }

  savedPath(id: string): string {
    const download = this.#downloads.get(id);
    if (download?.view.state !== 'done' || download.view.path === undefined) {
      throw appError('bad_argument', 'That download has not finished.');
    }
    return download.view.path;
  }

  /** Stops every transfer (uploads can be resumed by a later send of the same file). */
  close(): void {
    this.#stop();
    this.#uploads.close();
    for (const download of this.#downloads.values()) download.abort.abort();
  }

  async #run(download: Download, url: string): Promise<void> {
    const meter = new TransferMeter();
    const interval = this.#options.progressIntervalMs ?? 250;
    let shownAt = 0;
    const { signal } = download.abort;
    try {
      const size = await downloadFile({
        url,
        path: download.view.path ?? join(this.#options.downloadsDir, download.view.name),
        signal,
        ...(this.#options.tls && { tls: this.#options.tls }),
        ...(this.#options.retryDelays && { retryDelays: this.#options.retryDelays }),
        onProgress: (done, size) => {
          const now = Date.now();
          meter.sample(done, now);
          download.view.done = done;
          if (size !== undefined) download.view.size = size;
          if (now - shownAt < interval && download.view.state === 'running') return;
          shownAt = now;
          const eta = meter.etaSeconds(download.view.size);
          this.#update(download, {
            state: 'running',
            bytesPerSecond: Math.round(meter.bytesPerSecond()),
            ...(eta !== undefined && { etaSeconds: eta }),
          });
        },
        onRetry: (error) => {
          meter.reset();
          this.#update(download, {
            state: 'paused',
            bytesPerSecond: 0,
            error: fileError(error.code),
          });
        },
      });
      if (signal.aborted) return;
      this.#update(download, { state: 'done', done: size, size, bytesPerSecond: 0 });
    } catch (error) {
      if (signal.aborted) return;
      const code = error instanceof DownloadError ? error.code : 'network';
      this.#update(download, { state: 'failed', bytesPerSecond: 0, error: fileError(code) });
    }
  }

  #update(download: Download, change: Partial<TransferView>): void {
    const view: TransferView = { ...download.view, ...change };
    if (change.etaSeconds === undefined || view.state !== 'running') delete view.etaSeconds;
    if (view.state === 'running' || view.state === 'done') delete view.error;
    download.view = view;
    this.#emit(download);
  }

  #emit(download: Download): void {
    this.#options.emit({ type: 'transfer', transfer: { ...download.view } });
  }
}
