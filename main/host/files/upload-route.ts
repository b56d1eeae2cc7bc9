/**
 * Uploads: tus 1.0 (`@tus/server`, creation and termination) at `POST /api/files` and
 * `HEAD/PATCH/DELETE /api/files/uploads/ID`, and `GET /api/files/uploads/ID` for the file a
 * finished upload became. Every request carries a session token (upload-auth.ts); an upload is
 * only ever seen by its owner (others get `no_such_file`, as for an upload that does not exist).
 *
 * The limits are checked before tus reads a byte: the size from Upload-Length (`too_large`), the
 * room's space (`room_full`), uploads at once (`too_many_uploads`), and the conversation.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EVENTS, Metadata, type Upload } from '@tus/utils';
import { MemoryLocker, Server as TusServer } from '@tus/server';
import { NodeRequest } from 'srvx/node';
import * as v from 'valibot';
import type { PeerV2 } from '../../../protocol/wire/entries';
import type { FileBook, FinishedUpload } from '../store/file-book';
import { sendJson } from '../static-files';
import type { RoomStore } from '../store/room-store';
import { FILES_PATH, fileInfoOf } from './capability';
import { codeForStatus, errorBody, FileError } from './file-errors';
import type { HashingFileStore } from './hashing-file-store';
import { allowSlowBody } from './request-deadline';
import { authenticate } from './upload-auth';
import type { UploadFinisher } from './upload-finisher';
import { clientMetadataSchema, OWNER_KEY, ownerOf } from './upload-metadata';
import type { UploadRegistry } from './upload-registry';

/** The header naming the file a finished upload became (final PATCH, HEAD). */
export const FILE_ID_HEADER = 'Parley-File-Id';
export const UPLOADS_PATH = `${FILES_PATH}/uploads`;

/** May `peerId` post in `conv`? (A room's rules: conversations.ts.) */
export type PostingCheck = (peerId: string, conv: string) => 'ok' | 'unknown' | 'not_member';

export interface UploadLimits {
  maxFileSize: number;
  maxRoomBytes: number;
  maxUploads: number;
  /** An upload request may stall this long between bytes. */
  idleTimeoutMs: number;
}

export interface UploadRouteParts {
  store: RoomStore;
  uploads: HashingFileStore;
  registry: UploadRegistry;
  finisher: UploadFinisher;
  limits: UploadLimits;
  canPost: PostingCheck;
  /** False for a page origin the host's socket would refuse too. */
  originAllowed: (request: IncomingMessage) => boolean;
  reportBug: (error: unknown) => void;
}

const RETRY_SOON = { 'Retry-After': '5' };
const uploadLengthSchema = v.pipe(v.string(), v.regex(/^\d{1,16}$/), v.transform(Number));

export class UploadRoute {
  readonly #tus: TusServer;
  /** The peer of each request tus is handling, for its hooks. */
  readonly #peers = new WeakMap<object, PeerV2>();

  constructor(private readonly parts: UploadRouteParts) {
    const { uploads, registry, finisher, limits } = parts;
    this.#tus = new TusServer({
      path: FILES_PATH,
      datastore: uploads,
      maxSize: limits.maxFileSize,
      generateUrl: (_request, { id }) => `${UPLOADS_PATH}/${id}`,
      getFileIdFromRequest: (_request, last) => last,
      // Origins were checked before tus sees the request; answer preflights of those let in.
      allowedOrigins: () => true,
      exposedHeaders: [FILE_ID_HEADER],
      // One host: tus's in-process locks (a shared --files folder would need a shared locker).
      locker: new MemoryLocker(),
      onUploadCreate: async (request, upload) => {
        const peer = this.#peers.get(request);
        if (!peer) throw new FileError('unauthorized');
        return { metadata: { ...upload.metadata, [OWNER_KEY]: peer.id } };
      },
      onUploadFinish: async (_request, upload) => {
        const record = await finisher.finish(upload);
        registry.remove(upload.id);
        return { headers: { [FILE_ID_HEADER]: record.fileId } };
      },
      onResponseError: (_request, error) => {
        if (error instanceof Error && !('status_code' in error)) parts.reportBug(error);
        return undefined;
      },
    });
    this.#tus.on(EVENTS.POST_CREATE, (_request: unknown, upload: Upload) => {
      const owner = ownerOf(upload);
      if (owner !== undefined) registry.add(upload.id, owner, upload.size ?? 0);
    });
  }

  /** `target`: the creation URL, or an upload's id. */
  async handle(
    request: IncomingMessage,
    response: ServerResponse,
    target: { uploadId?: string },
  ): Promise<void> {
    const method = request.method ?? 'GET';
    if (!this.parts.originAllowed(request)) {
      throw new FileError('forbidden', 'Uploads are accepted only from pages of this host.');
    }
    if (method === 'OPTIONS') return this.#viaTus(request, response);
    const peer = authenticate(this.parts.store, request);
    if (target.uploadId === undefined) {
      if (method !== 'POST') throw notAllowed('POST, OPTIONS');
      this.#checkCreation(request, peer);
      allowSlowBody(request, this.parts.limits.idleTimeoutMs);
      return this.#viaTus(request, response, { peer });
    }
    const id = target.uploadId;
    switch (method) {
      case 'GET':
        return sendJson(request, response, await this.#fileOf(id, peer));
      case 'HEAD':
        return this.#head(request, response, id, peer);
      case 'PATCH':
        return this.#patch(request, response, id, peer);
      case 'DELETE':
        await this.#owned(id, peer);
        return this.#viaTus(request, response, {
          peer,
          answered: (status) => {
            if (status !== 204) return;
            this.parts.registry.remove(id);
            this.#book.removeUpload(id);
          },
        });
      default:
        throw notAllowed('GET, HEAD, PATCH, DELETE, OPTIONS');
    }
  }

  /** The refusals a creation gets before anything is stored or read. */
  #checkCreation(request: IncomingMessage, peer: PeerV2): void {
    const { limits, registry, canPost } = this.parts;
    const length = v.safeParse(uploadLengthSchema, request.headers['upload-length']);
    if (!length.success) {
      throw new FileError('bad_request', 'Upload-Length is required (a whole number of bytes).');
    }
    const size = length.output;
    if (size > limits.maxFileSize) {
      throw new FileError('too_large', `Files may be at most ${limits.maxFileSize} bytes.`);
    }
    const metadata = parseMetadata(headerOf(request, 'upload-metadata'));
    const allowed = canPost(peer.id, metadata.conv);
    if (allowed !== 'ok') {
      // Known but not joined: 403, as for a `say` there (`not_member`).
      throw new FileError('no_such_conversation', undefined, {
        status: allowed === 'unknown' ? 404 : 403,
      });
    }
    if (registry.activeOf(peer.id) >= limits.maxUploads) {
      throw new FileError(
        'too_many_uploads',
        `At most ${limits.maxUploads} uploads at once: wait for one to finish.`,
        { headers: RETRY_SOON },
      );
    }
    const used = this.#book.blobBytes() + registry.reservedBytes();
    if (used + size > limits.maxRoomBytes) throw new FileError('room_full');
  }

  async #head(request: IncomingMessage, response: ServerResponse, id: string, peer: PeerV2) {
    const { finished } = await this.#owned(id, peer);
    const record = finished ?? (await this.#finishIfComplete(id));
    return this.#viaTus(request, response, { peer, finished: record });
  }

  async #patch(request: IncomingMessage, response: ServerResponse, id: string, peer: PeerV2) {
    const { registry, limits } = this.parts;
    const { upload, finished } = await this.#owned(id, peer);
    if (finished) {
      // Every byte is in: a client that missed the last answer hears it again.
      const offset = Number(request.headers['upload-offset']);
      if (offset !== upload.size) throw new FileError('wrong_offset');
      response.writeHead(204, {
        'Tus-Resumable': '1.0.0',
        'Upload-Offset': String(upload.size),
        [FILE_ID_HEADER]: finished.fileId,
        ...(!request.complete && { Connection: 'close' }),
      });
      response.end();
      return;
    }
    if (registry.runningOf(peer.id) >= limits.maxUploads) {
      throw new FileError('too_many_uploads', undefined, { headers: RETRY_SOON });
    }
    if (!registry.has(id)) registry.add(id, peer.id, upload.size ?? 0);
    const end = registry.begin(id);
    allowSlowBody(request, limits.idleTimeoutMs);
    try {
      await this.#viaTus(request, response, { peer });
    } finally {
      end();
    }
  }

  /** The file a finished upload became, as `say` will carry it. */
  async #fileOf(id: string, peer: PeerV2) {
    const { finished } = await this.#owned(id, peer);
    const record = finished ?? (await this.#finishIfComplete(id));
    const blob = record && this.#book.blob(record.fileId);
    if (!record || !blob) throw new FileError('no_such_file', 'That upload has not finished.');
    return fileInfoOf(this.#book, blob, record.name);
  }

  /**
   * An upload whose bytes are all in but whose finishing was cut short (the host stopped in
   * between) is finished now, so HEAD and GET can name its file.
   */
  async #finishIfComplete(id: string): Promise<FinishedUpload | undefined> {
    const { uploads, finisher, registry } = this.parts;
    let upload: Upload;
    try {
      upload = await uploads.getUpload(id);
    } catch {
      return undefined;
    }
    if (upload.size === undefined || upload.offset !== upload.size) return undefined;
    const record = await finisher.finish(upload);
    registry.remove(id);
    return record;
  }

  /** The upload `id` if `peer` owns it; `no_such_file` for anyone else. */
  async #owned(
    id: string,
    peer: PeerV2,
  ): Promise<{ upload: Upload; finished: FinishedUpload | undefined }> {
    const { uploads, finisher } = this.parts;
    const finished = this.#book.upload(id);
    const upload = await uploads.config(id);
    if (!upload || ownerOf(upload) !== peer.id || (finished && finished.peerId !== peer.id)) {
      throw new FileError('no_such_file');
    }
    return { upload, finished: finished && (await finisher.settle(finished)) };
  }

  get #book(): FileBook {
    return this.parts.store.fileBook();
  }

  /**
   * Lets tus answer, then sends its answer with errors as JSON. `finished`: the upload's file is
   * named in the answer (HEAD); `answered` hears the status before it is sent.
   */
  async #viaTus(
    request: IncomingMessage,
    response: ServerResponse,
    options: {
      peer?: PeerV2;
      finished?: FinishedUpload | undefined;
      answered?: (status: number) => void;
    } = {},
  ): Promise<void> {
    const { peer, finished, answered } = options;
    const tusRequest = new NodeRequest({ req: request, res: response });
    if (peer) this.#peers.set(tusRequest, peer);
    const answer = await this.#tus.handleWeb(tusRequest);
    const headers = new Headers(answer.headers);
    let body = await answer.text();
    if (answer.status >= 400) {
      body = jsonError(answer.status, body);
      headers.set('Content-Type', 'application/json; charset=utf-8');
      headers.set('Cache-Control', 'no-store');
    }
    if (finished && answer.status < 300) headers.set(FILE_ID_HEADER, finished.fileId);
    if (!request.complete) headers.set('Connection', 'close');
    headers.set('Content-Length', String(Buffer.byteLength(body)));
    answered?.(answer.status);
    if (response.headersSent || response.destroyed) return;
    response.writeHead(answer.status, Object.fromEntries(headers));
    response.end(request.method === 'HEAD' || body === '' ? undefined : body);
  }
}

/** A tus error body as JSON with a code (ours already are). */
function jsonError(status: number, body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (v.is(v.object({ code: v.string(), message: v.string() }), parsed)) return body;
  } catch {
    // tus's own answers are text.
  }
  return errorBody(codeForStatus(status), body.trim() || undefined);
}

function parseMetadata(header: string | undefined): v.InferOutput<typeof clientMetadataSchema> {
  let parsed: Record<string, string | null>;
  try {
    parsed = Metadata.parse(header);
  } catch {
    throw new FileError('bad_request', 'Upload-Metadata must name the filename and the conv.');
  }
  const metadata = v.safeParse(clientMetadataSchema, parsed);
  if (!metadata.success || OWNER_KEY in parsed) {
    throw new FileError('bad_request', 'Upload-Metadata must name the filename and the conv.');
  }
  return metadata.output;
}

function headerOf(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function notAllowed(allow: string): FileError {
  return new FileError('not_allowed', undefined, { headers: { Allow: allow } });
}
