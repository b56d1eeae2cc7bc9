// The esbuild settings every Node-side bundle of this repo shares (the app's main process and
// CLI, the benchmarks): one ESM file per entry for Node 20, npm packages left to node_modules.
export const nodeBundleOptions = Object.freeze({
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
