// Builds everything the app, the CLI and the guest page run from into dist/.
// Node-side code is bundled by esbuild (packages stay external), the renderer by Vite.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { nodeBundleOptions } from '../tools/node-bundle.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const from = (p) => path.join(root, p);

const nodeEntries = [
  { in: 'main/cli/parley.ts', out: 'dist/cli/parley.js', format: 'esm' },
  { in: 'main/app/shell/main.ts', out: 'dist/app/main.js', format: 'esm' },
  // A sandboxed preload must be CommonJS and can require nothing but electron: bundle it whole.
  {
    in: 'main/app/shell/preload.ts',
    out: 'dist/app/preload.cjs',
    format: 'cjs',
    bundlePackages: true,
  },
];

const { packages: externalPackages, ...bundleAll } = nodeBundleOptions;
const started = Date.now();
for (const entry of nodeEntries) {
  await build({
    ...bundleAll,
    entryPoints: [from(entry.in)],
    outfile: from(entry.out),
    format: entry.format,
    ...(entry.bundlePackages ? {} : { packages: externalPackages }),
    external: ['electron'],
  });
}

const { build: viteBuild } = await import('vite');
await viteBuild({ configFile: from('renderer/vite.config.ts'), logLevel: 'warn' });
console.log(`built dist/ in ${Date.now() - started} ms`);
