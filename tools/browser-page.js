// A page of the real renderer for headless Chromium, as the component tests and the UI benchmark
// load it: the given entry points bundled for the browser the way the app's build ships the
// renderer, the theme, and an index.html under the real page's Content-Security-Policy.
// Plain JavaScript so that bench/ui/build.js, which node runs without a TypeScript loader, shares
// it with the TypeScript test helpers; its types are in browser-page.d.ts.
import { build } from 'esbuild';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

// The same policy as the real page (renderer/index.html), so code that needs more fails here first.
export const PAGE_CSP =
  "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; " +
  "style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; base-uri 'none'";

const DEFAULTS = { title: 'Parley', minify: false, sourcemap: true };

const escapeHtml = (text) => text.replace(/[&<>"']/g, (char) => `&#${char.codePointAt(0)};`);

/** The index.html that loads `scripts` (bundle names, in this order) and the theme. */
export function pageHtml(title, scripts) {
  const tags = scripts.map((name) => `    <script type="module" src="./${name}.js"></script>`);
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}" />
    <title>${escapeHtml(title)}</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="./theme.css" />
${tags.join('\n')}
  </head>
  <body></body>
</html>
`;
}

/** Bundles `options.entries` into `options.outdir` with the theme and an index.html loading them. */
export async function buildBrowserPage(options) {
  const { outdir, entries, title, minify, sourcemap } = { ...DEFAULTS, ...options };
  await mkdir(outdir, { recursive: true });
  await build({
    entryPoints: entries,
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    // The components need the renderer's settings: Lit's decorators, no define semantics.
    tsconfig: path.join(repoRoot, 'renderer', 'tsconfig.json'),
    minify,
    sourcemap,
    logLevel: 'warning',
  });
  await copyFile(path.join(repoRoot, 'renderer', 'theme.css'), path.join(outdir, 'theme.css'));
  await writeFile(path.join(outdir, 'index.html'), pageHtml(title, Object.keys(entries)));
}
