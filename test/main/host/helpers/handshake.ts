/** One WebSocket handshake attempt, reduced to what a test asserts: opened, or refused and why. */
import WebSocket, { type ClientOptions } from 'ws';
import { onCleanup } from './host';
import { withTimeout } from '../../../support/wait';

export type HandshakeOutcome =
  | { opened: true; protocol: string }
  | { opened: false; status: number; body: string }
  | { opened: false; error: string };

export interface HandshakeOptions extends ClientOptions {
  secure?: boolean;
  path?: string;
  protocols?: string[];
}

export function handshake(port: number, options: HandshakeOptions = {}): Promise<HandshakeOutcome> {
  const { secure, path = '/ws', protocols = ['parley.v1'], ...rest } = options;
  const url = `${secure ? 'wss' : 'ws'}://127.0.0.1:${port}${path}`;
  const socket = new WebSocket(url, protocols, { rejectUnauthorized: false, ...rest });
  onCleanup(() => socket.terminate());
  const outcome = new Promise<HandshakeOutcome>((resolve) => {
    socket.once('open', () => resolve({ opened: true, protocol: socket.protocol }));
    socket.once('unexpected-response', (_request, response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          opened: false,
          status: response.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    socket.once('error', (error: NodeJS.ErrnoException) =>
      resolve({ opened: false, error: error.code ?? error.message }),
    );
  });
  return withTimeout(outcome, 3000, `a handshake with ${url}`);
}
