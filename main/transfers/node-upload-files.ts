/**
 * The Node side of uploads (protocol/client/uploads.ts): files read from disk by path (streamed,
 * never held in memory, resumable by their fingerprint), pasted bytes, and the tus options of a
 * room reached over pinned TLS.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { DefaultHttpStack, type UploadOptions } from 'tus-js-client';
import type { UploadFile } from '../../protocol/client/uploads';
import type { PinnedTlsOptions } from '../tls/pinning';
import { JsonUrlStorage } from './url-storage';

/** A file on disk to upload; rejects with a sentence when it is not a readable regular file. */
export async function uploadFileAt(path: string): Promise<UploadFile> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new Error(
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  if (!info.isFile()) throw new Error(`${path} is not a file`);
  // tus reads slices by path; the stream itself is only its handle on the file (and fingerprint).
  const input = createReadStream(path, { autoClose: true });
  input.on('error', () => undefined);
  input.destroy();
  return { name: basename(path), size: info.size, input };
}

/** Bytes without a file behind them (a pasted image). */
export function uploadFileOf(name: string, bytes: Uint8Array): UploadFile {
  return {
    name,
    size: bytes.byteLength,
    input: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
  };
}

export interface NodeTusOptions {
  /** The room's pinned certificate, for an https:// room. */
  tls?: PinnedTlsOptions;
  /** Where unfinished uploads are remembered between runs. */
  urlStorageFile?: string;
}

/** tus-js-client options for Node: pinned TLS and remembered upload URLs. */
export function nodeTusOptions(options: NodeTusOptions): Partial<UploadOptions> {
  return {
    httpStack: new DefaultHttpStack(options.tls ? { ...options.tls } : {}),
    ...(options.urlStorageFile !== undefined && {
      urlStorage: new JsonUrlStorage(options.urlStorageFile),
    }),
  };
}
