/**
 * The desktop window's page comes from a custom scheme of its own, `parley-app://renderer/`,
 * not from file://: a page on file:// may be given privileges beyond a web page's (the
 * grantFileProtocolExtraPrivileges fuse is off in the packaged app), and response headers such
 * as the CSP do not reliably apply to it. Every answer here carries the window's strict CSP as
 * a header (security-policy.ts), and only regular files inside the built renderer are reachable:
 * no `..`, no dot-files, no symlink leading outside, nothing but GET and HEAD.
 *
 * This module decides everything; the shell (main.ts) registers the scheme as privileged before
 * the app is ready and hands every request to `rendererResponse`.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { contentTypeOf } from '../../host/static-files';
import { contentSecurityPolicy } from '../shell/security-policy';

export const RENDERER_SCHEME = 'parley-app';
export const RENDERER_ORIGIN = `${RENDERER_SCHEME}://renderer`;
/** The one page the window shows. */
export const RENDERER_URL = `${RENDERER_ORIGIN}/index.html`;

/**
 * How the scheme is registered (Electron's CustomScheme privileges): `standard` gives the page
 * an origin, so `'self'` in the CSP and relative URLs mean this scheme; `secure` makes it a
 * secure context (like https); `corsEnabled` lets Vite's `<script type="module" crossorigin>`
 * load its own chunks; `codeCache` keeps compiled scripts between starts. Never `bypassCSP`.
 */
export const RENDERER_SCHEME_PRIVILEGES = Object.freeze({
  standard: true,
  secure: true,
  corsEnabled: true,
  codeCache: true,
});

/** What a request needs to be answered: its method and URL (a fetch `Request` has both). */
export interface SchemeRequest {
  method: string;
  url: string;
}

const BASE_HEADERS = {
  'Content-Security-Policy': contentSecurityPolicy,
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-cache',
};

function textResponse(status: number, text: string, extra: Record<string, string> = {}) {
  return new Response(`${text}\n`, {
    status,
    headers: { ...BASE_HEADERS, ...extra, 'Content-Type': 'text/plain; charset=utf-8' },
  });
}

/**
 * The file a URL of the scheme names inside `rootDir` (index.html for the root), or undefined
 * for a URL of another origin or a path that is not a regular file inside it.
 */
export async function resolveRendererFile(
  url: string,
  rootDir: string,
): Promise<string | undefined> {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  // Node gives non-special schemes an opaque origin: compare scheme and host instead.
  if (`${parsed.protocol}//${parsed.host}` !== RENDERER_ORIGIN) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(parsed.pathname);
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
    return (await stat(real)).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

/** The answer to one request of the scheme: the file, 404, or 405 for a method other than GET. */
export async function rendererResponse(request: SchemeRequest, rootDir: string): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return textResponse(405, 'Method not allowed.', { Allow: 'GET, HEAD' });
  }
  const file = await resolveRendererFile(request.url, rootDir);
  if (file === undefined) return textResponse(404, 'Not found.');
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return textResponse(404, 'Not found.');
  }
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
    status: 200,
    headers: {
      ...BASE_HEADERS,
      'Content-Type': contentTypeOf(file),
      'Content-Length': String(body.length),
    },
  });
}
