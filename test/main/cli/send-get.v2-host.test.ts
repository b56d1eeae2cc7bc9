/**
 * `parley send` and `parley get` in-process against a real TLS host: files go up with tus over
 * the pinned connection and are posted as one message (exit 0 once confirmed); `parley get`
 * fetches one by the address the terminal prints, continuing a partial download (Range).
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { runJoin } from '../../../main/cli/join-command';
import { runGet } from '../../../main/cli/get-command';
import { ClientSession } from '../../../protocol/client/client-session';
import type { Entry } from '../../../protocol/wire/entries';
import { until } from '../../support/wait';
import { clientIo, tempDir, tlsRoom } from './support/tls-room';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('parley send and parley get', () => {
  it('posts files as one message, and downloads one of them, resuming a partial file', async () => {
    const { address, url, host } = await tlsRoom(cleanups);
    const bob = new ClientSession({ url, name: 'bob', WebSocket, reconnect: false });
    cleanups.push(() => bob.close());
    const seen: Entry[] = [];
    bob.on('entry', (entry) => seen.push(entry));
    await bob.connect();

    const dir = await tempDir('parley-send-');
    const report = randomBytes(300_000);
    const notes = Buffer.from('plain notes\n');
    await writeFile(join(dir, 'report.bin'), report);
    await writeFile(join(dir, 'notes.txt'), notes);

    const { io, configHome } = await clientIo();
    const code = await runJoin(
      [address, join(dir, 'report.bin'), join(dir, 'notes.txt'), '--name', 'ann'],
      io,
      undefined,
      { defaultName: 'ann' },
    );
    expect(code, io.errors()).toBe(0);
    expect(io.errors()).toMatch(/report\.bin is up/);

    await until(() => seen.some((entry) => entry.kind === 'text' && entry.files), 5000, 'the post');
    const post = seen.find((entry) => entry.kind === 'text' && entry.files);
    if (post?.kind !== 'text') throw new Error('no post');
    expect(post.from.name).toBe('ann');
    expect(post.files?.map((file) => [file.name, file.id])).toEqual([
      ['report.bin', sha(report)],
      ['notes.txt', sha(notes)],
    ]);

    const file = post.files![0]!;
    const saved = join(dir, 'copy.bin');
    await writeFile(`${saved}.part`, report.subarray(0, 100_000));
    const get = (await clientIo({ configHome })).io;
    const fileUrl = `https://127.0.0.1:${host.port}${file.url}`;
    expect(await runGet([fileUrl, '-o', saved], get), get.errors()).toBe(0);
    expect(sha(await readFile(saved))).toBe(sha(report));
  });

  it('refuses a path that is not a file before connecting, with exit code 2', async () => {
    const { io } = await clientIo();
    const code = await runJoin(['127.0.0.1:1', '/nowhere/at/all.txt'], io, undefined, {
      defaultName: 'ann',
    });
    expect(code).toBe(2);
    expect(io.errors()).toMatch(/cannot read \/nowhere\/at\/all\.txt/);
  });
});
