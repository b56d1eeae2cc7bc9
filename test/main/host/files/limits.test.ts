import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Metadata } from '@tus/utils';
import { describe, expect, it } from 'vitest';
import { fileOf, filesHost, join as joinRoom, send, upload } from './helpers/files-rig';

/** A tus creation request as a client sends it, without any bytes. */
function create(
  port: number,
  token: string | undefined,
  length: number,
  metadata: Record<string, string> = { filename: 'f.bin', conv: 'general' },
) {
  return send(port, 'POST', '/api/files', {
    'Tus-Resumable': '1.0.0',
    'Upload-Length': length,
    'Upload-Metadata': Metadata.stringify(metadata),
    ...(token !== undefined && { Authorization: `Bearer ${token}` }),
  });
}

describe('limits', () => {
  it('refuses a file over the size limit at creation: 413 too_large', async () => {
    const { port } = await filesHost({ maxFileSize: 1000 });
    const alice = await joinRoom(port, 'alice');
    const refused = await create(port, alice.token, 1001);
    expect([refused.status, refused.json()]).toEqual([
      413,
      expect.objectContaining({ code: 'too_large' }),
    ]);
    expect((await create(port, alice.token, 1000)).status).toBe(201);
  });

  it("refuses what would overflow the room's storage: 507 room_full", async () => {
    const { port, origin } = await filesHost({ maxRoomFiles: 10_000 });
    const alice = await joinRoom(port, 'alice');
    await upload(origin, alice.token, randomBytes(6000), { filename: 'a', conv: 'general' });
    const refused = await create(port, alice.token, 5000);
    expect([refused.status, refused.json()]).toEqual([
      507,
      expect.objectContaining({ code: 'room_full' }),
    ]);
    expect((await create(port, alice.token, 4000)).status).toBe(201);
  });

  it('refuses more uploads at once than allowed per person: 429 too_many_uploads', async () => {
    const { port } = await filesHost({ maxUploads: 2 });
    const [alice, bob] = [await joinRoom(port, 'alice'), await joinRoom(port, 'bob')];
    expect((await create(port, alice.token, 100)).status).toBe(201);
    expect((await create(port, alice.token, 100)).status).toBe(201);
    const refused = await create(port, alice.token, 100);
    expect([refused.status, refused.json()]).toEqual([
      429,
      expect.objectContaining({ code: 'too_many_uploads' }),
    ]);
    expect(refused.headers['retry-after']).toBeDefined();
    // Per person: bob may still send.
    expect((await create(port, bob.token, 100)).status).toBe(201);
  });

  it('refuses uploads without a session token, for an unknown conversation, or without metadata', async () => {
    const { port } = await filesHost();
    const alice = await joinRoom(port, 'alice');
    const cases = [
      [await create(port, undefined, 10), 401, 'unauthorized'],
      [await create(port, 'A'.repeat(43), 10), 401, 'unauthorized'],
      [
        await create(port, alice.token, 10, { filename: 'x', conv: 'nowhere' }),
        404,
        'no_such_conversation',
      ],
      [await create(port, alice.token, 10, { filename: 'x' }), 400, 'bad_request'],
    ] as const;
    for (const [answer, status, code] of cases) {
      expect([answer.status, answer.json()]).toEqual([status, expect.objectContaining({ code })]);
    }
  });
});

describe('file names', () => {
  it('keeps only a safe last part of any name, and never uses it as a path', async () => {
    const { port, origin, filesDir } = await filesHost();
    const alice = await joinRoom(port, 'alice');
    const names: [string, string][] = [
      ['../../../etc/passwd', 'passwd'],
      ['/absolute/path/report.pdf', 'report.pdf'],
      ['C:\\Windows\\system32\\evil.dll', 'evil.dll'],
      ['a\u0000b.txt', 'ab.txt'],
      ['CON', '_CON'],
      ['nul.txt', '_nul.txt'],
      ['..', 'file'],
      ['what?.txt', 'what_.txt'],
    ];
    for (const [given, kept] of names) {
      const done = await upload(origin, alice.token, randomBytes(64), {
        filename: given,
        conv: 'general',
      });
      const file = await fileOf(port, alice.token, done.url);
      expect([given, file.name]).toEqual([given, kept]);
      const answer = await send(port, 'GET', file.url);
      expect(answer.status).toBe(200);
    }
    const long = `${'x'.repeat(10_000)}.txt`;
    const done = await upload(origin, alice.token, randomBytes(64), {
      filename: long,
      conv: 'general',
    });
    const file = await fileOf(port, alice.token, done.url);
    expect([...file.name].length).toBe(255);
    expect(file.name.endsWith('.txt')).toBe(true);
    // Only content addresses and the uploads folder in the files folder: no name made a path.
    const top = await readdir(filesDir);
    expect(top.filter((name) => !/^[0-9a-f]{2}$/.test(name))).toEqual(['uploads']);
    const uploads = await readdir(join(filesDir, 'uploads'));
    expect(uploads.every((name) => /^[0-9a-f]{32}(\.json)?$/.test(name))).toBe(true);
  });
});
