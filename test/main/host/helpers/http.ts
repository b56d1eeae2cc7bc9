/** Raw HTTP requests: the path goes out exactly as written (fetch would normalise `..`). */
import http from 'node:http';
import https from 'node:https';
import { withTimeout } from '../../../support/wait';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RequestOptions {
  /** https (any certificate: these tests are about the host, not about pinning). */
  secure?: boolean;
  headers?: Record<string, string>;
}

export function request(
  port: number,
  path: string,
  method = 'GET',
  options: RequestOptions = {},
): Promise<RawResponse> {
  const done = new Promise<RawResponse>((resolve, reject) => {
    const target = { host: '127.0.0.1', port, path, method, headers: options.headers ?? {} };
    const send = options.secure
      ? (listener: (response: http.IncomingMessage) => void) =>
          https.request({ ...target, rejectUnauthorized: false }, listener)
      : (listener: (response: http.IncomingMessage) => void) => http.request(target, listener);
    const outgoing = send((response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
  return withTimeout(done, 3000, `${method} ${path}`);
}
