/**
 * Builds the UI into dist/renderer: loaded from file:// by the Electron window and served at
 * GET / by every host, hence relative asset paths.
 */
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  publicDir: 'public',
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // One request per chunk matters more on a LAN than cache granularity.
    modulePreload: { polyfill: false },
    sourcemap: true,
  },
});
