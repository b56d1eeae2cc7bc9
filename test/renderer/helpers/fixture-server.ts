/**
 * Serves the component fixtures: the renderer's components and the in-page fixture helpers,
 * bundled into a temp folder (tools/browser-page.js), from a tiny HTTP server on 127.0.0.1 that
 * also answers `GET /api/info` as a host would.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBrowserPage } from '../../../tools/browser-page';
import { servePage } from '../../../tools/page-server';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const from = (relative: string) => path.join(repoRoot, relative);

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
  try {
    await buildBrowserPage({
      outdir: dir,
      title: 'Parley fixture',
      entries: {
        fixture: from('test/renderer/helpers/fixture-page.ts'),
        // parley-app imports every other component.
        components: from('renderer/components/parley-app/parley-app.ts'),
        // Imported by tests that call it directly (`await import('./markdown.js')` in the page).
        markdown: from('renderer/markdown/message-html.ts'),
      },
      sourcemap: 'inline',
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const server = await servePage(dir, {
    routes: {
      'api/info': (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(FIXTURE_HOST_INFO));
      },
    },
  });
  return {
    url: server.url,
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
