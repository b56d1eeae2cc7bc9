/**
 * A tus 1.0 upload endpoint built like the Parley host's (`@tus/server` with `@tus/file-store`
 * at `/api/files`, `Authorization: Bearer TOKEN`, `Parley-File-Id` naming a finished upload by
 * its SHA-256, errors as JSON `{code, message}`), for testing the client's uploads before and
 * apart from the real host. Requests go through an optional cutter that breaks the connection
 * after a number of uploaded bytes, like a pulled cable.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore } from '@tus/file-store';
import { Server } from '@tus/server';

export interface TusHost {
  /** The origin clients upload to (through the cutter). */
  origin: string;
  dir: string;
  /** The token the host accepts now (tests change it, as a reconnect does). */
  token: string;
  /** Requests seen, as `METHOD` (POST, HEAD, PATCH, DELETE, GET). */
  readonly requests: string[];
  /** Cuts every connection once this many more request bytes have gone through. */
  cutAfter(bytes: number): void;
  /** Answers one request as the host's files endpoint (for a scripted host to pass them on). */
  handle(request: IncomingMessage, response: ServerResponse): void;
  /** SHA-256 (hex) of an upload's stored bytes. */
  sha256Of(uploadId: string): Promise<string>;
  close(): Promise<void>;
}

export async function startTusHost(options: { maxSize?: number } = {}): Promise<TusHost> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-tus-'));
  const requests: string[] = [];
  const tus = new Server({
    path: '/api/files',
    datastore: new FileStore({ directory: dir }),
    ...(options.maxSize !== undefined && { maxSize: options.maxSize }),
    onResponseError: (_request, error) => {
      const status = 'status_code' in error ? error.status_code : 500;
      const code = status === 413 ? 'too_large' : status === 404 ? 'no_such_file' : 'bad_request';
      return { status_code: status, body: JSON.stringify({ code, message: 'refused' }) };
    },
    onUploadFinish: async (_request, upload) => ({
      headers: { 'Parley-File-Id': await sha256(join(dir, upload.id)) },
    }),
  });
  const host: TusHost = {
    origin: '',
    dir,
    token: 'token-1',
    requests,
    cutAfter: (bytes) => (cutAt = bytes),
    handle: (request, response) => handle(request, response),
    sha256Of: (id) => sha256(join(dir, id)),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => cutter.close(resolve));
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    requests.push(request.method ?? '');
    if (!authorised(request, host.token)) {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ code: 'unauthorized', message: 'who are you?' }));
      return;
    }
    void tus.handle(request, response);
  };
  const http = createServer(handle);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const target = (http.address() as AddressInfo).port;

  let cutAt = Number.POSITIVE_INFINITY;
  const sockets = new Set<net.Socket>();
  const cutter = net.createServer((client) => {
    const upstream = net.connect(target, '127.0.0.1');
    sockets.add(client).add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('data', (chunk: Buffer) => {
      cutAt -= chunk.length;
      if (cutAt < 0) {
        cutAt = Number.POSITIVE_INFINITY;
        for (const socket of sockets) socket.destroy();
        return;
      }
      upstream.write(chunk);
    });
    upstream.pipe(client);
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => cutter.listen(0, '127.0.0.1', resolve));
  host.origin = `http://127.0.0.1:${(cutter.address() as AddressInfo).port}`;
  return host;
}

function authorised(request: IncomingMessage, token: string): boolean {
  return request.headers.authorization === `Bearer ${token}`;
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
