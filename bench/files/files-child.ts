/**
 * A server under test for the files benchmark, in a process of its own so its memory is its own:
 * `parley` (the real host: TLS, tus uploads, capability downloads, files in a folder) or `bare`
 * (a plain Node HTTPS server that writes a PUT body to disk and streams a file for GET: the
 * floor any file server on this machine pays for TLS and the disk).
 *
 * argv: ROLE CERT_DIR WORK_DIR [FILE]. Tells its parent {type:'listening', port}; answers
 * {type:'memory'} with the largest RSS seen since the last {type:'reset'}; exits on {type:'stop'}.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:https';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { startHost } from '../../main/host/server';
import { CERT_FILE, KEY_FILE } from '../../main/tls/certificate';

type Command = { type: 'reset' } | { type: 'memory' } | { type: 'stop' };

const [role, certDir = '', workDir = '', file = ''] = process.argv.slice(2);
const tls = {
  cert: await readFile(join(certDir, CERT_FILE), 'utf8'),
  key: await readFile(join(certDir, KEY_FILE), 'utf8'),
};

const SAMPLE_MS = 20;
let baseline = process.memoryUsage().rss;
let peak = baseline;
setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, SAMPLE_MS).unref();

async function startParley() {
  const host = await startHost({
    port: 0,
    host: '127.0.0.1',
    tls,
    guestPage: false,
    filesDir: join(workDir, 'parley-files'),
  });
  return { port: host.port, close: () => host.close() };
}

async function startBare() {
  const server = createServer(tls, (request, response) => {
    void (async () => {
      if (request.method === 'PUT') {
        await pipeline(request, createWriteStream(join(workDir, 'bare-upload')));
        response.writeHead(204).end();
        return;
      }
      const { size } = await stat(file);
      response.writeHead(200, {
        'Content-Type': 'application/octet-stream',
        'Content-Length': size,
      });
      await pipeline(createReadStream(file, { highWaterMark: 256 * 1024 }), response);
    })().catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const running = role === 'parley' ? await startParley() : await startBare();
process.send?.({ type: 'listening', port: running.port });
process.on('message', (command: Command) => {
  switch (command.type) {
    case 'reset':
      (globalThis as { gc?: () => void }).gc?.();
      baseline = process.memoryUsage().rss;
      peak = baseline;
      process.send?.({ type: 'reset', baseline });
      return;
    case 'memory':
      peak = Math.max(peak, process.memoryUsage().rss);
      process.send?.({ type: 'memory', baseline, peak });
      return;
    case 'stop':
      void running.close().finally(() => process.exit(0));
  }
});
