/**
 * Interrupted uploads resume where they stopped and end with the right bytes: a client cut off at
 * random offsets, and a host killed with SIGKILL mid-upload and started again on the same folder
 * (the built `parley host`, as a child process).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { Metadata } from '@tus/utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Upload } from 'tus-js-client';
import { CLI_BUILD_TIMEOUT_MS, ensureCliBuilt } from '../../../support/cli-build';
import { until, withTimeout } from '../../../support/wait';
import { killAll, removeIsolatedHome, runParley } from '../../cli/support/run-parley';
import { tempDir } from '../helpers/host';
import { newIdentity, V2Client } from '../helpers/v2-client';
import {
  fileOf,
  filesHost,
  insecureStack,
  join as joinRoom,
  send,
  sha256,
  storedBytes,
} from './helpers/files-rig';

beforeAll(() => ensureCliBuilt(), CLI_BUILD_TIMEOUT_MS);
afterEach(() => killAll());
afterAll(() => removeIsolatedHome());

interface Attempt {
  /** Resolves once the upload finished, or rejects when it failed or was stopped. */
  done: Promise<{ url: string; fileId: string }>;
  /** The upload URL, once the host created it. */
  url: () => string | undefined;
}

/**
 * One go at an upload (a new one, or resuming `uploadUrl`); `cutAt` stops it (the request cut
 * mid-way, as a killed client) once that many bytes went out.
 */
function attempt(
  origin: string,
  token: string,
  bytes: Buffer,
  options: { uploadUrl?: string | undefined; cutAt?: number },
): Attempt {
  let running: Upload;
  const done = new Promise<{ url: string; fileId: string }>((resolve, reject) => {
    let fileId = '';
    running = new Upload(bytes, {
      endpoint: `${origin}/api/files`,
      ...(options.uploadUrl !== undefined && { uploadUrl: options.uploadUrl }),
      headers: { Authorization: `Bearer ${token}` },
      metadata: { filename: 'big.bin', conv: 'general' },
      httpStack: insecureStack(),
      retryDelays: [],
      onProgress: (sent) => {
        if (options.cutAt !== undefined && sent >= options.cutAt) {
          void running.abort().then(() => reject(new Error('cut')));
        }
      },
      onAfterResponse: (_request, response) => {
        fileId = response.getHeader('Parley-File-Id') ?? fileId;
      },
      onSuccess: () => resolve({ url: running.url ?? '', fileId }),
      onError: reject,
    });
    running.start();
  });
  return {
    done: withTimeout(done, 60_000, 'an upload attempt'),
    url: () => running.url ?? undefined,
  };
}

describe('resumed uploads', () => {
  it('ends with the right SHA-256 after the client is cut off at random offsets', async () => {
    const { port, origin, filesDir } = await filesHost();
    const alice = await joinRoom(port, 'alice');
    const bytes = randomBytes(6 * 1024 * 1024);
    const cuts = [0, 0, 0].map(() => randomInt(1, bytes.length)).sort((a, b) => a - b);
    let url: string | undefined;
    for (const cutAt of cuts) {
      const go = attempt(origin, alice.token, bytes, { uploadUrl: url, cutAt });
      await go.done.catch(() => undefined);
      url ??= go.url();
    }
    expect(url).toBeDefined();
    const last = await attempt(origin, alice.token, bytes, { uploadUrl: url }).done;
    expect(last.url).toBe(url);
    expect(last.fileId).toBe(sha256(bytes));
    expect(sha256(await storedBytes(filesDir, last.fileId))).toBe(sha256(bytes));
    expect((await fileOf(port, alice.token, url!)).size).toBe(bytes.length);
  });

  it('ends with the right SHA-256 after the host is killed with SIGKILL mid-upload and restarted', async () => {
    const data = await tempDir();
    const flags = ['host', '--port', '0', '--bind', '127.0.0.1', '--no-discovery', '--data', data];
    const start = async () => {
      const host = runParley(flags);
      // Loading the host (sharp, libsql) on a busy machine may take a while.
      const [, printed] = await host.waitForOutput(/open on port (\d+)\./, 30_000);
      await host.waitForOutput(/Press Ctrl\+C/, 30_000);
      return { host, port: Number(printed), origin: `https://127.0.0.1:${printed}` };
    };
    // The same identity on both runs: an upload belongs to the person, whatever the session.
    const { identity } = newIdentity();
    const tokenOn = async (port: number) => {
      const { client, welcome } = await V2Client.join(
        port,
        'alice',
        { identity },
        { secure: true },
      );
      client.close();
      return welcome.token;
    };

    const bytes = randomBytes(8 * 1024 * 1024);
    const first = await start();
    // Bytes up to a random offset go out in one PATCH that never ends; once some of them reached
    // the host's disk, the host is killed in the middle of that request.
    const cutAt = randomInt(1024 * 1024, bytes.length - 1024 * 1024);
    const auth = { Authorization: `Bearer ${await tokenOn(first.port)}`, 'Tus-Resumable': '1.0.0' };
    const created = await send(first.port, 'POST', '/api/files', {
      ...auth,
      'Upload-Length': bytes.length,
      'Upload-Metadata': Metadata.stringify({ filename: 'big.bin', conv: 'general' }),
    });
    const path = created.headers.location!;
    const patch = https.request({
      host: '127.0.0.1',
      port: first.port,
      method: 'PATCH',
      path,
      agent: false,
      rejectUnauthorized: false,
      headers: {
        ...auth,
        'Upload-Offset': 0,
        'Content-Type': 'application/offset+octet-stream',
        'Content-Length': bytes.length,
      },
    });
    patch.on('error', () => {});
    patch.write(bytes.subarray(0, cutAt));
    const partial = join(data, 'files', 'uploads', path.split('/').at(-1)!);
    const written = () => (existsSync(partial) ? statSync(partial).size : 0);
    await until(() => written() >= cutAt / 2, 20_000, 'half the bytes sent to reach the disk');
    first.host.child.kill('SIGKILL');
    expect((await first.host.exited).signal).toBe('SIGKILL');
    patch.destroy();
    expect(written()).toBeLessThan(bytes.length);

    const second = await start();
    const token = await tokenOn(second.port);
    const resumed = await attempt(second.origin, token, bytes, {
      uploadUrl: `${second.origin}${path}`,
    }).done;
    expect(resumed.fileId).toBe(sha256(bytes));
    expect(sha256(await storedBytes(`${data}/files`, resumed.fileId))).toBe(sha256(bytes));
    expect((await fileOf(second.port, token, resumed.url)).id).toBe(sha256(bytes));
    second.host.child.kill('SIGTERM');
    await second.host.exited;
    // Two host processes start and stop here: on a busy machine that takes longer than most tests.
  }, 90_000);
});
