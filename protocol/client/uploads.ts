/**
 * Uploads for every client (desktop main process, browser guest page, terminal): each file goes
 * up with tus 1.0 through `tus-js-client` (Node streams and browser Files alike) to the room's
 * `POST /api/files`, authorised by the session's current token, resumable (retries with backoff,
 * and the upload URL kept by the platform's URL storage, so a restarted client sending the same
 * file continues where it stopped). Once every file of one send is up, the message carrying them
 * is posted (`say {files}`) under the id handed out when the send started. Progress, speed and
 * time left reach the UI as TransferViews.
 *
 * The platform adds what differs (uploads.ts itself stays pure): the tus input of each file, URL
 * storage, and an HTTP stack with the room's pinned certificate in Node.
 */
import { Upload, type HttpRequest, type UploadOptions } from 'tus-js-client';
import type { TransferView, UploadStarted } from '../bridge';
import { fileError, fileErrorCode } from './file-errors';
import { TransferMeter } from './transfer-meter';
import { definedFields } from '../defined-fields';

/** One file to upload. */
export interface UploadFile {
  /** The file's name as the sender has it (the host keeps only its last part, made safe). */
  name: string;
  size: number;
  /** What tus-js-client reads: a File or Blob in a browser, an fs.ReadStream or Buffer in Node. */
  input: unknown;
}

export interface UploadSend {
  conv: string;
  /** The message the files go out with (may be empty). */
  text?: string;
  replyTo?: number;
  files: readonly UploadFile[];
}

/** The message that carries a send's finished files. */
export interface FilesMessage {
  id: string;
  conv: string;
  text: string;
  replyTo?: number;
  files: string[];
}

export interface UploadsOptions {
  /** The room's HTTP origin (`https://host:port`; `http://` for a `ws://` room). */
  origin: string;
  /** The session's token now (it changes on reconnect); undefined while there is none. */
  token(): string | undefined;
  /** Posts the message carrying a send's finished files (the session's send with this id). */
  post(message: FilesMessage): void;
  /** Every change of a transfer, as the UI shows it. */
  changed(view: TransferView): void;
  /** tus-js-client options of the platform: urlStorage, httpStack (pinned TLS), fingerprint. */
  tus?: Partial<UploadOptions>;
  /** Uploads running at once (the host allows 10 per person). Default 3. */
  concurrency?: number;
  /** Waits between tus's retries of a failed request, in ms. */
  retryDelays?: number[];
  /** Least time between two progress events of one transfer. Default 250 ms. */
  progressIntervalMs?: number;
  /** Makes transfer and message ids. Default: random UUIDs. */
  createId?: () => string;
  now?: () => number;
}

// About ten minutes of retries (host restarting, laptop waking up) before waiting for the
// session's next connection instead.
const RETRY_DELAYS = [0, 500, 1_000, 2_000, 4_000, 8_000, ...Array<number>(38).fill(15_000)];
const DEFAULTS = {
  concurrency: 3,
  retryDelays: RETRY_DELAYS,
  progressIntervalMs: 250,
  createId: () => globalThis.crypto.randomUUID(),
  now: () => Date.now(),
};
/** Answers worth trying again soon: a wrong offset, a locked upload, too many at once. */
const RETRIED_STATUSES: ReadonlySet<number> = new Set([409, 423, 429]);
/** `unauthorized` this many times in a row, with the token of a fresh connection: give up. */
const MAX_AUTH_FAILURES = 2;

/** The header of the final PATCH (and a later HEAD) that names the finished file. */
export const FILE_ID_HEADER = 'Parley-File-Id';
/** Where uploads are created, under the room's origin. */
export const UPLOADS_PATH = '/api/files';

interface Transfer {
  view: TransferView;
  file: UploadFile;
  send: Send;
  upload: Upload | undefined;
  meter: TransferMeter;
  lastProgressAt: number;
  authFailures: number;
  /** Looked for an earlier upload of the same file (URL storage) once. */
  resumed: boolean;
  /** The upload's URL on the host, once created: a later run continues it. */
  url: string | undefined;
}

interface Send {
  message: FilesMessage;
  transfers: Transfer[];
}

export class Uploads {
  readonly #options: UploadsOptions & typeof DEFAULTS;
  readonly #transfers = new Map<string, Transfer>();
  #closed = false;

  constructor(options: UploadsOptions) {
    this.#options = { ...DEFAULTS, ...definedFields(options) } as UploadsOptions & typeof DEFAULTS;
  }

  /** Every transfer this client knows of, oldest first. */
  list(): TransferView[] {
    return [...this.#transfers.values()].map((transfer) => ({ ...transfer.view }));
  }

  /** Queues the files of one send; its message is posted once they are all up. */
  start(send: UploadSend): UploadStarted {
    if (this.#closed) throw new Error('uploads are closed');
    const { createId } = this.#options;
    const group: Send = {
      message: {
        id: createId(),
        conv: send.conv,
        text: send.text ?? '',
        ...(send.replyTo !== undefined && { replyTo: send.replyTo }),
        files: [],
      },
      transfers: [],
    };
    for (const file of send.files) {
      const transfer: Transfer = {
        view: {
          id: createId(),
          direction: 'upload',
          conv: send.conv,
          message: group.message.id,
          name: file.name,
          size: file.size,
          done: 0,
          bytesPerSecond: 0,
          state: 'queued',
        },
        file,
        send: group,
        upload: undefined,
        meter: new TransferMeter(),
        lastProgressAt: 0,
        authFailures: 0,
        resumed: false,
        url: undefined,
      };
      group.transfers.push(transfer);
      this.#transfers.set(transfer.view.id, transfer);
      this.#emit(transfer);
    }
    this.#pump();
    return {
      message: group.message.id,
      transfers: group.transfers.map((transfer) => transfer.view.id),
    };
  }

  /**
   * Cancels an upload (the host drops what it received). Returns false for an unknown id;
   * a finished or failed one stays as it is.
   */
  cancel(id: string): boolean {
    const transfer = this.#transfers.get(id);
    if (!transfer) return false;
    if (isSettled(transfer.view.state)) return true;
    const { upload } = transfer;
    transfer.upload = undefined;
    // Terminating needs the upload URL; one that never started has nothing on the host.
    if (upload) void upload.abort(upload.url !== null).catch(() => undefined);
    this.#settle(transfer, 'cancelled');
    return true;
  }

  /** A new connection (with perhaps a new token): uploads that were waiting go on. */
  resume(): void {
    for (const transfer of this.#transfers.values()) {
      if (transfer.view.state === 'paused' && !transfer.upload) {
        this.#update(transfer, { state: 'queued' });
      }
    }
    this.#pump();
  }

  /** Stops every upload without dropping it on the host (a later send of the file resumes it). */
  close(): void {
    this.#closed = true;
    for (const transfer of this.#transfers.values()) {
      if (isSettled(transfer.view.state)) continue;
      void transfer.upload?.abort(false).catch(() => undefined);
      transfer.upload = undefined;
      this.#settle(transfer, 'cancelled');
    }
  }

  #pump(): void {
    if (this.#closed || this.#options.token() === undefined) return;
    let running = 0;
    for (const transfer of this.#transfers.values()) if (transfer.upload) running++;
    for (const transfer of this.#transfers.values()) {
      if (running >= this.#options.concurrency) return;
      if (transfer.view.state !== 'queued') continue;
      running++;
      void this.#run(transfer);
    }
  }

  async #run(transfer: Transfer): Promise<void> {
    const options = this.#tusOptions(transfer);
    if (transfer.url !== undefined) options.uploadUrl = transfer.url;
    const upload = new Upload(transfer.file.input as Blob, options);
    transfer.upload = upload;
    transfer.meter.reset();
    this.#update(transfer, { state: 'running' });
    if (!transfer.resumed) {
      transfer.resumed = true;
      try {
        const previous = await upload.findPreviousUploads();
        const latest = previous.sort((a, b) => b.creationTime.localeCompare(a.creationTime))[0];
        if (latest) upload.resumeFromPreviousUpload(latest);
      } catch {
        // No storage to look in: upload from the start.
      }
    }
    if (transfer.upload !== upload) return; // cancelled meanwhile
    upload.start();
  }

  #tusOptions(transfer: Transfer): UploadOptions {
    const { origin, retryDelays, tus } = this.#options;
    const sentWith = new WeakMap<HttpRequest, string>();
    return {
      ...tus,
      endpoint: `${origin}${UPLOADS_PATH}`,
      retryDelays,
      uploadSize: transfer.file.size,
      metadata: { filename: transfer.file.name, conv: transfer.send.message.conv },
      removeFingerprintOnSuccess: true,
      onBeforeRequest: (request) => {
        const token = this.#options.token() ?? '';
        sentWith.set(request, token);
        request.setHeader('Authorization', `Bearer ${token}`);
      },
      onProgress: (sent) => this.#progress(transfer, sent),
      onUploadUrlAvailable: () => {
        if (transfer.upload) transfer.url = transfer.upload.url ?? undefined;
      },
      onShouldRetry: (error) => {
        const status = error.originalResponse?.getStatus() ?? 0;
        // A token from before a reconnect: the next try carries the new one.
        if (status === 401) {
          return sentWith.get(error.originalRequest) !== this.#options.token();
        }
        const retry = status === 0 || status >= 500 || RETRIED_STATUSES.has(status);
        if (retry && transfer.view.state === 'running') {
          transfer.meter.reset();
          this.#update(transfer, { state: 'paused', bytesPerSecond: 0, etaSeconds: undefined });
        }
        return retry;
      },
      onError: (error) => this.#failed(transfer, error),
      onSuccess: ({ lastResponse }) =>
        void this.#succeeded(transfer, lastResponse.getHeader(FILE_ID_HEADER)),
    };
  }

  #progress(transfer: Transfer, sent: number): void {
    if (transfer.upload === undefined) return;
    const now = this.#options.now();
    transfer.meter.sample(sent, now);
    const resumed = transfer.view.state !== 'running';
    if (!resumed && now - transfer.lastProgressAt < this.#options.progressIntervalMs) {
      transfer.view.done = sent;
      return;
    }
    transfer.lastProgressAt = now;
    const eta = transfer.meter.etaSeconds(transfer.view.size);
    this.#update(transfer, {
      state: 'running',
      done: sent,
      bytesPerSecond: Math.round(transfer.meter.bytesPerSecond()),
      etaSeconds: eta,
    });
  }

  async #succeeded(transfer: Transfer, header: string | undefined): Promise<void> {
    const upload = transfer.upload;
    if (!upload) return;
    const fileId = header?.trim() || (await this.#askFileId(upload));
    if (transfer.upload !== upload) return;
    transfer.upload = undefined;
    if (!fileId) {
      this.#settle(transfer, 'failed', fileError('no_file_id'));
      return;
    }
    transfer.view.done = transfer.view.size;
    this.#settle(transfer, 'done', undefined, fileId);
  }

  /** The finished upload's file, asked of the host when its last answer did not name it. */
  async #askFileId(upload: Upload): Promise<string | undefined> {
    const stack = this.#options.tus?.httpStack ?? upload.options.httpStack;
    if (!upload.url || !stack) return undefined;
    try {
      const request = stack.createRequest('GET', upload.url);
      request.setHeader('Authorization', `Bearer ${this.#options.token() ?? ''}`);
      const response = await request.send(null);
      if (response.getStatus() !== 200) return undefined;
      const body = JSON.parse(response.getBody()) as { id?: unknown };
      return typeof body.id === 'string' ? body.id : undefined;
    } catch {
      return undefined;
    }
  }

  #failed(transfer: Transfer, error: Error): void {
    if (!transfer.upload) return;
    transfer.upload = undefined;
    const detailed = error as Error & {
      originalResponse?: { getStatus(): number; getBody(): string } | null;
    };
    const status = detailed.originalResponse?.getStatus() ?? 0;
    const code = fileErrorCode(status, detailed.originalResponse?.getBody());
    const waitForConnection =
      code === 'network' ||
      status >= 500 ||
      (code === 'unauthorized' && ++transfer.authFailures <= MAX_AUTH_FAILURES);
    if (waitForConnection && !this.#closed) {
      // Retried on the session's next connection (resume()), from where the host stands.
      transfer.meter.reset();
      this.#update(transfer, {
        state: 'paused',
        bytesPerSecond: 0,
        etaSeconds: undefined,
        error: fileError(code),
      });
      this.#pump();
      return;
    }
    this.#settle(transfer, 'failed', fileError(code));
  }

  #settle(
    transfer: Transfer,
    state: 'done' | 'failed' | 'cancelled',
    error?: { code: string; message: string },
    fileId?: string,
  ): void {
    const { view } = transfer;
    view.state = state;
    view.bytesPerSecond = 0;
    delete view.etaSeconds;
    if (error) view.error = error;
    else delete view.error;
    if (fileId !== undefined) view.fileId = fileId;
    this.#emit(transfer);
    this.#postWhenAllSettled(transfer.send);
    this.#pump();
  }

  #postWhenAllSettled(send: Send): void {
    if (!send.transfers.every((transfer) => isSettled(transfer.view.state))) return;
    const files = send.transfers.flatMap((transfer) =>
      transfer.view.state === 'done' && transfer.view.fileId ? [transfer.view.fileId] : [],
    );
    for (const transfer of send.transfers) this.#transfers.delete(transfer.view.id);
    if (files.length === 0 || this.#closed) return;
    this.#options.post({ ...send.message, files });
  }

  #update(transfer: Transfer, change: TransferChange): void {
    const { etaSeconds, ...rest } = change;
    const view: TransferView = { ...transfer.view, ...rest };
    if (etaSeconds !== undefined) view.etaSeconds = etaSeconds;
    else if ('etaSeconds' in change) delete view.etaSeconds;
    if (change.state === 'running') delete view.error;
    transfer.view = view;
    this.#emit(transfer);
  }

  #emit(transfer: Transfer): void {
    this.#options.changed({ ...transfer.view });
  }
}

/** A change to a transfer's view; `etaSeconds: undefined` takes the estimate away. */
type TransferChange = Omit<Partial<TransferView>, 'etaSeconds'> & {
  etaSeconds?: number | undefined;
};

function isSettled(state: TransferView['state']): boolean {
  return state === 'done' || state === 'failed' || state === 'cancelled';
}
