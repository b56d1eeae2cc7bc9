import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { FileInfo } from '../../../../protocol/wire/entries';
import { openSqliteStore } from '../../../../main/host/store/sqlite-store';
import { until } from '../../../support/wait';
import { tempDir } from '../helpers/host';
import { fileOf, filesHost, join as joinRoom, send, upload } from './helpers/files-rig';

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

const stored = (filesDir: string, id: string) => `${filesDir}/${id.slice(0, 2)}/${id.slice(2)}`;

describe('cleaning up files', () => {
  it("removes a deleted message's file and its thumbnail, and keeps a posted one", async () => {
    const store = await openSqliteStore(await tempDir(), 'Room');
    // The sweeper's clock: moved past the day a finished upload may still be posted.
    let now = Date.now();
    const { port, origin, filesDir } = await filesHost({
      store,
      fileCleanup: { intervalMs: 50, now: () => now },
    });
    const alice = await joinRoom(port, 'alice');
    const sharp = (await import('sharp')).default;
    const image = await sharp({
      create: { width: 400, height: 300, channels: 3, background: '#3366aa' },
    })
      .png()
      .toBuffer();
    const kept = randomBytes(2000);
    const goes = await upload(origin, alice.token, image, { filename: 'i.png', conv: 'general' });
    const stays = await upload(origin, alice.token, kept, { filename: 'k.bin', conv: 'general' });
    const imageFile = await fileOf(port, alice.token, goes.url);
    alice.client.say('a', 'general', '', { files: [goes.fileId] });
    alice.client.say('b', 'general', '', { files: [stays.fileId] });
    const posted = await alice.client.nextIn('message', 'general', (entry) => entry.id === 'a');
    const thumbId = imageFile.thumb!.split('/')[3]!;
    expect(await exists(stored(filesDir, thumbId))).toBe(true);

    alice.client.send({ type: 'delete', id: 'd', conv: 'general', target: posted.seq });
    await alice.client.next('ack', undefined, (ack) => ack.id === 'd');
    now += 2 * 24 * 60 * 60 * 1000;
    const gone = async () =>
      !(await exists(stored(filesDir, goes.fileId))) && !(await exists(stored(filesDir, thumbId)));
    let done = false;
    await until(
      () => {
        void gone().then((yes) => (done = yes));
        return done;
      },
      10_000,
      "the deleted message's file and thumbnail to go",
    );
    expect((await send(port, 'GET', imageFile.url)).status).toBe(404);
    const postedFiles = (posted as { files?: FileInfo[] }).files;
    expect(postedFiles?.map((file) => file.id)).toEqual([goes.fileId]);
    expect(await exists(stored(filesDir, stays.fileId))).toBe(true);
    const [keptInfo] = (
      (await alice.client.nextIn('message', 'general', (entry) => entry.id === 'b')) as {
        files?: FileInfo[];
      }
    ).files!;
    expect((await send(port, 'GET', keptInfo!.url)).status).toBe(200);
  });
});
