/**
 * Baseline: plain `ws` with the broadcast every tutorial shows, one `send` per client per
 * message. Each send frames the message again and is its own socket write.
 */
import { createServer } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { serveWsOnLoopback, type RunningServer } from './loopback';

export async function startNaiveWsServer(): Promise<RunningServer> {
  const http = createServer();
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  wss.on('connection', (socket) => {
    socket.on('message', (data, isBinary) => {
      for (const client of wss.clients) {
        if (client.readyState === WebSocket.OPEN) client.send(data, { binary: isBinary });
      }
    });
  });
  return serveWsOnLoopback(http, wss);
}
