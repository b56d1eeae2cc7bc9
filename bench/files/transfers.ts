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

/** A person in the room at `port`, over wss: its session token, and posting into `general`. */
export interface Person {
  token: string;
  /** Posts a message carrying `fileIds` into `general`; resolves once the host acked it. */
  post(fileIds: string[]): Promise<number>;
  close(): void;
}

export function joinRoom(port: number, name: string): Promise<Person> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`wss://127.0.0.1:${port}/ws`, ['parley.v2'], {
      rejectUnauthorized: false,
    });
    const waiting = new Map<string, { resolve(seq: number): void; reject(error: Error): void }>();
    let posted = 0;
    socket.on('open', () => socket.send(JSON.stringify({ type: 'hello', name })));
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as {
        type: string;
        token?: string;
        id?: string;
        ref?: string;
        seq?: number;
        message?: string;
      };
      if (frame.type === 'welcome' && frame.token !== undefined) {
        resolve({
          token: frame.token,
          post: (files) =>
            new Promise<number>((resolvePost, rejectPost) => {
              const id = `${name}-${(posted += 1)}`;
              waiting.set(id, { resolve: resolvePost, reject: rejectPost });
              socket.send(JSON.stringify({ type: 'say', id, conv: 'general', text: '', files }));
            }),
          close: () => socket.close(),
        });
      } else if (frame.type === 'ack' && frame.id !== undefined) {
        waiting.get(frame.id)?.resolve(frame.seq ?? 0);
        waiting.delete(frame.id);
      } else if (frame.type === 'error' && frame.ref !== undefined) {
        waiting.get(frame.ref)?.reject(new Error(`say refused: ${frame.message ?? ''}`));
        waiting.delete(frame.ref);
      }
    });
    socket.on('error', reject);
  });
}

/** A session token of the room at `port`: a person joins and leaves again. */
export async function sessionToken(port: number, name: string): Promise<string> {
  const person = await joinRoom(port, name);
  person.close();
  return person.token;
}

const metadata = (name: string) =>
  `filename ${Buffer.from(name).toString('base64')},conv ${Buffer.from('general').toString('base64')}`;

export interface Uploaded {
  /** The file's id, as a `say` names it. */
  id: string;
  /** Its capability URL. */
  url: string;
}

/** Uploads with tus (creation, then one PATCH); resolves with the file's id and capability URL. */
export async function tusUpload(
  to: Endpoint,
  token: string,
  name: string,
  size: number,
  bytes: () => Readable | Buffer,
): Promise<Uploaded> {
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
  return JSON.parse(file.body.toString()) as Uploaded;
}

export const fileStream = (path: string) => () =>
  createReadStream(path, { highWaterMark: 256 * 1024 });
