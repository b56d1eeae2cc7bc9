import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  fileOf,
  filesHost,
  join as joinRoom,
  send,
  sha256,
  storedBytes,
  upload,
} from './helpers/files-rig';

/** Every stored file under the files folder, as `ab/cdef…`. */
async function storedFiles(filesDir: string): Promise<string[]> {
  const found: string[] = [];
  for (const shard of await readdir(filesDir)) {
    if (!/^[0-9a-f]{2}$/.test(shard)) continue;
    for (const rest of await readdir(join(filesDir, shard))) found.push(`${shard}/${rest}`);
  }
  return found.sort();
}

describe('uploads', () => {
  it('stores an upload by its SHA-256, names it in Parley-File-Id, and answers its file JSON', async () => {
    const { port, origin, filesDir } = await filesHost();
    const alice = await joinRoom(port, 'alice');
    const bytes = randomBytes(300_000);
    const done = await upload(
      origin,
      alice.token,
      bytes,
      {
        filename: 'notes.bin',
        conv: 'general',
      },
      { chunkSize: 100_000 },
    );
    expect(done.fileId).toBe(sha256(bytes));
    expect(sha256(await storedBytes(filesDir, done.fileId))).toBe(sha256(bytes));
    const file = await fileOf(port, alice.token, done.url);
    expect(file).toMatchObject({
      id: sha256(bytes),
      name: 'notes.bin',
      size: bytes.length,
      mime: 'application/octet-stream',
    });
    expect(file.url).toMatch(new RegExp(`^/api/files/${file.id}/[A-Za-z0-9_-]{22}/notes\\.bin$`));
    const head = await send(port, 'HEAD', new URL(done.url).pathname, {
      Authorization: `Bearer ${alice.token}`,
      'Tus-Resumable': '1.0.0',
    });
    expect(head.headers['parley-file-id']).toBe(file.id);
    expect(head.headers['upload-offset']).toBe(String(bytes.length));
  });

  it('stores a file two people upload once', async () => {
    const { port, origin, filesDir } = await filesHost();
    const [alice, bob] = [await joinRoom(port, 'alice'), await joinRoom(port, 'bob')];
    const bytes = randomBytes(200_000);
    const [a, b] = await Promise.all([
      upload(origin, alice.token, bytes, { filename: 'a.bin', conv: 'general' }),
      upload(origin, bob.token, bytes, { filename: 'b.bin', conv: 'general' }),
    ]);
    expect([a.fileId, b.fileId]).toEqual([sha256(bytes), sha256(bytes)]);
    expect(await storedFiles(filesDir)).toEqual([`${a.fileId.slice(0, 2)}/${a.fileId.slice(2)}`]);
    // Each keeps the name it sent.
    expect((await fileOf(port, alice.token, a.url)).name).toBe('a.bin');
    expect((await fileOf(port, bob.token, b.url)).name).toBe('b.bin');
  });

  it("keeps an upload its owner's: anyone else hears no_such_file", async () => {
    const { port, origin } = await filesHost();
    const [alice, bob] = [await joinRoom(port, 'alice'), await joinRoom(port, 'bob')];
    const done = await upload(origin, alice.token, randomBytes(1000), {
      filename: 'x',
      conv: 'general',
    });
    const path = new URL(done.url).pathname;
    const asBob = await send(port, 'GET', path, { Authorization: `Bearer ${bob.token}` });
    expect([asBob.status, asBob.json()]).toEqual([
      404,
      expect.objectContaining({ code: 'no_such_file' }),
    ]);
    const anonymous = await send(port, 'GET', path);
    expect(anonymous.status).toBe(401);
    expect(anonymous.json()).toMatchObject({ code: 'unauthorized' });
  });
});
