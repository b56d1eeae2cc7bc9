/**
 * Capability URLs: whoever has a file's URL may fetch it, like whoever saw the message may read
 * its text, and nobody else, whatever they guess. `CAP` is base64url(HMAC-SHA256(room file
 * secret, id)) cut to 22 characters (132 bits): the id is a file's SHA-256, which anyone holding
 * the same bytes can compute, so the id alone must never be enough.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FileBook, StoredBlob } from '../store/file-book';
import type { FileInfo } from '../../../protocol/wire/entries';
import { stemOf } from './file-names';

export const CAPABILITY_LENGTH = 22;
/** Where files are served: `/api/files/ID/CAP/NAME`. */
export const FILES_PATH = '/api/files';

/** The capability of file `id` (its lowercase hex SHA-256, as ASCII) under `secret`. */
export function capabilityOf(secret: Buffer, id: string): string {
  return createHmac('sha256', secret)
    .update(id, 'utf8')
    .digest('base64url')
    .slice(0, CAPABILITY_LENGTH);
}

/** Compares in constant time, so the answer's timing tells nothing about a right prefix. */
export function capabilityMatches(secret: Buffer, id: string, given: string): boolean {
  const expected = Buffer.from(capabilityOf(secret, id), 'utf8');
  const actual = Buffer.from(given, 'utf8');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The capability URL of file `id`, path-relative to the host, with `name` for the browser. */
export function fileUrl(secret: Buffer, id: string, name: string): string {
  return `${FILES_PATH}/${id}/${capabilityOf(secret, id)}/${encodeURIComponent(name)}`;
}

/** The file object of a stored file under the name it was sent with (docs/protocol.md, Files). */
export function fileInfoOf(book: FileBook, blob: StoredBlob, name: string): FileInfo {
  const secret = book.secret();
  const info: FileInfo = {
    id: blob.id,
    name,
    size: blob.size,
    mime: blob.mime,
    url: fileUrl(secret, blob.id, name),
  };
  if (blob.width !== undefined && blob.height !== undefined) {
    info.width = blob.width;
    info.height = blob.height;
  }
  if (blob.thumb !== undefined) info.thumb = fileUrl(secret, blob.thumb, `${stemOf(name)}.webp`);
  return info;
}
