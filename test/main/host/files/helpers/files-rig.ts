/**
 * A TLS host with files on port 0 and the means to use them as a client would: people who join
 * (their session token authorises uploads), uploads with tus-js-client (the client the apps use),
 * and raw HTTPS requests that go out exactly as written.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { DefaultHttpStack, Upload } from 'tus-js-client';
import type { FileInfo } from '../../../../../protocol/wire/entries';
import type { HostOptions, ParleyHost } from '../../../../../main/host/types';
import { withTimeout } from '../../../../support/wait';
import { tempDir, testHost } from '../../helpers/host';
import { testCertificate } from '../../helpers/tls';
import { newIdentity, V2Client } from '../../helpers/v2-client';

export interface FilesHost {
  host: ParleyHost;
  port: number;
  origin: string;
  filesDir: string;
}

export async function filesHost(options: HostOptions = {}): Promise<FilesHost> {
  const certificate = await testCertificate();
  const filesDir = options.filesDir ?? (await tempDir());
  const host = await testHost({
    tls: { cert: certificate.cert, key: certificate.key },
    filesDir,
    ...options,
  });
  return { host, port: host.port, origin: `https://127.0.0.1:${host.port}`, filesDir };
}

export interface Person {
  client: V2Client;
  token: string;
  peerId: string;
}

export async function join(port: number, name: string): Promise<Person> {
  const { identity, peerId } = newIdentity();
  const { client, welcome } = await V2Client.join(port, name, { identity }, { secure: true });
  return { client, token: welcome.token, peerId };
}

export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Accepts the test certificate (these tests are about the host, not about pinning). */
export const insecureStack = () => new DefaultHttpStack({ rejectUnauthorized: false });

export interface Uploaded {
  url: string;
  fileId: string;
}

/** Uploads `bytes` with tus-js-client; rejects with the host's answer on a refusal. */
export function upload(
  origin: string,
  token: string,
  bytes: Buffer,
  metadata: { filename: string; conv: string },
  options: { chunkSize?: number } = {},
): Promise<Uploaded> {
  const done = new Promise<Uploaded>((resolve, reject) => {
    let fileId = '';
    const running: Upload = new Upload(bytes, {
      endpoint: `${origin}/api/files`,
      headers: { Authorization: `Bearer ${token}` },
      metadata,
      httpStack: insecureStack(),
      retryDelays: [],
      ...(options.chunkSize !== undefined && { chunkSize: options.chunkSize }),
      onAfterResponse: (_request, response) => {
        fileId = response.getHeader('Parley-File-Id') ?? fileId;
      },
      onSuccess: () => resolve({ url: running.url ?? '', fileId }),
      onError: reject,
    });
    running.start();
  });
  return withTimeout(done, 20_000, `the upload of ${metadata.filename}`);
}

export interface HttpsAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The body as JSON (errors are `{code, message}`). */
  json(): unknown;
}

/** One HTTPS request to the host, its path sent as written. */
export function send(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string | number> = {},
  body?: Buffer,
): Promise<HttpsAnswer> {
  const done = new Promise<HttpsAnswer>((resolve, reject) => {
    const outgoing = https.request(
      { host: '127.0.0.1', port, method, path, headers, rejectUnauthorized: false, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const all = Buffer.concat(chunks);
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: all,
            json: () => JSON.parse(all.toString('utf8')) as unknown,
          });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
  return withTimeout(done, 10_000, `${method} ${path}`);
}

/** The file JSON a finished upload became. */
export async function fileOf(port: number, token: string, uploadUrl: string): Promise<FileInfo> {
  const answer = await send(port, 'GET', new URL(uploadUrl).pathname, {
    Authorization: `Bearer ${token}`,
  });
  if (answer.status !== 200) throw new Error(`GET upload: ${answer.status} ${String(answer.body)}`);
  return answer.json() as FileInfo;
}

/** The stored bytes of file `id` (content-addressed under the files folder). */
export function storedBytes(filesDir: string, id: string): Promise<Buffer> {
  return readFile(`${filesDir}/${id.slice(0, 2)}/${id.slice(2)}`);
}
