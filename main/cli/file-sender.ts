/**
 * Files from the terminal (`/send PATH`, `parley send`): read from disk and uploaded through the
 * shared Uploads (protocol/client/uploads.ts) over the room's pinned TLS, resumable across runs
 * (unfinished uploads remembered in the config folder), then posted by the session. Says at the
 * terminal when each file is up or why it failed.
 */
import type { TransferView } from '../../protocol/bridge';
import type { ClientSession } from '../../protocol/client/client-session';
import { Uploads, type UploadFile } from '../../protocol/client/uploads';
import { nodeTusOptions, uploadFileAt } from '../transfers/node-upload-files';
import type { PinnedTlsOptions } from '../tls/pinning';
import { printable, sizeWords } from './chat-lines';

export interface FileSenderOptions {
  session: Pick<ClientSession, 'token' | 'send' | 'on'>;
  /** The room's HTTP origin (`https://host:port`). */
  origin: string;
  tls?: PinnedTlsOptions;
  urlStorageFile?: string;
  /** A note for the person (the file is up, or why it failed). */
  note(text: string): void;
}

/** What became of one send: the say id it posted (if any file got up) and the files that failed. */
export interface SendOutcome {
  message: string | undefined;
  failed: string[];
}

interface Waiting {
  transfers: Map<string, TransferView['state']>;
  failed: string[];
  resolve(outcome: SendOutcome): void;
}

export class FileSender {
  readonly #uploads: Uploads;
  readonly #waiting = new Map<string, Waiting>();
  readonly #note: (text: string) => void;
  readonly #stop: () => void;

  constructor(options: FileSenderOptions) {
    const { session } = options;
    this.#note = options.note;
    this.#uploads = new Uploads({
      origin: options.origin,
      token: () => session.token,
      post: ({ id, conv, text, replyTo, files }) =>
        session.send({ conv, text, ...(replyTo !== undefined && { replyTo }), files }, id),
      changed: (view) => this.#changed(view),
      tus: nodeTusOptions({
        ...(options.tls && { tls: options.tls }),
        ...(options.urlStorageFile !== undefined && { urlStorageFile: options.urlStorageFile }),
      }),
    });
    this.#stop = session.on('welcome', () => this.#uploads.resume());
  }

  /**
   * Uploads the files at `paths` and posts them to `conv` as one message; resolves once every
   * file is up or given up on (the message is then queued in the session's outbox).
   * Rejects with a sentence when a path is not a readable file (nothing is sent then).
   */
  async send(conv: string, paths: readonly string[], text = ''): Promise<SendOutcome> {
    const files: UploadFile[] = [];
    for (const path of paths) files.push(await uploadFileAt(path));
    return new Promise((resolve) => {
      const started = this.#uploads.start({ conv, text, files });
      const transfers = new Map(started.transfers.map((id) => [id, 'queued' as const]));
      const waiting: Waiting = {
        transfers,
        failed: [],
        resolve: (outcome) => resolve({ ...outcome, message: outcome.message && started.message }),
      };
      this.#waiting.set(started.message, waiting);
      for (const file of files)
        this.#note(`sending ${printable(file.name)} (${sizeWords(file.size)})`);
    });
  }

  close(): void {
    this.#stop();
    this.#uploads.close();
  }

  #changed(view: TransferView): void {
    const waiting = view.message === undefined ? undefined : this.#waiting.get(view.message);
    if (!waiting || !waiting.transfers.has(view.id)) return;
    waiting.transfers.set(view.id, view.state);
    if (view.state === 'done') this.#note(`${printable(view.name)} is up`);
    if (view.state === 'failed' || view.state === 'cancelled') {
      waiting.failed.push(view.name);
      this.#note(`${printable(view.name)} was not sent: ${view.error?.message ?? view.state}`);
    }
    const states = [...waiting.transfers.values()];
    if (!states.every((state) => state === 'done' || state === 'failed' || state === 'cancelled'))
      return;
    this.#waiting.delete(view.message!);
    const anyUp = states.includes('done');
    waiting.resolve({ message: anyUp ? 'posted' : undefined, failed: waiting.failed });
  }
}
