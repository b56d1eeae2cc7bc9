/**
 * The desktop room's transfers over real sockets: a file on disk goes up to a tus endpoint built
 * like the host's and the room's session posts it under the send's id; a download lands in the
 * Downloads folder (never over an existing file), and "show in folder" gets its path; every
 * change reaches the window as a `transfer` event.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RoomEvent, TransferView } from '../../../../protocol/bridge';
import { RoomTransfers } from '../../../../main/app/room/room-transfers';
import { startTusHost, type TusHost } from '../../../protocol/client/support/tus-host';
import { until } from '../../../support/wait';

let tus: TusHost;
let dir: string;
let files: Server;
let filesOrigin: string;
const CONTENT = randomBytes(50_000);

beforeEach(async () => {
  tus = await startTusHost();
  dir = await mkdtemp(join(tmpdir(), 'parley-room-transfers-'));
  files = createServer((request, response) => {
    if (request.url !== '/api/files/abc/cap/photo.png') {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ code: 'no_such_file', message: 'gone' }));
      return;
    }
    response.writeHead(200, { 'content-length': CONTENT.length });
    response.end(CONTENT);
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  filesOrigin = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
});
afterEach(async () => {
  files.closeAllConnections();
  await new Promise((resolve) => files.close(resolve));
  await tus.close();
  await rm(dir, { recursive: true, force: true });
});

function transfersFor(origin: string) {
  const sent: { request: unknown; id: string | undefined }[] = [];
  const events: RoomEvent[] = [];
  const session = {
    token: tus.token,
    send: (request: unknown, id?: string) => {
      sent.push({ request, id });
      return { id: id ?? 'x', conv: 'general', text: '', state: 'sending' as const };
    },
    on: () => () => undefined,
  };
  const transfers = new RoomTransfers({
    session: session as never,
    origin,
    downloadsDir: join(dir, 'Downloads'),
    urlStorageFile: join(dir, 'uploads.json'),
    emit: (event) => events.push(event),
    progressIntervalMs: 0,
  });
  const views = (id: string): TransferView[] =>
    events.flatMap((event) =>
      event.type === 'transfer' && event.transfer.id === id ? [event.transfer] : [],
    );
  return { transfers, sent, views };
}

describe('RoomTransfers', () => {
  it('uploads a file from its path, then the session posts it under the send id', async () => {
    const path = join(dir, 'notes.txt');
    await writeFile(path, 'the notes');
    const { transfers, sent, views } = transfersFor(tus.origin);
    const started = await transfers.upload({ conv: 'c_design', text: 'here', files: [{ path }] });
    await until(() => sent.length === 1, 5000, 'the post');
    expect(sent[0]).toEqual({
      id: started.message,
      request: {
        conv: 'c_design',
        text: 'here',
        files: [createHash('sha256').update('the notes').digest('hex')],
      },
    });
    expect(views(started.transfers[0]!).at(-1)).toMatchObject({
      direction: 'upload',
      name: 'notes.txt',
      state: 'done',
    });
    transfers.close();
  });

  it('refuses a path that is not a file', async () => {
    const { transfers } = transfersFor(tus.origin);
    await expect(
      transfers.upload({ conv: 'general', files: [{ path: dir }] }),
    ).rejects.toMatchObject({ code: 'not_a_file' });
    transfers.close();
  });

  it('downloads into the Downloads folder beside an existing file, then shows where', async () => {
    const { transfers, views } = transfersFor(filesOrigin);
    const first = await transfers.download({
      url: '/api/files/abc/cap/photo.png',
      name: 'photo.png',
      size: CONTENT.length,
    });
    await until(() => views(first).at(-1)?.state === 'done', 5000, 'the first download');
    expect(transfers.savedPath(first)).toBe(join(dir, 'Downloads', 'photo.png'));

    const second = await transfers.download({
      url: '/api/files/abc/cap/photo.png',
      name: '../photo.png',
      size: CONTENT.length,
    });
    await until(() => views(second).at(-1)?.state === 'done', 5000, 'the second download');
    const saved = transfers.savedPath(second);
    expect(saved).toBe(join(dir, 'Downloads', 'photo (1).png'));
    expect((await readFile(saved)).equals(CONTENT)).toBe(true);
    expect(views(second).at(-1)).toMatchObject({ name: 'photo (1).png', done: CONTENT.length });
    transfers.close();
  });

  it('fails a download the host refuses, with its code; only finished ones show in folder', async () => {
    const { transfers, views } = transfersFor(filesOrigin);
    const id = await transfers.download({ url: '/api/files/nope/x/a', name: 'a', size: 1 });
    await until(() => views(id).at(-1)?.state === 'failed', 5000, 'the refusal');
    expect(views(id).at(-1)?.error?.code).toBe('no_such_file');
    expect(() => transfers.savedPath(id)).toThrow();
    transfers.close();
  });
});
