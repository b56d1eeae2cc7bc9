/**
 * The guest page: files of one folder (the built renderer), served read-only. Only regular files
 * inside the folder are reachable: no `..`, no dot-files, no symlink leading outside.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

/**
 * Sent with every HTML page. The guest page connects back to this host's socket only, and
 * `'self'` covers its ws:/wss: URL (CSP Level 3), so a script that got into the page cannot open
 * sockets anywhere else.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; connect-src 'self'; img-src 'self' data:; " +
  "style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export const UI_NOT_BUILT =
  'The guest page is not built on this host (run `npm run build`); chat clients can still join at /ws.';

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export interface StaticFiles {
  /** Answers GET/HEAD for `pathname` (already split from the query string). */
  serve(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<void>;
}

export function createStaticFiles(rootDir: string): StaticFiles {
  return {
    async serve(request, response, pathname) {
      const file = await findFile(rootDir, pathname);
      if (!file) {
        if (pathname === '/') sendText(request, response, 503, UI_NOT_BUILT);
        else sendText(request, response, 404, 'Not found.');
        return;
      }
      const contentType = contentTypeOf(file.path);
      response.statusCode = 200;
      response.setHeader('Content-Type', contentType);
      response.setHeader('Content-Length', file.size);
      response.setHeader('Cache-Control', 'no-cache');
      if (contentType.startsWith('text/html')) {
        response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
      }
      if (request.method === 'HEAD') {
        response.end();
        return;
      }
      try {
        await pipeline(createReadStream(file.path), response);
      } catch {
        // The client went away or the file vanished mid-read: nothing left to answer.
        response.destroy();
      }
    },
  };
}

/** The regular file `pathname` names inside `rootDir`, or undefined. */
async function findFile(
  rootDir: string,
  pathname: string,
): Promise<{ path: string; size: number } | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  const segments = decoded.split(/[/\\]+/).filter((segment) => segment !== '');
  if (segments.length === 0) segments.push('index.html');
  if (segments.some((segment) => segment.startsWith('.') || segment.includes('\0'))) {
    return undefined;
  }
  try {
    const root = await realpath(rootDir);
    const real = await realpath(path.join(root, ...segments));
    if (!real.startsWith(root + path.sep)) return undefined;
    const info = await stat(real);
    return info.isFile() ? { path: real, size: info.size } : undefined;
  } catch {
    return undefined;
  }
}

/** A 200 JSON answer (no body for HEAD), never cached: the room's info, an upload's file. */
export function sendJson(request: IncomingMessage, response: ServerResponse, value: object): void {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  response.writeHead(200, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

export function sendText(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  const body = Buffer.from(`${text}\n`, 'utf8');
  response.writeHead(status, {
    ...headers,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}
