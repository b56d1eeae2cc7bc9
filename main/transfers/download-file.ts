/**
 * Downloads one file of a room to disk, for Node clients (desktop main process, `parley get`):
 * streamed into `PATH.part` beside the target, continued with `Range: bytes=N-` after a lost
 * connection (retried with backoff) or on a later run that finds the part file, and renamed to
 * the target once whole. A capability URL names one file by its content hash, so the bytes
 * behind it never change and a part file can always be continued.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, stat, truncate } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { codeForStatus, fileError, fileErrorCode } from '../../protocol/client/file-errors';
import type { PinnedTlsOptions } from '../tls/pinning';

export interface DownloadOptions {
  /** The file's absolute capability URL. */
  url: string;
  /** Where the whole file ends up. */
  path: string;
  /** The room's pinned certificate, for an https:// URL. */
  tls?: PinnedTlsOptions;
  signal?: AbortSignal;
  /** Bytes on disk so far and in all (when known), on every chunk. */
  onProgress?: (done: number, size: number | undefined) => void;
  /** Called when a try failed and another follows after `delayMs`. */
  onRetry?: (error: DownloadError, delayMs: number) => void;
  /** Waits between tries after a network error or a 5xx answer. */
  retryDelays?: readonly number[];
}

const RETRY_DELAYS = [500, 1_000, 2_000, 4_000, 8_000, ...Array<number>(40).fill(15_000)];

/** Why a download stopped for good: a stable code (file-errors.ts) and its sentence. */
export class DownloadError extends Error {
  readonly code: string;
  constructor(code: string, cause?: unknown) {
    super(fileError(code).message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.name = 'DownloadError';
  }
}

/** The part file of a download to `path`. */
export function partPathOf(path: string): string {
  return `${path}.part`;
}

/** Downloads `url` to `path`; resolves with the file's size once it is whole there. */
export async function downloadFile(options: DownloadOptions): Promise<number> {
  const delays = options.retryDelays ?? RETRY_DELAYS;
  await mkdir(dirname(options.path), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      return await tryOnce(options);
    } catch (error) {
      const failure = error instanceof DownloadError ? error : new DownloadError('network', error);
      const delay = delays[attempt];
      const retriable = failure.code === 'network' || failure.code === 'internal';
      if (options.signal?.aborted || !retriable || delay === undefined) throw failure;
      options.onRetry?.(failure, delay);
      await sleep(delay, options.signal);
    }
  }
}

async function tryOnce(options: DownloadOptions): Promise<number> {
  const part = partPathOf(options.path);
  const have = await sizeOf(part);
  const response = await get(options, have > 0 ? { range: `bytes=${have}-` } : {});
  const status = response.statusCode ?? 0;
  if (status === 416 && have > 0) {
    // The part file is already whole (or longer than the file): check against the real size.
    response.resume();
    const whole = Number(/\/(\d+)$/.exec(response.headers['content-range'] ?? '')?.[1]);
    if (whole === have) return finish(part, options.path, have);
    await truncate(part, 0);
    return tryOnce(options);
  }
  if (status !== 200 && status !== 206) {
    const body = await readSome(response);
    throw new DownloadError(status >= 400 ? fileErrorCode(status, body) : codeForStatus(status));
  }
  const start = status === 206 ? have : 0;
  const length = Number(response.headers['content-length']);
  const size = Number.isFinite(length) ? start + length : undefined;
  let done = start;
  options.onProgress?.(done, size);
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      done += chunk.length;
      options.onProgress?.(done, size);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(
      response,
      counter,
      createWriteStream(part, { flags: start > 0 ? 'a' : 'w' }),
      ...(options.signal ? [{ signal: options.signal }] : []),
    );
  } catch (error) {
    if (isWriteError(error)) throw new DownloadError('write_failed', error);
    throw new DownloadError('network', error);
  }
  if (size !== undefined && done !== size) throw new DownloadError('network');
  return finish(part, options.path, done);
}

async function finish(part: string, path: string, size: number): Promise<number> {
  try {
    await rename(part, path);
  } catch (error) {
    throw new DownloadError('write_failed', error);
  }
  return size;
}

function get(options: DownloadOptions, headers: Record<string, string>): Promise<IncomingMessage> {
  const url = new URL(options.url);
  const https = url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const request = (https ? httpsRequest : httpRequest)(url, {
      headers,
      ...(https && options.tls ? { ...options.tls } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    request.once('response', resolve);
    request.once('error', (error) => reject(new DownloadError('network', error)));
    request.end();
  });
}

async function readSome(response: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of response) {
    body += String(chunk);
    if (body.length > 4096) break;
  }
  return body;
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

function isWriteError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EACCES' || code === 'EROFS' || code === 'EISDIR';
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new DownloadError('network', signal.reason));
      },
      { once: true },
    );
  });
}
