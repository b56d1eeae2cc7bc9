// Bundles the UI benchmark: the Node script (dist/bench/ui-bench.js, packages external, so it
// must live inside the repository to find node_modules) and the page it drives (dist/bench/ui/:
// the real parley-app, the in-page harness and the theme, bundled for the browser the way the
// app's own build ships them, minified). `--outdir DIR` builds somewhere else inside the repo.
import { build } from 'esbuild';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

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
const pagedir = path.join(outdir, 'ui');

// The same policy as the real page (renderer/index.html), so the benchmark runs what ships.
const CSP =
  "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; " +
  "style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; base-uri 'none'";
const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta http-equiv="Content-Security-Policy" content="${CSP}" />
    <title>Parley UI benchmark</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="./theme.css" />
    <script type="module" src="./components.js"></script>
    <script type="module" src="./harness.js"></script>
  </head>
  <body></body>
</html>
`;

const started = Date.now();
await Promise.all([
  build({
    entryPoints: { 'ui-bench': from('bench/ui/ui-bench.ts') },
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  }),
  build({
    entryPoints: {
      components: from('renderer/components/parley-app.ts'),
      harness: from('bench/ui/page/ui-page.ts'),
    },
    outdir: pagedir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    // Lit needs the renderer's settings (no define semantics for class fields).
    tsconfig: from('renderer/tsconfig.json'),
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
  }),
]);
await mkdir(pagedir, { recursive: true });
await copyFile(from('renderer/theme.css'), path.join(pagedir, 'theme.css'));
await writeFile(path.join(pagedir, 'index.html'), PAGE);
console.log(
  `built ${path.relative(root, outdir)}/ui-bench.js and ui/ in ${Date.now() - started} ms`,
);
