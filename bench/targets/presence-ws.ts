/**
 * The baseline of the joins measurement (bench/joins.ts): plain `ws` holding presence the way
 * the Parley host does, and nothing else. A client says `hello {name}`; it gets a `welcome` with
 * everyone present (compressed when it negotiated permessage-deflate, with the host's settings),
 * and everyone gets `joined {peer}` (the newcomer too, after its welcome), written once per
 * client per event-loop turn (coalescing-broadcaster.ts); `left` likewise when it goes.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { DEFAULT_LIMITS } from '../../protocol/wire/limits';
import { CoalescingBroadcaster } from './coalescing-broadcaster';
import { serveWsOnLoopback, type RunningServer } from './loopback';

interface Peer {
  id: string;
  name: string;
}

const helloOf = (data: string): string | undefined => {
  try {
    const frame = JSON.parse(data) as { type?: unknown; name?: unknown };
    return frame.type === 'hello' && typeof frame.name === 'string' ? frame.name : undefined;
  } catch {
    return undefined;
  }
};

export async function startPresenceWsServer(): Promise<RunningServer> {
  const http = createServer();
  const wss = new WebSocketServer({
    noServer: true,
    // The Parley host's deflate settings (main/host/server.ts), used when the client offers it.
    perMessageDeflate: {
      threshold: DEFAULT_LIMITS.compressThresholdBytes,
      serverNoContextTakeover: true,
      clientNoContextTakeover: true,
      zlibDeflateOptions: { level: 1 },
    },
    handleProtocols: (protocols) => protocols.values().next().value ?? false,
  });
  const broadcaster = new CoalescingBroadcaster();
  const peers = new Map<Duplex, Peer>();
  let nextId = 0;
  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    wss.handleUpgrade(request, socket, head, (client) => {
      client.once('message', (data) => {
        const name = helloOf(String(data));
        if (name === undefined) return client.close(1008, 'hello first');
        const peer = { id: `p${++nextId}`, name };
        client.send(JSON.stringify({ type: 'welcome', self: peer, peers: [...peers.values()] }));
        broadcaster.broadcast(Buffer.from(JSON.stringify({ type: 'joined', peer })), false);
        peers.set(socket, peer);
        broadcaster.add(socket);
      });
      client.once('close', () => {
        const peer = peers.get(socket);
        if (!peer) return;
        peers.delete(socket);
        broadcaster.broadcast(Buffer.from(JSON.stringify({ type: 'left', peer })), false);
      });
    });
  });
  return serveWsOnLoopback(http, wss);
}
