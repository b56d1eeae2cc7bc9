// Bundles the UI benchmark: the Node script (dist/bench/ui-bench.js, packages external, so it
// must live inside the repository to find node_modules) and the page it drives (dist/bench/ui/:
// the real parley-app, the in-page harness and the theme, bundled for the browser the way the
// app's own build ships them, minified). `--outdir DIR` builds somewhere else inside the repo.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildBrowserPage } from '../../tools/browser-page.js';
import { nodeBundleOptions } from '../../tools/node-bundle.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const from = (p) => path.join(root, p);

const { values } = parseArgs({ options: { outdir: { type: 'string', default: 'dist/bench' } } });
const outdir = path.resolve(root, values.outdir);
if (path.relative(root, outdir).startsWith('..')) {
  console.error(
    `bench/ui/build.js: --outdir must be inside ${root} (bundles resolve node_modules from there)`,
  );
  process.exit(2);
}

const started = Date.now();
await Promise.all([
  build({
    entryPoints: { 'ui-bench': from('bench/ui/ui-bench.ts') },
    outdir,
    ...nodeBundleOptions,
  }),
  buildBrowserPage({
    outdir: path.join(outdir, 'ui'),
    title: 'Parley UI benchmark',
    entries: {
      components: from('renderer/components/parley-app/parley-app.ts'),
      harness: from('bench/ui/page/ui-page.ts'),
    },
    minify: true,
  }),
]);
console.log(
  `built ${path.relative(root, outdir)}/ui-bench.js and ui/ in ${Date.now() - started} ms`,
);
