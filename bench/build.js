// Bundles the benchmark harness into dist/bench/ (or --outdir DIR): the orchestrator, the load
// generator and one entry per server under test. Packages stay external, so the output must live
// inside the repository to find node_modules. The Parley target is built only once the host exists.
import { build } from 'esbuild';
import { nodeBundleOptions } from '../tools/node-bundle.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const from = (p) => path.join(root, p);

const { values } = parseArgs({ options: { outdir: { type: 'string', default: 'dist/bench' } } });
const outdir = path.resolve(root, values.outdir);
if (path.relative(root, outdir).startsWith('..')) {
  console.error(
    `bench/build.js: --outdir must be inside ${root} (bundles resolve node_modules from there)`,
  );
  process.exit(2);
}

const entries = {
  run: 'bench/run.ts',
  'profile-summary': 'bench/profile-summary.ts',
  'children/generator': 'bench/children/generator.ts',
  'children/coalesced-ws-server': 'bench/children/coalesced-ws-server.ts',
  'children/naive-ws-server': 'bench/children/naive-ws-server.ts',
  'children/socket-io-server': 'bench/children/socket-io-server.ts',
};
const parleyHostParts = ['main/host/server.ts', 'main/host/store/sqlite-store.ts'];
if (parleyHostParts.every((part) => existsSync(from(part)))) {
  entries['children/parley-server'] = 'bench/children/parley-server.ts';
  entries['memory-probe'] = 'bench/memory-probe.ts';
  entries.acks = 'bench/acks-main.ts';
  entries.joins = 'bench/joins-main.ts';
  entries['children/joiner'] = 'bench/children/joiner.ts';
  entries['children/presence-ws-server'] = 'bench/children/presence-ws-server.ts';
  entries['children/parley-ack-server'] = 'bench/children/parley-ack-server.ts';
  entries['children/parley-memory-ack-server'] = 'bench/children/parley-memory-ack-server.ts';
  entries['children/plain-ack-ws-server'] = 'bench/children/plain-ack-ws-server.ts';
  entries['children/plain-fsync-ack-ws-server'] = 'bench/children/plain-fsync-ack-ws-server.ts';
  entries['children/plain-busy-fsync-ack-ws-server'] =
    'bench/children/plain-busy-fsync-ack-ws-server.ts';
  entries['files/files-bench'] = 'bench/files/files-bench.ts';
  entries['files/files-child'] = 'bench/files/files-child.ts';
  entries['scale-out-appends'] = 'bench/scale-out-appends.ts';
  entries['scale-out/scale-out-bench'] = 'bench/scale-out/scale-out-bench.ts';
  entries['scale-out/parley-shared-server'] = 'bench/scale-out/parley-shared-server.ts';
  entries['scale-out/socket-io-redis-server'] = 'bench/scale-out/socket-io-redis-server.ts';
} else {
  console.warn(
    `bench/build.js: the Parley host is not written yet (${parleyHostParts.join(', ')}); skipping that target`,
  );
}

const started = Date.now();
await build({
  entryPoints: Object.fromEntries(
    Object.entries(entries).map(([out, source]) => [out, from(source)]),
  ),
  outdir,
  ...nodeBundleOptions,
});
console.log(`built ${path.relative(root, outdir)}/ in ${Date.now() - started} ms`);
