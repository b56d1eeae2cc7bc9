/**
 * Baseline: Socket.IO 4 the way its chat example works, `io.emit` per message, websocket
 * transport only (no long-polling upgrade dance, no compression).
 */
import { createServer } from 'node:http';
import { Server, type ServerOptions } from 'socket.io';
import * as v from 'valibot';
import { SOCKET_IO_EVENT } from './socket-io-event';
import { closeHttpServer, listenOnLoopback, type RunningServer } from './loopback';

const chatText = v.pipe(v.string(), v.maxLength(64 * 1024));

export function startSocketIoServer(): Promise<RunningServer> {
  return startSocketIoServerWith({});
}

/** The same server with more options (the scale-out case adds a Redis adapter). */
export async function startSocketIoServerWith(
  more: Partial<ServerOptions>,
): Promise<RunningServer> {
  const http = createServer();
  const io = new Server(http, {
    transports: ['websocket'],
    serveClient: false,
    perMessageDeflate: false,
    maxHttpBufferSize: 64 * 1024,
    ...more,
  });
  io.on('connection', (socket) => {
    socket.on(SOCKET_IO_EVENT, (text: unknown) => {
      if (v.is(chatText, text)) io.emit(SOCKET_IO_EVENT, text);
    });
  });
  const port = await listenOnLoopback(http);
  return {
    port,
    async close() {
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await closeHttpServer(http);
    },
  };
}
