/**
 * Serves a built page folder (see browser-page.js) on 127.0.0.1, port 0, for headless Chromium
 * in the component tests and the UI benchmark. Only the flat files of that folder are reachable,
 * plus any fixed `routes` the caller answers itself (a fake `/api/info`, say).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

// One path segment of letters, digits, '_', '-' and '.', not starting with a dot: no sub-folders,
// no '..', no hidden files.
const SERVABLE_NAME = /^[\w-][\w.-]*$/;

export type RouteHandler = (request: IncomingMessage, response: ServerResponse) => void;

export interface PageServerOptions {
  /** Path without its leading slash (e.g. 'api/info') -> its handler; checked before the files. */
  routes?: Readonly<Record<string, RouteHandler>>;
}

export interface PageServer {
  /** `http://127.0.0.1:PORT/`, which serves index.html. */
  url: string;
  close(): Promise<void>;
}

export async function servePage(dir: string, options: PageServerOptions = {}): Promise<PageServer> {
  const { routes } = { routes: {}, ...options };
  const server = createServer((request, response) => {
    const name = new URL(request.url ?? '/', 'http://127.0.0.1').pathname.slice(1) || 'index.html';
    const route = Object.hasOwn(routes, name) ? routes[name] : undefined;
    if (route) {
      route(request, response);
      return;
    }
    if (!SERVABLE_NAME.test(name)) {
      response.writeHead(404).end();
      return;
    }
    readFile(path.join(dir, name)).then(
      (body) => {
        response.writeHead(200, {
          'content-type': CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream',
          'cache-control': 'no-store',
        });
        response.end(body);
      },
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
