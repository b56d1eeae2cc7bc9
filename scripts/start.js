// `npm start`: makes sure the Electron runtime is there (downloading it once, with a plain
// sentence instead of a stack trace when that fails), builds dist/, then runs the desktop app.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronDirectory, ensureElectron, runElectronInstaller } from './electron-runtime.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const runtime = ensureElectron({
  electronDir: electronDirectory(),
  install: runElectronInstaller,
  onDownload: () => console.log('parley: downloading the Electron runtime (only this once)…'),
});
if (!runtime.ok) {
  console.error(runtime.message);
  process.exit(1);
}

const built = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.js')], {
  cwd: root,
  stdio: 'inherit',
});
if (built.status !== 0) process.exit(built.status ?? 1);

const app = spawn(runtime.executable, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => app.kill(signal));
app.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
