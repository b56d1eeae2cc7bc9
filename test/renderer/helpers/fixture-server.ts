/**
 * Serves the component fixtures: the renderer's components and the in-page fixture helpers,
 * bundled with esbuild into a temp folder, from a tiny HTTP server on 127.0.0.1.
 */
import { build } from 'esbuild';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const from = (relative: string) => path.join(repoRoot, relative);

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

// The same policy as the real page, so a component that needs more would fail here first.
const CSP =
  "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; " +
  "style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; base-uri 'none'";

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta http-equiv="Content-Security-Policy" content="${CSP}" />
    <title>Parley fixture</title>
    <link rel="stylesheet" href="./theme.css" />
    <script type="module" src="./fixture.js"></script>
    <script type="module" src="./components.js"></script>
  </head>
  <body></body>
</html>`;

/** What `GET /api/info` answers, as a host would (the guest start screen shows it). */
export const FIXTURE_HOST_INFO = {
  app: 'parley',
  protocol: 1,
  room: { id: 'fixture-room', name: 'Fixture room' },
  peers: 2,
  password: true,
};

export interface FixtureServer {
  url: string;
  close(): Promise<void>;
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'parley-fixture-'));
  await build({
    entryPoints: {
      // parley-app imports every other component.
      components: from('renderer/components/parley-app.ts'),
      fixture: from('test/renderer/helpers/fixture-page.ts'),
    },
    outdir: dir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    tsconfig: from('renderer/tsconfig.json'),
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  await copyFile(from('renderer/theme.css'), path.join(dir, 'theme.css'));
  await writeFile(path.join(dir, 'index.html'), PAGE);

  const server = createServer((request, response) => {
    const name = new URL(request.url ?? '/', 'http://127.0.0.1').pathname.slice(1) || 'index.html';
    if (name === 'api/info') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(FIXTURE_HOST_INFO));
      return;
    }
    if (name === 'favicon.ico') {
      response.writeHead(204).end();
      return;
    }
    // Only the few flat files written above; nothing else on disk is reachable.
    if (!/^[\w.-]+$/.test(name)) {
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
      await rm(dir, { recursive: true, force: true });
    },
  };
}
