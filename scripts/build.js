// Builds everything the app, the CLI and the guest page run from into dist/.
// Node-side code is bundled by esbuild (packages stay external), the renderer by Vite.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const from = (p) => path.join(root, p);

const nodeEntries = [
  { in: 'main/cli/parley.ts', out: 'dist/cli/parley.js', format: 'esm' },
  { in: 'main/app/main.ts', out: 'dist/app/main.js', format: 'esm' },
  // A sandboxed preload must be CommonJS and can require nothing but electron: bundle it whole.
  { in: 'main/app/preload.ts', out: 'dist/app/preload.cjs', format: 'cjs', bundlePackages: true },
];

const started = Date.now();
for (const entry of nodeEntries) {
  if (!existsSync(from(entry.in))) continue;
  await build({
    entryPoints: [from(entry.in)],
    outfile: from(entry.out),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: entry.format,
    ...(entry.bundlePackages ? {} : { packages: 'external' }),
    external: ['electron'],
    sourcemap: true,
    logLevel: 'warning',
  });
}

if (existsSync(from('renderer/vite.config.ts'))) {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: from('renderer/vite.config.ts'), logLevel: 'warn' });
}
console.log(`built dist/ in ${Date.now() - started} ms`);
