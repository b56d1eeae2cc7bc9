/**
 * `say {files: [id]}`: each id must be an upload this person finished for this conversation
 * (within UPLOAD_POSTABLE_MS), and the entry carries the full file objects, capability URLs
 * included, so whoever can read the message can fetch its files and nobody else needs to ask.
 */
import type { FileInfo } from '../../../protocol/wire/entries';
import type { FileBook } from '../store/file-book';
import { fileInfoOf } from './capability';

/**
 * How long a finished upload may be posted. The sweeper (file-sweeper.ts) keeps its record an
 * hour longer, so a `say` accepted at the last moment is stored before the file could go.
 */
export const UPLOAD_POSTABLE_MS = 24 * 60 * 60 * 1000;

/** The file objects of `ids` in order, or the first id that is not postable. */
export function filesForSay(
  book: FileBook,
  peerId: string,
  conv: string,
  ids: readonly string[],
  now = Date.now(),
): { files: FileInfo[] } | { missing: string } {
  const files: FileInfo[] = [];
  for (const id of ids) {
    const upload = book.uploadOf(peerId, conv, id, now - UPLOAD_POSTABLE_MS);
    const blob = upload && book.blob(id);
    if (!upload || !blob) return { missing: id };
    files.push(fileInfoOf(book, blob, upload.name));
  }
  return { files };
}
