/**
 * Channels on real sockets without a host: a ws server on 127.0.0.1 (port 0) whose accepted
 * sockets become Channels, each paired with a ws client that records what it receives.
 */
import type { AddressInfo, Socket } from 'node:net';
import WebSocket, { WebSocketServer, type PerMessageDeflateOptions } from 'ws';
import { Channel, formatV1Error } from '../../../../main/host/channel';
import { withTimeout } from '../../../support/wait';
import { onCleanup } from './host';
import { rawSocketOf } from './ws-internals';

/** What a client saw, in arrival order: texts, and `close CODE` once closed. */
export interface RigClient {
  readonly name: string;
  readonly channel: Channel;
  readonly server: WebSocket;
  readonly client: WebSocket;
  readonly seen: string[];
  /** The server side's TCP socket: tests count its writes. */
  readonly rawServer: Socket;
  /** The client side's TCP socket: tests pause it to play a client that stops reading. */
  readonly rawClient: Socket;
  /** Resolves once the client has seen `count` items. */
  saw(count: number, ms?: number): Promise<string[]>;
}

export interface RigClientOptions {
  /** Offer permessage-deflate (the server side decides the terms). */
  deflate?: boolean;
  maxBacklogBytes?: number;
  onClosing?: (client: RigClient) => void;
}

export interface Rig {
  connect(name: string, options?: RigClientOptions): Promise<RigClient>;
}

/** `deflate`: the server's permessage-deflate terms (false: none). */
export async function channelRig(deflate: PerMessageDeflateOptions | false = false): Promise<Rig> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: deflate });
  onCleanup(() => new Promise<void>((resolve) => wss.close(() => resolve())));
  await withTimeout(
    new Promise<void>((resolve) => wss.once('listening', resolve)),
    3000,
    'the rig server to listen',
  );
  const { port } = wss.address() as AddressInfo;

  async function connectNow(name: string, options: RigClientOptions): Promise<RigClient> {
    const accepted = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
    const client = new WebSocket(`ws://127.0.0.1:${port}`, {
      perMessageDeflate: options.deflate ?? false,
    });
    onCleanup(() => client.terminate());
    const seen: string[] = [];
    const listeners: (() => void)[] = [];
    const record = (item: string) => {
      seen.push(item);
      for (const listener of listeners.splice(0)) listener();
    };
    client.on('message', (data) => record(String(data)));
    client.on('close', (code) => record(`close ${code}`));
    client.on('error', () => {});
    const opened = new Promise<void>((resolve) => client.once('open', () => resolve()));
    const server = await withTimeout(accepted, 3000, `the server side of ${name}`);
    await withTimeout(opened, 3000, `the client side of ${name}`);
    onCleanup(() => server.terminate());
    const saw = (count: number, ms = 5000): Promise<string[]> => {
      const reached = new Promise<string[]>((resolve) => {
        const check = () => (seen.length >= count ? resolve(seen) : listeners.push(check));
        check();
      });
      return withTimeout(reached, ms, () => `${name} to see ${count} items (saw ${seen.length})`);
    };
    const rig: RigClient = {
      name,
      server,
      client,
      seen,
      saw,
      rawServer: rawSocketOf(server),
      rawClient: rawSocketOf(client),
      channel: new Channel(server, {
        maxBacklogBytes: options.maxBacklogBytes ?? 1024 * 1024,
        formatError: formatV1Error,
        onClosing: () => options.onClosing?.(rig),
      }),
    };
    return rig;
  }

  // One at a time, so that the server side accepted next is this client's.
  let previous: Promise<unknown> = Promise.resolve();
  const connect = (name: string, options: RigClientOptions = {}): Promise<RigClient> => {
    const connected = previous.then(() => connectNow(name, options));
    previous = connected.catch(() => {});
    return connected;
  };
  return { connect };
}
