/**
 * A `ws` WebSocket constructor for ClientSession that keeps hold of every socket it makes: the
 * TCP connection under each one (to cut it like a pulled cable, or stop reading from it), the
 * close code each one saw, and every text frame the session sent (to spot re-sends).
 */
import type { Socket } from 'node:net';
import WebSocket, { type ClientOptions } from 'ws';
import type { WebSocketConstructor } from '../../../protocol/client/client-types';

export interface TrackedSocket {
  readonly socket: WebSocket;
  /** The TCP connection, once the upgrade succeeded. */
  tcp: Socket | undefined;
  /** What `ws` reported when the socket closed (1006 when the connection just died). */
  closeCode: number | undefined;
  readonly closed: Promise<number>;
}

export class SocketTracker {
  readonly sockets: TrackedSocket[] = [];
  /** Every text frame sent on any of the sockets, in order. */
  readonly sentFrames: string[] = [];
  readonly WebSocket: WebSocketConstructor;

  /** `options` go to every socket (e.g. `autoPong: false`, `perMessageDeflate: false`). */
  constructor(options: ClientOptions = {}) {
    const track = (socket: WebSocket) => this.track(socket);
    const recordSent = (data: unknown) => {
      if (typeof data === 'string') this.sentFrames.push(data);
    };
    const send = WebSocket.prototype.send as (this: WebSocket, ...args: unknown[]) => void;
    class TrackedWebSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, options);
        track(this);
      }

      override send(data: unknown, ...rest: unknown[]): void {
        recordSent(data);
        send.call(this, data, ...rest);
      }
    }
    // ws implements the WebSocketLike subset at runtime; its declared event types are richer.
    this.WebSocket = TrackedWebSocket;
  }

  /** The socket made last (the session's current or latest connection). */
  get latest(): TrackedSocket | undefined {
    return this.sockets.at(-1);
  }

  /** Destroys the TCP connection of the latest socket if it is open; true if it did. */
  cutLatest(): boolean {
    const latest = this.latest;
    if (!latest?.tcp || latest.socket.readyState !== WebSocket.OPEN) return false;
    latest.tcp.destroy();
    return true;
  }

  /** Parsed `say` frames sent so far, in order (re-sends included). */
  saysSent(): { id: string; text: string }[] {
    const says: { id: string; text: string }[] = [];
    for (const frame of this.sentFrames) {
      const parsed = JSON.parse(frame) as { type?: unknown; id?: unknown; text?: unknown };
      if (parsed.type === 'say' && typeof parsed.id === 'string' && typeof parsed.text === 'string')
        says.push({ id: parsed.id, text: parsed.text });
    }
    return says;
  }

  closeCodes(): number[] {
    return this.sockets.flatMap((tracked) =>
      tracked.closeCode === undefined ? [] : [tracked.closeCode],
    );
  }

  /** Drops every socket still open (test cleanup). */
  terminateAll(): void {
    for (const { socket } of this.sockets) {
      if (socket.readyState !== WebSocket.CLOSED) socket.terminate();
    }
  }

  private track(socket: WebSocket): void {
    let closedWith: (code: number) => void = () => {};
    const tracked: TrackedSocket = {
      socket,
      tcp: undefined,
      closeCode: undefined,
      closed: new Promise((resolve) => (closedWith = resolve)),
    };
    socket.on('upgrade', (response) => (tracked.tcp = response.socket));
    socket.on('close', (code) => {
      tracked.closeCode = code;
      closedWith(code);
    });
    this.sockets.push(tracked);
  }
}
