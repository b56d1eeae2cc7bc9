/**
 * The desktop window's images of a room (thumbnails, the full-size viewer) come from the app's
 * own scheme, `parley-file://room/api/files/ID/CAP/NAME` (renderer/files/file-links.ts): the
 * window may not reach the network (its CSP says `connect-src 'none'`), and only main holds the
 * room's pinned certificate. Main answers each such request with a GET of the same path from the
 * room's host over that pinned connection, streamed through, never buffered. Nothing but GET and
 * HEAD of a capability path is fetched: the scheme is no way into the host's other routes.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { DESKTOP_FILE_SCHEME } from '../../protocol/bridge';
import type { PinnedTlsOptions } from '../tls/pinning';

export const FILE_SCHEME = DESKTOP_FILE_SCHEME;
const FILE_ORIGIN = `${FILE_SCHEME}://room`;

/**
 * How the scheme is registered: `standard` and `secure` like https, `stream` so a large image is
 * handed to the page as it arrives. Never `bypassCSP`.
 */
export const FILE_SCHEME_PRIVILEGES = Object.freeze({ standard: true, secure: true, stream: true });

/** `/api/files/ID/CAP/NAME`, each part one percent-encoded path segment. */
const CAPABILITY_PATH = /^\/api\/files\/[\w-]{1,128}\/[\w-]{1,128}\/[^/?#]{1,1024}$/;

/** The headers of the host's answer that the page may see; everything else stays in main. */
const PASSED_HEADERS = [
  'content-type',
  'content-length',
  'content-range',
  'accept-ranges',
  'etag',
  'last-modified',
  'cache-control',
] as const;

export interface RoomFileSource {
  /** The room's HTTP origin (`https://host:port`). */
  origin: string;
  /** The room's pinned certificate (a TLS room). */
  tls?: PinnedTlsOptions;
}

export interface FileSchemeRequest {
  method: string;
  url: string;
  headers: { get(name: string): string | null };
}

/** The capability path a scheme URL names, or undefined for anything else. */
export function capabilityPathOf(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  // Node gives non-special schemes an opaque origin: compare scheme and host instead.
  if (`${parsed.protocol}//${parsed.host}` !== FILE_ORIGIN || parsed.search !== '')
    return undefined;
  const path = parsed.pathname;
  if (!CAPABILITY_PATH.test(path) || path.split('/').some((part) => part === '..')) {
    return undefined;
  }
  return path;
}

/** Answers one request of the scheme from the room (`source`), or 404 outside a room. */
export async function roomFileResponse(
  request: FileSchemeRequest,
  source: RoomFileSource | undefined,
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'GET or HEAD only');
  const path = capabilityPathOf(request.url);
  if (!path || !source) return plain(404, 'no such file');
  const range = request.headers.get('range');
  let answer: IncomingMessage;
  try {
    answer = await get(new URL(path, source.origin), request.method, source.tls, range);
  } catch {
    return plain(502, 'the room could not be reached');
  }
  const status = answer.statusCode ?? 502;
  const body =
    request.method === 'HEAD' || status === 204 || status === 304
      ? null
      : (Readable.toWeb(answer) as ReadableStream<Uint8Array>);
  if (body === null) answer.resume();
  return new Response(body, { status, headers: passedHeaders(answer.headers) });
}

function passedHeaders(from: IncomingHttpHeaders): Headers {
  const headers = new Headers({
    // Whatever the bytes are, the window treats them as what the host said, and runs nothing.
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
  });
  for (const name of PASSED_HEADERS) {
    const value = from[name];
    if (typeof value === 'string') headers.set(name, value);
  }
  return headers;
}

function get(
  url: URL,
  method: string,
  tls: PinnedTlsOptions | undefined,
  range: string | null,
): Promise<IncomingMessage> {
  const https = url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const outgoing = (https ? httpsRequest : httpRequest)(url, {
      method,
      headers: range ? { range } : {},
      ...(https && tls ? { ...tls } : {}),
    });
    outgoing.once('response', resolve);
    outgoing.once('error', reject);
    outgoing.end();
  });
}

function plain(status: number, text: string): Response {
  return new Response(`${text}\n`, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  });
}
