import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FileInfo } from '../../../../protocol/wire/entries';
import { fileOf, filesHost, join as joinRoom, send, sha256, upload } from './helpers/files-rig';

describe('downloads', () => {
  it('serves a file by its capability URL with Range, HEAD, ETag and caching', async () => {
    const { port, origin } = await filesHost();
    const alice = await joinRoom(port, 'alice');
    const bytes = randomBytes(100_000);
    const done = await upload(origin, alice.token, bytes, {
      filename: 'data.bin',
      conv: 'general',
    });
    const file = await fileOf(port, alice.token, done.url);

    const whole = await send(port, 'GET', file.url);
    expect(whole.status).toBe(200);
    expect(sha256(whole.body)).toBe(file.id);
    expect(whole.headers).toMatchObject({
      etag: `"${file.id}"`,
      'cache-control': 'private, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
      'content-security-policy': 'sandbox',
      'accept-ranges': 'bytes',
      'content-type': 'application/octet-stream',
      'content-length': String(bytes.length),
    });
    expect(whole.headers['content-disposition']).toMatch(/^attachment; filename="data.bin"/);

    const part = await send(port, 'GET', file.url, { Range: 'bytes=1000-1999' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 1000-1999/${bytes.length}`);
    expect(part.body).toEqual(bytes.subarray(1000, 2000));
    const rest = await send(port, 'GET', file.url, { Range: 'bytes=99000-' });
    expect(rest.body.length).toBe(1000);
    const outside = await send(port, 'GET', file.url, { Range: `bytes=${bytes.length}-` });
    expect([outside.status, outside.json()]).toEqual([
      416,
      expect.objectContaining({ code: 'range_not_satisfiable' }),
    ]);

    const head = await send(port, 'HEAD', file.url);
    expect([head.status, head.headers['content-length'], head.body.length]).toEqual([
      200,
      String(bytes.length),
      0,
    ]);
    const cached = await send(port, 'GET', file.url, { 'If-None-Match': `"${file.id}"` });
    expect(cached.status).toBe(304);
  });

  it('never serves HTML or SVG inline, whatever the name says', async () => {
    const { port, origin } = await filesHost();
    const alice = await joinRoom(port, 'alice');
    const pages = {
      'page.png': Buffer.from('<!doctype html><script>alert(1)</script>'),
      'drawing.png': Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      ),
    };
    for (const [filename, bytes] of Object.entries(pages)) {
      const done = await upload(origin, alice.token, bytes, { filename, conv: 'general' });
      const file = await fileOf(port, alice.token, done.url);
      expect(file.mime).not.toMatch(/html|svg|png/);
      expect(file.thumb).toBeUndefined();
      const answer = await send(port, 'GET', file.url);
      expect(answer.headers['content-disposition']).toMatch(/^attachment;/);
      expect(answer.headers['content-type']).not.toMatch(/html|svg/);
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['content-security-policy']).toBe('sandbox');
    }
  });

  it('keeps a file posted in a direct conversation out of reach without its capability URL', async () => {
    const { port, origin } = await filesHost();
    const [alice, bob, carol] = [
      await joinRoom(port, 'alice'),
      await joinRoom(port, 'bob'),
      await joinRoom(port, 'carol'),
    ];
    alice.client.send({ type: 'open_direct', peer: bob.peerId });
    const { id: direct } = await alice.client.next(
      'conversation',
      undefined,
      (c) => c.kind === 'direct',
    );
    const bytes = randomBytes(5000);
    const done = await upload(origin, alice.token, bytes, { filename: 'secret.txt', conv: direct });
    alice.client.say('s1', direct, 'for you', { files: [done.fileId] });
    const message = await bob.client.nextIn('message', direct);
    const [file] = (message as { files?: FileInfo[] }).files ?? [];
    expect(file).toBeDefined();
    const fetched = await send(port, 'GET', file!.url);
    expect(sha256(fetched.body)).toBe(done.fileId);

    // Carol knows the bytes (so their SHA-256) but not the capability.
    const [, , id, capability] = file!.url.split('/').slice(1);
    const guesses = [
      `/api/files/${id}`,
      `/api/files/${id}/secret.txt`,
      `/api/files/${id}/${'A'.repeat(22)}/secret.txt`,
      `/api/files/${id}/${capability!.slice(0, 21)}/secret.txt`,
      `/api/files/${id}/${capability}`,
    ];
    for (const path of guesses) {
      const answer = await send(port, 'GET', path, { Authorization: `Bearer ${carol.token}` });
      expect([path, answer.status, answer.body.includes(bytes)]).toEqual([path, 404, false]);
    }
    // Carol cannot post it either: it is not an upload of hers.
    carol.client.say('c1', 'general', 'mine now', { files: [done.fileId] });
    expect(await carol.client.next('error')).toMatchObject({ code: 'no_such_file', ref: 'c1' });
  });

  it('refuses say.files naming an unknown id, or an upload meant for another conversation', async () => {
    const { port, origin } = await filesHost();
    const alice = await joinRoom(port, 'alice');
    alice.client.say('u1', 'general', 'look', { files: ['0'.repeat(64)] });
    expect(await alice.client.next('error')).toMatchObject({ code: 'no_such_file', ref: 'u1' });
    alice.client.send({ type: 'create_channel', id: 'mk', name: 'dev' });
    const { conv: dev } = await alice.client.next('ack', undefined, (ack) => ack.id === 'mk');
    const done = await upload(origin, alice.token, randomBytes(100), { filename: 'a', conv: dev });
    alice.client.say('u2', 'general', '', { files: [done.fileId] });
    expect(await alice.client.next('error')).toMatchObject({ code: 'no_such_file', ref: 'u2' });
    // Where it was sent for, with no text: fine.
    alice.client.say('u3', dev, '', { files: [done.fileId] });
    const posted = await alice.client.nextIn('message', dev, (entry) => entry.id === 'u3');
    expect((posted as { files?: FileInfo[] }).files?.map((file) => file.id)).toEqual([done.fileId]);
  });
});
