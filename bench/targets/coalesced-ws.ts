/**
 * The baseline of every ratio: `ws` with each message framed once and one socket write per
 * client per event-loop turn. About as fast as a Node broadcast server gets.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData } from 'ws';
import { CoalescingBroadcaster } from './coalescing-broadcaster';
import { serveWsOnLoopback, type RunningServer } from './loopback';

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

export async function startCoalescedWsServer(): Promise<RunningServer> {
  const http = createServer();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const broadcaster = new CoalescingBroadcaster();
  // Owning the upgrade hands us the raw socket through public API (no ws._socket).
  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    wss.handleUpgrade(request, socket, head, (client) => {
      broadcaster.add(socket);
      client.on('message', (data, isBinary) => broadcaster.broadcast(toBuffer(data), isBinary));
    });
  });
  return serveWsOnLoopback(http, wss);
}
