/** Raw HTTP requests: the path goes out exactly as written (fetch would normalise `..`). */
import http from 'node:http';
import { withTimeout } from './wait';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export function request(port: number, path: string, method = 'GET'): Promise<RawResponse> {
  const done = new Promise<RawResponse>((resolve, reject) => {
    const outgoing = http.request({ host: '127.0.0.1', port, path, method }, (response) => {
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
