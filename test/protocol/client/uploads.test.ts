/**
 * Uploads (protocol/client/uploads.ts) through tus-js-client in Node, over real sockets to a tus
 * endpoint built like the host's (support/tus-host.ts): the files of one send go up, then one
 * message carries their ids; a connection cut mid-file resumes from the host's offset; a
 * changed token (a reconnect) is picked up; cancelling drops the upload; refusals keep their code.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TransferView } from '../../../protocol/bridge';
import { Uploads, type FilesMessage, type UploadsOptions } from '../../../protocol/client/uploads';
import {
  nodeTusOptions,
  uploadFileAt,
  uploadFileOf,
} from '../../../main/transfers/node-upload-files';
import { startTusHost, type TusHost } from './support/tus-host';
import { until, withTimeout } from '../../support/wait';

let host: TusHost;
let dir: string;
let uploads: Uploads | undefined;

beforeEach(async () => {
  host = await startTusHost({ maxSize: 4 * 1024 * 1024 });
  dir = await mkdtemp(join(tmpdir(), 'parley-uploads-'));
});
afterEach(async () => {
  uploads?.close();
  uploads = undefined;
  await host.close();
  await rm(dir, { recursive: true, force: true });
});

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function useUploads(options: Partial<UploadsOptions> = {}) {
  const posted: FilesMessage[] = [];
  const views: TransferView[] = [];
  let token: string | undefined = host.token;
  const created = new Uploads({
    origin: host.origin,
    token: () => token,
    post: (message) => posted.push(message),
    changed: (view) => views.push(view),
    retryDelays: [0, 20, 50],
    progressIntervalMs: 0,
    tus: { ...nodeTusOptions({ urlStorageFile: join(dir, 'uploads.json') }), chunkSize: 64 * 1024 },
    ...options,
  });
  uploads = created;
  return {
    uploads: created,
    posted,
    views,
    setToken: (next: string | undefined) => (token = next),
    last: (id: string) => views.filter((view) => view.id === id).at(-1),
  };
}

async function fileOf(name: string, size: number) {
  const bytes = randomBytes(size);
  const path = join(dir, name);
  await writeFile(path, bytes);
  return { bytes, path };
}

describe('Uploads', () => {
  it('uploads the files of one send, then posts one message carrying their ids', async () => {
    const a = await fileOf('a.bin', 300_000);
    const b = await fileOf('b.txt', 10);
    const { uploads, posted, views } = useUploads();
    const started = uploads.start({
      conv: 'general',
      text: 'two files',
      replyTo: 4,
      files: [await uploadFileAt(a.path), await uploadFileAt(b.path)],
    });
    expect(started.transfers).toHaveLength(2);
    await until(() => posted.length === 1, 5000, 'the message carrying the files');
    expect(posted[0]).toEqual({
      id: started.message,
      conv: 'general',
      text: 'two files',
      replyTo: 4,
      files: [sha256(a.bytes), sha256(b.bytes)],
    });
    const first = views.filter((view) => view.id === started.transfers[0]);
    expect(first[0]).toMatchObject({ state: 'queued', name: 'a.bin', size: 300_000, done: 0 });
    expect(first.some((view) => view.state === 'running' && view.done > 0)).toBe(true);
    expect(first.at(-1)).toMatchObject({ state: 'done', done: 300_000, fileId: sha256(a.bytes) });
    expect(host.requests.filter((method) => method === 'POST')).toHaveLength(2);
  });

  it('resumes from the host offset after the connection is cut mid-file', async () => {
    const big = await fileOf('big.bin', 1_000_000);
    const { uploads, posted, views } = useUploads();
    host.cutAfter(400_000);
    const started = uploads.start({ conv: 'general', files: [await uploadFileAt(big.path)] });
    await until(() => posted.length === 1, 10_000, 'the upload to finish after the cut');
    expect(posted[0]?.files).toEqual([sha256(big.bytes)]);
    // One creation: the retry asked the host where it stood (HEAD) and went on from there.
    expect(host.requests.filter((method) => method === 'POST')).toHaveLength(1);
    expect(host.requests).toContain('HEAD');
    const states = views.filter((view) => view.id === started.transfers[0]).map((v) => v.state);
    expect(states).toContain('paused');
    expect(states.at(-1)).toBe('done');
  });

  it('resumes an upload a previous run left unfinished (same file on disk)', async () => {
    const big = await fileOf('again.bin', 600_000);
    const first = useUploads({ retryDelays: [] });
    host.cutAfter(300_000);
    const started = first.uploads.start({ conv: 'general', files: [await uploadFileAt(big.path)] });
    await until(
      () => ['paused', 'failed'].includes(first.last(started.transfers[0]!)?.state ?? ''),
      5000,
      'the first run to stop',
    );
    first.uploads.close();
    const second = useUploads();
    const again = second.uploads.start({ conv: 'general', files: [await uploadFileAt(big.path)] });
    await until(() => second.posted.length === 1, 5000, 'the second run to finish');
    expect(second.posted[0]?.files).toEqual([sha256(big.bytes)]);
    expect(host.requests.filter((method) => method === 'POST')).toHaveLength(1);
    const views = second.views.filter((view) => view.id === again.transfers[0]);
    expect(views.find((view) => view.state === 'running' && view.done > 0)?.done).toBeGreaterThan(
      0,
    );
  });

  it('waits for a new token after a 401, then goes on with it', async () => {
    const small = uploadFileOf('pasted.png', randomBytes(5000));
    const { uploads, posted, last, setToken } = useUploads();
    host.token = 'token-2';
    const started = uploads.start({ conv: 'general', files: [small] });
    await until(() => last(started.transfers[0]!)?.state === 'paused', 5000, 'the pause');
    expect(last(started.transfers[0]!)?.error?.code).toBe('unauthorized');
    setToken('token-2');
    uploads.resume();
    await until(() => posted.length === 1, 5000, 'the upload with the new token');
  });

  it('cancels: nothing is posted and the host drops the upload', async () => {
    const big = await fileOf('cancel.bin', 2_000_000);
    const { uploads, posted, last } = useUploads({
      tus: { ...nodeTusOptions({}), chunkSize: 16 * 1024 },
    });
    const started = uploads.start({ conv: 'general', files: [await uploadFileAt(big.path)] });
    const id = started.transfers[0]!;
    await until(() => (last(id)?.done ?? 0) > 0, 5000, 'some progress');
    expect(uploads.cancel(id)).toBe(true);
    expect(last(id)?.state).toBe('cancelled');
    await until(() => host.requests.includes('DELETE'), 5000, 'the termination');
    expect(posted).toEqual([]);
    expect(uploads.cancel('unknown')).toBe(false);
  });

  it('fails a file the host refuses as too large, keeping its code', async () => {
    const huge = await fileOf('huge.bin', 5 * 1024 * 1024);
    const { uploads, posted, last } = useUploads();
    const started = uploads.start({ conv: 'general', files: [await uploadFileAt(huge.path)] });
    const id = started.transfers[0]!;
    await withTimeout(
      until(() => last(id)?.state === 'failed', 5000, 'the refusal'),
      6000,
      'the refusal',
    );
    expect(last(id)?.error?.code).toBe('too_large');
    expect(posted).toEqual([]);
  });
});
