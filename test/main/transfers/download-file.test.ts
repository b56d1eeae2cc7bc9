/**
 * downloadFile over a real socket, from a server that serves Range requests like the host's
 * capability URLs: a cut response is continued from the bytes on disk, a part file left by an
 * earlier run is continued, refusals keep the host's code.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DownloadError, downloadFile, partPathOf } from '../../../main/transfers/download-file';

const FILE = randomBytes(700_000);
let server: Server;
let origin: string;
let dir: string;
let ranges: (string | undefined)[];
let cutAfter: number | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-get-'));
  ranges = [];
  cutAfter = undefined;
  server = createServer((request, response) => {
    if (!request.url?.startsWith('/api/files/abc/')) {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ code: 'no_such_file', message: 'no' }));
      return;
    }
    const range = request.headers.range;
    ranges.push(range);
    const start = Number(/^bytes=(\d+)-$/.exec(range ?? '')?.[1] ?? 0);
    if (start >= FILE.length) {
      response.writeHead(416, { 'content-range': `bytes */${FILE.length}` });
      response.end();
      return;
    }
    const body = FILE.subarray(start);
    response.writeHead(range ? 206 : 200, {
      'content-length': body.length,
      ...(range && { 'content-range': `bytes ${start}-${FILE.length - 1}/${FILE.length}` }),
    });
    if (cutAfter !== undefined) {
      const cut = cutAfter;
      cutAfter = undefined;
      response.write(body.subarray(0, cut), () => response.socket?.destroy());
      return;
    }
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('downloadFile', () => {
  it('downloads a file whole, reporting progress, and leaves no part file', async () => {
    const path = join(dir, 'a.bin');
    const progress: number[] = [];
    const size = await downloadFile({
      url: `${origin}/api/files/abc/cap/a.bin`,
      path,
      onProgress: (done) => progress.push(done),
    });
    expect(size).toBe(FILE.length);
    expect(sha(await readFile(path))).toBe(sha(FILE));
    expect(progress.at(-1)).toBe(FILE.length);
    await expect(readFile(partPathOf(path))).rejects.toThrow();
  });

  it('continues a cut response from the bytes on disk (Range)', async () => {
    const path = join(dir, 'cut.bin');
    cutAfter = 200_000;
    const retries: string[] = [];
    await downloadFile({
      url: `${origin}/api/files/abc/cap/cut.bin`,
      path,
      retryDelays: [0, 10],
      onRetry: (error) => retries.push(error.code),
    });
    expect(retries).toEqual(['network']);
    expect(ranges[0]).toBeUndefined();
    expect(ranges[1]).toMatch(/^bytes=\d+-$/);
    expect(Number(/\d+/.exec(ranges[1]!)?.[0])).toBeGreaterThan(0);
    expect(sha(await readFile(path))).toBe(sha(FILE));
  });

  it('continues the part file an earlier run left', async () => {
    const path = join(dir, 'later.bin');
    await writeFile(partPathOf(path), FILE.subarray(0, 123_456));
    await downloadFile({ url: `${origin}/api/files/abc/cap/later.bin`, path });
    expect(ranges).toEqual(['bytes=123456-']);
    expect(sha(await readFile(path))).toBe(sha(FILE));
  });

  it('finishes a part file that is already whole', async () => {
    const path = join(dir, 'whole.bin');
    await writeFile(partPathOf(path), FILE);
    expect(await downloadFile({ url: `${origin}/api/files/abc/cap/whole.bin`, path })).toBe(
      FILE.length,
    );
    expect(sha(await readFile(path))).toBe(sha(FILE));
  });

  it("stops at once with the host's code for a refusal", async () => {
    const error = await downloadFile({
      url: `${origin}/api/files/nope/cap/x`,
      path: join(dir, 'x'),
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DownloadError);
    expect(error).toMatchObject({ code: 'no_such_file' });
  });
});
