/**
 * The client side of the files benchmark: plain HTTPS requests (no tus library in the way), so
 * what is measured is the server. Uploads to Parley speak tus 1.0 as every client does: a
 * creation, then one PATCH with the bytes.
 */
import { createReadStream } from 'node:fs';
import https from 'node:https';
import { Readable } from 'node:stream';
import WebSocket from 'ws';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body, or only its length when it was large (downloads are counted, not kept). */
  body: Buffer;
  bytes: number;
}

export interface Endpoint {
  port: number;
  agent: https.Agent;
}

export function endpoint(port: number, sockets = 10): Endpoint {
  return {
    port,
    agent: new https.Agent({ keepAlive: true, maxSockets: sockets, rejectUnauthorized: false }),
  };
}

/** One request; `body` is streamed; a body longer than 64 KiB is counted, not kept. */
export function request(
  to: Endpoint,
  method: string,
  path: string,
  headers: Record<string, string | number> = {},
  body?: Readable | Buffer,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = https.request(
      { host: '127.0.0.1', port: to.port, method, path, headers, agent: to.agent },
      (response) => {
        const kept: Buffer[] = [];
        let bytes = 0;
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes <= 65_536) kept.push(chunk);
        });
        response.on('error', reject);
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(kept),
            bytes,
          }),
        );
      },
    );
    outgoing.on('error', reject);
    if (body instanceof Readable) body.pipe(outgoing);
    else outgoing.end(body);
  });
}

/** A session token of the room at `port`: a person joins over wss and reads its welcome. */
export function sessionToken(port: number, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`wss://127.0.0.1:${port}/ws`, ['parley.v2'], {
      rejectUnauthorized: false,
    });
    socket.on('open', () => socket.send(JSON.stringify({ type: 'hello', name })));
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string; token?: string };
      if (frame.type !== 'welcome' || frame.token === undefined) return;
      resolve(frame.token);
      socket.close();
    });
    socket.on('error', reject);
  });
}

const metadata = (name: string) =>
  `filename ${Buffer.from(name).toString('base64')},conv ${Buffer.from('general').toString('base64')}`;

/** Uploads with tus (creation, then one PATCH); resolves with the file's capability URL. */
export async function tusUpload(
  to: Endpoint,
  token: string,
  name: string,
  size: number,
  bytes: () => Readable | Buffer,
): Promise<string> {
  const auth = { Authorization: `Bearer ${token}`, 'Tus-Resumable': '1.0.0' };
  const created = await request(to, 'POST', '/api/files', {
    ...auth,
    'Upload-Length': size,
    'Upload-Metadata': metadata(name),
  });
  const location = created.headers.location;
  if (created.status !== 201 || typeof location !== 'string') {
    throw new Error(`creation refused: ${created.status} ${created.body.toString()}`);
  }
  const path = new URL(location, 'https://host').pathname;
  const patched = await request(
    to,
    'PATCH',
    path,
    {
      ...auth,
      'Upload-Offset': 0,
      'Content-Type': 'application/offset+octet-stream',
      'Content-Length': size,
    },
    bytes(),
  );
  if (patched.status !== 204)
    throw new Error(`PATCH: ${patched.status} ${patched.body.toString()}`);
  const file = await request(to, 'GET', path, { Authorization: `Bearer ${token}` });
  return (JSON.parse(file.body.toString()) as { url: string }).url;
}

export const fileStream = (path: string) => () =>
  createReadStream(path, { highWaterMark: 256 * 1024 });
