/**
 * Downloads: `GET/HEAD /api/files/ID/CAP/NAME`. The capability is the whole authorisation (no
 * token, no origin check: whoever saw the message may fetch its files), compared in constant
 * time; a wrong one is answered exactly like a file that does not exist.
 *
 * Served as data, never as a page: `Content-Disposition: attachment` except for PNG, JPEG, GIF
 * and WebP as their bytes say (an HTML or SVG file named `.png` is an attachment), with
 * `X-Content-Type-Options: nosniff` and `Content-Security-Policy: sandbox`. A file never changes
 * under its id, so it is cached for good and its id is its ETag. One `Range` per request is
 * served (resumed downloads); several ranges get the whole file.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { RoomStore } from '../store/room-store';
import { FILE_ID, type BlobStore } from './blob-store';
import { CAPABILITY_LENGTH, capabilityMatches } from './capability';
import { FileError } from './file-errors';
import { contentDisposition, FALLBACK_FILE_NAME, safeFileName } from './file-names';
import { RASTER_IMAGE_TYPES } from './image-probe';

const CAPABILITY = new RegExp(`^[A-Za-z0-9_-]{${CAPABILITY_LENGTH}}$`);
const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/;

export const DOWNLOAD_HEADERS = {
  'Cache-Control': 'private, max-age=31536000, immutable',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': 'sandbox',
  'Accept-Ranges': 'bytes',
} as const;

export interface DownloadRouteParts {
  store: RoomStore;
  blobs: BlobStore;
}

type Range = { start: number; end: number } | 'unsatisfiable' | undefined;

export class DownloadRoute {
  constructor(private readonly parts: DownloadRouteParts) {}

  /** `segments`: the path after `/api/files/`, split at `/` (still percent-encoded). */
  async handle(
    request: IncomingMessage,
    response: ServerResponse,
    segments: readonly string[],
  ): Promise<void> {
    const [id, capability, name, ...rest] = segments;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      throw new FileError('not_allowed', undefined, { headers: { Allow: 'GET, HEAD' } });
    }
    if (
      id === undefined ||
      capability === undefined ||
      name === undefined ||
      name === '' ||
      rest.length > 0 ||
      !FILE_ID.test(id) ||
      !CAPABILITY.test(capability)
    ) {
      throw new FileError('no_such_file');
    }
    const book = this.parts.store.fileBook();
    if (!capabilityMatches(book.secret(), id, capability)) throw new FileError('no_such_file');
    const blob = book.blob(id);
    const size = blob && (await this.parts.blobs.sizeOf(id));
    if (!blob || size === undefined) throw new FileError('no_such_file');

    const etag = `"${id}"`;
    const inline = RASTER_IMAGE_TYPES.has(blob.mime);
    const headers = {
      ...DOWNLOAD_HEADERS,
      ETag: etag,
      'Content-Type': blob.mime,
      'Content-Disposition': contentDisposition(inline ? 'inline' : 'attachment', nameOf(name)),
    };
    if (matchesEtag(request.headers['if-none-match'], etag)) {
      response.writeHead(304, headers);
      response.end();
      return;
    }
    const range = rangeOf(request, etag, size);
    if (range === 'unsatisfiable') {
      throw new FileError('range_not_satisfiable', undefined, {
        headers: { 'Content-Range': `bytes */${size}` },
      });
    }
    if (range) {
      response.writeHead(206, {
        ...headers,
        'Content-Range': `bytes ${range.start}-${range.end}/${size}`,
        'Content-Length': range.end - range.start + 1,
      });
    } else {
      response.writeHead(200, { ...headers, 'Content-Length': size });
    }
    if (request.method === 'HEAD' || size === 0) {
      response.end();
      return;
    }
    try {
      await pipeline(this.parts.blobs.read(id, range ?? { start: 0, end: size - 1 }), response);
    } catch {
      // The client went away, or the file was deleted mid-read: nothing left to answer.
      response.destroy();
    }
  }
}

/** The name in the URL, decoded and made safe again (anyone holding the URL may edit it). */
function nameOf(encoded: string): string {
  try {
    return safeFileName(decodeURIComponent(encoded));
  } catch {
    return FALLBACK_FILE_NAME;
  }
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*');
}

/**
 * The one range asked for (RFC 9110 14.2), or undefined for the whole file: no Range, a Range
 * not understood or of several parts, or an If-Range naming another version.
 */
function rangeOf(request: IncomingMessage, etag: string, size: number): Range {
  const header = request.headers.range;
  if (header === undefined) return undefined;
  const ifRange = request.headers['if-range'];
  if (ifRange !== undefined && ifRange !== etag) return undefined;
  const match = SINGLE_RANGE.exec(header.trim());
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (start >= size) return 'unsatisfiable';
  const end = last === '' ? size - 1 : Number(last);
  if (end < start) return undefined;
  return { start, end: Math.min(end, size - 1) };
}
