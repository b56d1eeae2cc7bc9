// Bundles the search benchmark into dist/bench/search-bench.js (or --outdir DIR, inside the
// repository: packages stay external and resolve from its node_modules).
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { nodeBundleOptions } from '../../tools/node-bundle.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({ options: { outdir: { type: 'string', default: 'dist/bench' } } });
const outdir = path.resolve(root, values.outdir);
if (path.relative(root, outdir).startsWith('..')) {
  console.error(`bench/search/build.js: --outdir must be inside ${root}`);
  process.exit(2);
}

const started = Date.now();
await build({
  entryPoints: { 'search-bench': path.join(root, 'bench/search/search-bench.ts') },
  outdir,
  ...nodeBundleOptions,
});
console.log(`built ${path.relative(root, outdir)}/search-bench.js in ${Date.now() - started} ms`);
